/**
 * The program suite: every Simple program under test/programs is compiled and run in-process,
 * and what it does is compared with what is written next to it.
 *
 * Layout (see test/programs/README.md):
 * - `<area>/<name>.spl` runs; `<name>.out` is its exact standard output.
 * - `modules/<prog>/main.spl` is a program of several modules; `main.out` its output. These also
 *   run from SMF files (as `smf run main.smf` would), and with main compiled against the other
 *   modules' SMF files alone (separate compilation).
 * - `errors/<name>.spl` (or `errors/<prog>/main.spl`) must fail to compile; `<name>.err` is the
 *   exact diagnostic text, with file paths relative to the program's folder.
 * - Header comments at the top of a `.spl` set more expectations:
 *     `# exit: N`     the exit code (main's i64 result, 3 for a trap); default 0
 *     `# trap: text`  the trap's exact message
 *     `# trap-starts: text`  the start of the trap's message (when the rest is up to the engine)
 *     `# fails: why`  a known failure, run with `it.fails` so it turns green once fixed
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import type { CompiledModule } from '../../src/compiler/driver/compile-module.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { CompileError } from '../../src/compiler/diagnostics.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { HostFunction } from '../../src/loader/module-loader.js';
import type { ExecutionLimits } from '../../src/loader/limits.js';
import { TextCapture } from '../../src/runtime/index.js';
import { runCli } from '../../src/cli/program.js';
import { callMain } from './call-main.js';
import type { MainResult } from './call-main.js';

const ROOT = resolve(import.meta.dirname, '../programs');

/** The `extern fn`s the programs may declare. */
const HOST: Record<string, HostFunction> = {
  host_add: (a: bigint, b: bigint) => a + b,
  host_scale: (x: number, k: number) => x * k,
  host_greet: (name: string) => `hello from the host, ${name}`,
  host_log: (line: string) => {
    if (line !== 'logged') throw new Error(`host_log got '${line}'`);
  },
  host_is_even: (n: number) => n % 2 === 0,
  now_ms: () => 1234.5,
};

interface Expectation {
  readonly exit: number;
  readonly trap: string | null;
  readonly trapStarts: boolean;
  readonly fails: string | null;
}

function headerOf(source: string): Expectation {
  let exit: number | null = null;
  let trap: string | null = null;
  let fails: string | null = null;
  let trapStarts = false;
  for (const line of source.split('\n')) {
    const m = /^#\s*(exit|trap|trap-starts|fails):\s*(.*)$/.exec(line.trim());
    if (!m) {
      if (line.trim().startsWith('#') || line.trim() === '') continue;
      break;
    }
    if (m[1] === 'exit') exit = Number(m[2]);
    else if (m[1] === 'fails') fails = m[2].trim();
    else {
      trap = m[2].trim();
      trapStarts = m[1] === 'trap-starts';
    }
  }
  return { exit: exit ?? (trap !== null ? 3 : 0), trap, trapStarts, fails };
}

type RunResult = MainResult;

/** Loads the modules and calls main, the way `smf run` does, but with output captured. */
function runLoaded(load: (loader: ModuleLoader) => void, run: { limits?: ExecutionLimits; gcStress?: boolean } = {}): RunResult {
  const out = new TextCapture();
  // A small memory limit keeps the out-of-memory program quick.
  const loader = new ModuleLoader({ output: out, host: HOST, memory: { maximumPages: 512, gc: { stress: run.gcStress } }, limits: run.limits });
  load(loader);
  return callMain(loader, out);
}

function compile(entry: string, session = new CompileSession()): CompiledModule[] {
  const compiled = session.compileFiles([entry]);
  for (const c of compiled) {
    expect(WebAssembly.validate(c.unit.wasm as Uint8Array<ArrayBuffer>), `${c.declared.name}: invalid WebAssembly`).toBe(true);
  }
  return compiled;
}

function runInMemory(entry: string, run: { limits?: ExecutionLimits; gcStress?: boolean } = {}): RunResult {
  const compiled = compile(entry);
  return runLoaded((loader) => {
    for (const c of compiled) {
      const r = loader.loadCompiled(c);
      if (r.kind === 'error') throw r.error;
    }
  }, run);
}

/**
 * The collector runs at every safepoint and poisons what it frees: a heap pointer the compiled
 * code failed to keep in the shadow stack shows up as wrong output or a trap (docs/memory.md).
 */
function runUnderGcStress(entry: string): RunResult {
  return runInMemory(entry, { gcStress: true });
}

/** Every program again with its code metered (docs/limits.md): limits that are never reached change nothing. */
const runMetered = (entry: string): RunResult => runInMemory(entry, { limits: { fuel: 1n << 50n, timeoutMs: 600_000 } });

function runFromSmf(entry: string): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'spl-programs-'));
  try {
    for (const c of compile(entry)) {
      writeFileSync(join(dir, `${c.declared.name}.smf`), emitSmf(c));
    }
    return runLoaded((loader) => {
      const r = loader.load(join(dir, `${basename(entry, '.spl')}.smf`));
      if (r.kind === 'error') throw r.error;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Separate compilation: the other modules are compiled to SMF first, then main is compiled
 * against those SMF files alone (their interfaces and templates, no source) and run.
 */
function runAgainstSmfLibraries(entry: string): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'spl-programs-'));
  try {
    const main = basename(entry, '.spl');
    for (const c of compile(entry)) {
      if (c.declared.name === main) continue;
      // Where the source was, so `use sub.util` finds sub/util.smf.
      const out = join(dir, relative(dirname(entry), c.declared.source.path).replace(/\.spl$/, '.smf'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, emitSmf(c));
    }
    const copy = join(dir, `${main}.spl`);
    writeFileSync(copy, readFileSync(entry));
    const session = new CompileSession();
    const compiled = compile(copy, session);
    expect(compiled.map((c) => c.declared.name)).toEqual([main]);
    return runLoaded((loader) => {
      // The libraries the session compiled against come from their SMF files.
      for (const m of session.modules) {
        if (m.kind !== 'smf') continue;
        const r = loader.load(m.path);
        if (r.kind === 'error') throw r.error;
      }
      for (const c of compiled) {
        const r = loader.loadCompiled(c);
        if (r.kind === 'error') throw r.error;
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function check(entry: string, run: (entry: string) => RunResult): void {
  const expected = headerOf(readFileSync(entry, 'utf8'));
  const outFile = entry.replace(/\.spl$/, '.out');
  const stdout = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  const r = run(entry);
  expect(r.stdout).toBe(stdout);
  if (expected.trapStarts) expect(r.trap?.startsWith(expected.trap!), `trap '${r.trap}'`).toBe(true);
  else expect(r.trap).toBe(expected.trap);
  expect(r.exit).toBe(expected.exit);
}

function checkCompileError(entry: string): void {
  const expected = readFileSync(entry.replace(/\.spl$/, '.err'), 'utf8').trimEnd();
  let error: unknown = null;
  try {
    new CompileSession().compileFiles([entry]);
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a compile error').toBeInstanceOf(CompileError);
  const dir = dirname(entry) + '/';
  expect((error as CompileError).message.split(dir).join('')).toBe(expected);
}

function filesIn(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(dir, f));
}

function subdirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isDirectory())
    .sort()
    .map((f) => join(dir, f));
}

function testCase(name: string, entry: string, body: () => void): void {
  const { fails } = headerOf(readFileSync(entry, 'utf8'));
  if (fails) it.fails(`${name} (known failure: ${fails})`, body);
  else it(name, body);
}

const areas = subdirs(ROOT).filter((d) => !['modules', 'errors'].includes(basename(d)));

for (const area of areas) {
  describe(`programs/${basename(area)}`, () => {
    for (const file of filesIn(area, '.spl')) {
      testCase(basename(file, '.spl'), file, () => check(file, (e) => runInMemory(e)));
    }
  });
}

describe('programs under GC stress (a collection at every safepoint)', () => {
  for (const area of areas) {
    for (const file of filesIn(area, '.spl')) {
      if (basename(file) === 'out_of_memory.spl') continue; // minutes of collections on the way to the limit
      testCase(`${basename(area)}/${basename(file, '.spl')}`, file, () => check(file, runUnderGcStress));
    }
  }
  for (const prog of subdirs(join(ROOT, 'modules'))) {
    const entry = join(prog, 'main.spl');
    testCase(`modules/${basename(prog)}`, entry, () => check(entry, runUnderGcStress));
  }
});

describe('programs with limits that are not reached (metered code)', () => {
  for (const area of areas) {
    for (const file of filesIn(area, '.spl')) {
      testCase(`${basename(area)}/${basename(file, '.spl')}`, file, () => check(file, runMetered));
    }
  }
  for (const prog of subdirs(join(ROOT, 'modules'))) {
    const entry = join(prog, 'main.spl');
    testCase(`modules/${basename(prog)}`, entry, () => check(entry, runMetered));
  }
});

describe('programs/modules', () => {
  for (const prog of subdirs(join(ROOT, 'modules'))) {
    const entry = join(prog, 'main.spl');
    testCase(basename(prog), entry, () => check(entry, (e) => runInMemory(e)));
    testCase(`${basename(prog)} (from SMF files)`, entry, () => check(entry, runFromSmf));
    testCase(`${basename(prog)} (main compiled against SMF libraries)`, entry, () => check(entry, runAgainstSmfLibraries));
  }
});

describe('programs/errors', () => {
  const dir = join(ROOT, 'errors');
  for (const file of filesIn(dir, '.spl')) {
    testCase(basename(file, '.spl'), file, () => checkCompileError(file));
  }
  for (const prog of subdirs(dir)) {
    const entry = join(prog, 'main.spl');
    testCase(basename(prog), entry, () => checkCompileError(entry));
  }
});

describe('examples', () => {
  const EXAMPLES = resolve(import.meta.dirname, '../../examples');
  const expected: Record<string, string> = {
    'hello.spl': 'Hello, world!\n',
    'generics.spl': '9\n2.5\npear\n200\none 1\n21\n3.14159\n',
    'structs.spl': 'true\nfalse\nada: 77 after 3 operations\n  deposited 100\n  withdrew 30\n  deposited 7\n',
    'simd.spl': '1.5 2.0 2.5 3.0\n5.0\n30.0\n499500.0\n100\n',
    'modules/main.spl': '(2.0, 1.0)\n17\npear\n9\n',
  };
  for (const [name, stdout] of Object.entries(expected)) {
    it(name, () => {
      const r = runInMemory(join(EXAMPLES, name));
      expect(r).toEqual({ stdout, exit: 0, trap: null });
    });
  }
  it('modules/main.spl from SMF files', () => {
    expect(runFromSmf(join(EXAMPLES, 'modules/main.spl')).stdout).toBe(expected['modules/main.spl']);
  });
});

describe('programs through the CLI', () => {
  const cli = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    // The program's own output goes to the process's stdout; keep it out of the test report.
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
      return { code, stdout, stderr };
    } finally {
      quiet.mockRestore();
    }
  };

  it('a trap exits with code 3 and names the error and the function on stderr', async () => {
    const r = await cli('run', join(ROOT, 'traps/divide_by_zero.spl'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("division by zero in function 'divide'");
  });

  it("main's i64 result is the exit code", async () => {
    const r = await cli('run', join(ROOT, 'basics/exit_code.spl'));
    expect(r.code).toBe(42);
  });

  it('a .spl program whose library is only an .smf file runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spl-cli-'));
    try {
      const prog = join(ROOT, 'modules/use_names');
      expect((await cli('compile', join(prog, 'lib.spl'), '--out-dir', dir)).code).toBe(0);
      writeFileSync(join(dir, 'main.spl'), readFileSync(join(prog, 'main.spl')));
      const r = await cli('run', join(dir, 'main.spl'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a compile error exits with code 1 and prints the diagnostic', async () => {
    const r = await cli('run', join(ROOT, 'errors/type_mismatch.spl'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: the value of 'x': mismatched types: expected 'i64', found 'text'");
  });
});

