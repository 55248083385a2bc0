/**
 * `smf run` limits as a user meets them, through the built command in real child processes:
 * deep recursion on the big-stack thread, --timeout and --fuel as traps with exit code 3, the
 * order of output and errors, --watch taking a save, Ctrl-C and SIGTERM while main runs, and
 * engine errors and failing runtime imports as traps (exit code 3), never internal errors.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { ModuleBuilder } from '../../src/compiler/wasm/module.js';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import type { FunctionBuilder } from '../../src/compiler/wasm/code.js';
import { ValType as T } from '../../src/compiler/wasm/types.js';

import { SPIN_AND_COUNT } from '../limits-programs.js';

const BIN = resolve(__dirname, '../../dist/cli/smf.js');

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-limits-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function smf(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DEPTH = `fn depth(n: i64) -> i64:
    if n == 0:
        return 0
    depth(n - 1) + 1

fn main() -> i64:
    print(depth(100000))
    print(depth(1000000))
    0
`;

const SPIN = `${SPIN_AND_COUNT}
fn main():
    print("before")
    print(count(10))
    spin()
`;

describe('smf run: deep recursion', () => {
  it('a one-parameter recursive function reaches 1,000,000 frames', () => {
    const d = dir({ 'depth.spl': DEPTH });
    expect(smf(['run', 'depth.spl'], d)).toEqual({ code: 0, stdout: '100000\n1000000\n', stderr: '' });
  });

  it('recursion over heap values goes as deep: 500,000 frames each holding a text and an array', () => {
    // Each frame keeps its pointers in the shadow stack, which smf run sizes with the thread's stack.
    const source = `fn walk(s: text, xs: [i64], n: i64) -> i64:
    if n == 0:
        return s.len() + xs.len()
    walk(s, xs, n - 1) + 1

fn main() -> i64:
    print(walk("abc", [1, 2], 500000))
    0
`;
    const d = dir({ 'walk.spl': source });
    expect(smf(['run', 'walk.spl'], d)).toEqual({ code: 0, stdout: '500005\n', stderr: '' });
  });

  it('overflow stays a typed trap naming the function; --stack-size bounds the depth', () => {
    const d = dir({ 'depth.spl': DEPTH, 'down.spl': 'fn down(n: i64) -> i64:\n    down(n + 1) + 1\n\nfn main() -> i64:\n    down(0)\n' });
    expect(smf(['run', 'down.spl'], d)).toEqual({ code: 3, stdout: '', stderr: "error: stack overflow in function 'down'\n  at down (down.spl:1)\n  at down (down.spl:2)\n  … the same 46 more times\n" });
    expect(smf(['run', '--stack-size', '32', 'depth.spl'], d)).toEqual({ code: 3, stdout: '100000\n', stderr: trapWithBacktrace("error: stack overflow in function 'depth'") });
    // 0: the main thread's own stack, as before there was a thread.
    expect(smf(['run', '--stack-size', '0', 'depth.spl'], d)).toEqual({ code: 3, stdout: '', stderr: trapWithBacktrace("error: stack overflow in function 'depth'") });
    expect(smf(['run', '--stack-size', 'lots', 'depth.spl'], d)).toMatchObject({ code: 2, stderr: expect.stringContaining("--stack-size takes a whole number from 0 to 65536, not 'lots'") });
  });
});

/** A trap's first line, then its backtrace: `  at f (file.spl:line)` lines (runs of one frame counted). */
function trapWithBacktrace(first: string): unknown {
  return expect.stringMatching(new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n(  (at|…) .+\n)+$`));
}

describe('smf run: --timeout and --fuel', () => {
  it('--timeout stops a main that never returns: exit 3, the output so far, then the trap', () => {
    const d = dir({ 'spin.spl': SPIN });
    const started = Date.now();
    const r = smf(['run', '--timeout', '300', 'spin.spl'], d);
    expect(r).toEqual({ code: 3, stdout: 'before\n45\n', stderr: "error: timeout: ran longer than 300 ms in function 'spin'\n  at spin (spin.spl:4)\n  at main (spin.spl:18)\n" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('--fuel stops it too, and a program within its fuel runs as before', () => {
    const d = dir({ 'spin.spl': SPIN, 'depth.spl': DEPTH });
    expect(smf(['run', '--fuel', '100000', 'spin.spl'], d)).toEqual({ code: 3, stdout: 'before\n45\n', stderr: "error: out of fuel (limit 100000) in function 'spin'\n  at spin (spin.spl:4)\n  at main (spin.spl:18)\n" });
    expect(smf(['run', '--fuel', '10000000', '--timeout', '60000', 'depth.spl'], d)).toEqual({ code: 0, stdout: '100000\n1000000\n', stderr: '' });
    expect(smf(['run', '--fuel', '-5', 'spin.spl'], d)).toMatchObject({ code: 2, stderr: expect.stringContaining("--fuel takes a whole number, not '-5'") });
  });

  it('the output and the error keep their order on one stream', () => {
    const d = dir({ 'spin.spl': SPIN });
    const file = join(d, 'both.txt');
    const fd = openSync(file, 'w');
    const r = spawnSync(process.execPath, [BIN, 'run', '--fuel', '5000', 'spin.spl'], { cwd: d, stdio: ['ignore', fd, fd] });
    expect(r.status).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe("before\n45\nerror: out of fuel (limit 5000) in function 'spin'\n  at spin (spin.spl:4)\n  at main (spin.spl:18)\n");
  });
});

describe('smf run: output through the run thread', () => {
  it('a reader that goes away ends the program quietly', () => {
    const d = dir({ 'many.spl': 'fn main():\n    for i in 0..1000000:\n        print(i)\n' });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run many.spl | head -n 2`], { cwd: d, encoding: 'utf8' });
    expect(r.stdout).toBe('0\n1\n');
    expect(r.stderr).toBe('');
  });
});

/**
 * An SMF whose `fn main() -> i64` has the code `body` writes (what no Simple source compiles to,
 * but what a damaged or hostile file can hold).
 */
function craftedSmf(d: string, body: (f: FunctionBuilder, m: ModuleBuilder) => void): string {
  writeFileSync(join(d, 'app.spl'), 'fn main() -> i64:\n    0\n');
  const [compiled] = new CompileSession().compileFiles([join(d, 'app.spl')]);
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 1 });
  m.importFunction('rt', 'print_text', { params: [T.i32], results: [] });
  const main = m.addFunction({ params: [], results: [T.i64] }, 'main');
  body(main, m);
  m.exportFunction('main', main.index);
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  const path = join(d, 'app.smf');
  writeFileSync(path, emitSmf({ ...compiled, unit: { ...compiled.unit, wasm: m.finish() } }));
  return path;
}

describe('smf run: every error raised from module code is a trap', () => {
  it('memory access out of bounds: exit 3 naming the function, not an internal error', () => {
    const d = dir({});
    craftedSmf(d, (f) => f.i32Const(-16).i64Load(0, 3));
    expect(smf(['run', 'app.smf'], d)).toEqual({ code: 3, stdout: '', stderr: "error: memory access out of bounds in function 'main'\n  at main\n" });
  });

  it("a runtime import that throws: exit 3 with the runtime's message", () => {
    const d = dir({});
    // print_text (imported function 0) given an address that holds no text.
    craftedSmf(d, (f) => f.i32Const(-16).call(0).i64Const(0));
    const r = smf(['run', 'app.smf'], d);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: runtime error: .+ in function 'main'\n  at main\n$/);
  });
});

/** Resolves when `pattern` has appeared in `text()`, or rejects after `ms`. */
function waitFor(text: () => string, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const tick = (): void => {
      if (pattern.test(text())) return res();
      if (Date.now() - started > ms) return rej(new Error(`timed out waiting for ${pattern}; got:\n${text()}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

function watchChild(d: string, ...options: string[]): { out: () => string; err: () => string; exited: Promise<number | null>; kill: (s: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [BIN, 'run', '--watch', ...options, 'app.spl'], { cwd: d });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  return { out: () => out, err: () => err, exited, kill: (s) => child.kill(s) };
}

const STUCK = (v: string): string => `fn spin() -> i64:\n    var i = 0\n    while true:\n        i += 1\n    i\n\nfn main():\n    print("${v}")\n    spin()\n`;

describe('smf run --watch while main is still running', () => {
  it('a save stops main, reloads and runs main again; SIGTERM then stops the command', async () => {
    const d = dir({ 'app.spl': STUCK('v1') });
    const c = watchChild(d);
    try {
      await waitFor(c.out, /v1\n/, 20_000);
      writeFileSync(join(d, 'app.spl'), STUCK('v2'));
      await waitFor(c.out, /v2\n/, 20_000);
      expect(c.err()).toContain("[smf] main stopped in function 'spin': a source changed");
      expect(c.err()).toContain('[smf] reloaded app (version 2)');
    } finally {
      c.kill('SIGTERM');
    }
    expect(await c.exited).toBe(0);
  });

  it('with --timeout each run of main is bounded, and the loader runs the next one after the trap', async () => {
    const d = dir({ 'app.spl': STUCK('v1') });
    const c = watchChild(d, '--timeout', '200');
    try {
      await waitFor(c.err, /timeout: ran longer than 200 ms in function 'spin'/, 20_000);
      await waitFor(c.err, /watching 1 file/, 20_000);
      writeFileSync(join(d, 'app.spl'), STUCK('v2'));
      await waitFor(c.out, /v2\n/, 20_000);
      await waitFor(c.err, /timeout[^]*timeout/, 20_000);
      expect(c.out()).toBe('v1\nv2\n');
    } finally {
      c.kill('SIGINT');
    }
    expect(await c.exited).toBe(0);
  });

  it('Ctrl-C stops the command while main runs', async () => {
    const d = dir({ 'app.spl': STUCK('v1') });
    const c = watchChild(d);
    try {
      await waitFor(c.out, /v1\n/, 20_000);
    } finally {
      c.kill('SIGINT');
    }
    expect(await c.exited).toBe(0);
  });
});
