/**
 * A trap's backtrace: each Simple frame named with its `file.spl:line`, through the
 * `simple.lines` section the compiler writes with the code (and the linker carries over).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { lowerUnit } from '../../src/compiler/lower/unit.js';
import { LINES_SECTION, readLineTable } from '../../src/compiler/wasm/line-section.js';
import { link } from '../../src/linker/index.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { formatBacktrace, SimpleTrap, TextCapture } from '../../src/runtime/index.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'backtrace-'));
}

/** Loads the compiled modules of `entry` (and its imports) and returns the trap `main` raises. */
function trapOf(load: (loader: ModuleLoader) => void, options: ConstructorParameters<typeof ModuleLoader>[0] = {}): SimpleTrap {
  const loader = new ModuleLoader({ output: new TextCapture(), jit: { updateSmf: false }, ...options });
  load(loader);
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found') throw new Error('no main');
  try {
    main.call();
  } catch (e) {
    expect(e).toBeInstanceOf(SimpleTrap);
    return e as SimpleTrap;
  }
  throw new Error('expected a trap');
}

function compiled(path: string) {
  return new CompileSession().compileFiles([path]);
}

const LIB = [
  'fn pick<T>(xs: [T], i: i64) -> T:', // 1
  '    val first = xs[0]', //             2
  '    xs[i]', //                          3
  '',
  'fn divide(a: i64, b: i64) -> i64:', // 5
  '    val q = a / b', //                  6
  '    q', //                              7
].join('\n');

const APP = [
  'use lib.{pick, divide}', //             1
  '', //                                   2
  'fn walk(n: i64) -> i64:', //            3
  '    if n == 0:', //                     4
  '        return pick([1, 2], 7)', //     5
  '    walk(n - 1) + 1', //                6
  '', //                                   7
  'fn main() -> i64:', //                  8
  '    print("start")', //                 9
  '    val d = divide(8, 2)', //           10
  '    walk(3) + d', //                    11
].join('\n');

function program(): { dir: string; app: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'lib.spl'), LIB);
  writeFileSync(join(dir, 'app.spl'), APP);
  return { dir, app: join(dir, 'app.spl') };
}

const EXPECTED = (file: (name: string) => string) => [
  { function: 'pick', file: file('lib.spl'), line: 3 },
  { function: 'walk', file: file('app.spl'), line: 5 },
  { function: 'walk', file: file('app.spl'), line: 6 },
  { function: 'walk', file: file('app.spl'), line: 6 },
  { function: 'walk', file: file('app.spl'), line: 6 },
  { function: 'main', file: file('app.spl'), line: 11 },
];

describe('a trap names the file and line of each Simple frame', () => {
  it('across modules and through a generic instance compiled with its caller', () => {
    const { dir, app } = program();
    const trap = trapOf((loader) => {
      for (const c of compiled(app)) if (loader.loadCompiled(c).kind === 'error') throw new Error('load');
    });
    expect(trap.message).toBe("index 7 out of bounds for length 2 in function 'pick<i64>'");
    expect(trap.backtrace).toEqual(EXPECTED((name) => join(dir, name)));
  });

  it('from SMF files, the instance JIT-compiled at load time from the template', () => {
    const { dir, app } = program();
    for (const c of compiled(app)) writeFileSync(join(dir, `${c.declared.name}.smf`), emitSmf(c));
    const trap = trapOf((loader) => {
      const r = loader.load(join(dir, 'app.smf'));
      if (r.kind === 'error') throw r.error;
    });
    // An instance compiled at load time is named after its template (its code is shared by
    // every instance that comes out the same; docs/code-model.md), and so is its frame.
    expect(trap.backtrace.map((f) => `${f.function}:${f.line}`)).toEqual(['pick:3', 'walk:5', 'walk:6', 'walk:6', 'walk:6', 'main:11']);
    expect(trap.backtrace[0].file).toMatch(/lib\.spl$/);
  });

  it('from a linked program: the linker carries each unit’s lines over', () => {
    const { dir, app } = program();
    const files = compiled(app).map((c) => {
      const path = join(dir, `${c.declared.name}.smf`);
      writeFileSync(path, emitSmf(c));
      return path;
    });
    const out = join(dir, 'linked.smf');
    const r = link(files, { output: out, instantiate: 'eager' });
    expect(r.ok).toBe(true);
    if (r.ok) writeFileSync(out, r.bytes);
    const trap = trapOf((loader) => {
      const l = loader.load(out);
      if (l.kind === 'error') throw l.error;
    });
    expect(trap.backtrace.map((f) => `${f.function}:${f.line}`)).toEqual(['pick<i64>:3', 'walk:5', 'walk:6', 'walk:6', 'walk:6', 'main:11']);
  });

  it('an engine trap (division by zero) maps the same way', () => {
    const dir = tempDir();
    const path = join(dir, 'div.spl');
    writeFileSync(path, 'fn divide(a: i64, b: i64) -> i64:\n    print("dividing")\n    a / b\n\nfn main() -> i64:\n    divide(1, 0)\n');
    const trap = trapOf((loader) => {
      for (const c of compiled(path)) loader.loadCompiled(c);
    });
    expect(trap.backtrace.map((f) => `${f.function}:${f.line}`)).toEqual(['divide:3', 'main:6']);
    expect(formatBacktrace(trap.backtrace)).toBe(`  at divide (${path}:3)\n  at main (${path}:6)`);
  });

  it('metered code (a loader with limits) keeps its lines: the metering pass carries the table over', () => {
    const { dir, app } = program();
    const trap = trapOf(
      (loader) => {
        for (const c of compiled(app)) loader.loadCompiled(c);
      },
      { limits: { fuel: 1_000_000n } },
    );
    expect(trap.backtrace).toEqual(EXPECTED((name) => join(dir, name)));
  });

  it('a fuel trap inside a loop names the loop body\'s line', () => {
    const dir = tempDir();
    const path = join(dir, 'spin.spl');
    writeFileSync(path, 'fn spin() -> i64:\n    var n = 0\n    while true:\n        n += 1\n    n\n\nfn main() -> i64:\n    spin()\n');
    const trap = trapOf(
      (loader) => {
        for (const c of compiled(path)) loader.loadCompiled(c);
      },
      { limits: { fuel: 10_000n } },
    );
    expect(trap.code).toBe('TRAP_OUT_OF_FUEL');
    expect(trap.backtrace.map((f) => `${f.function}:${f.line}`)).toEqual([expect.stringMatching(/^spin:[34]$/), 'main:8']);
  });
});

describe('the simple.lines section', () => {
  it('records, per function, where the code of each statement line starts', () => {
    const dir = tempDir();
    const path = join(dir, 'lines.spl');
    writeFileSync(path, 'fn f(x: i64) -> i64:\n    val a = x + 1\n    val b = a * 2\n\n    b - 3\n');
    const [c] = compiled(path);
    const wasm = c.unit.wasm;
    const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    const [payload] = WebAssembly.Module.customSections(module, LINES_SECTION);
    const table = readLineTable(new Uint8Array(payload))!;
    expect(table.functions).toHaveLength(1);
    const f = table.functions[0];
    expect(f).toMatchObject({ file: path, line: 1 });
    const lines = f.marks.filter((_, i) => i % 2 === 1);
    expect(lines).toEqual([2, 3, 5]);
    const offsets = f.marks.filter((_, i) => i % 2 === 0);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('a unit lowered from IR the checker did not make has no table (and the same code)', () => {
    const unit = lowerUnit({ name: 'bare', functions: [], externs: [], structs: { struct: () => undefined } as never });
    const module = new WebAssembly.Module(unit.wasm as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.customSections(module, LINES_SECTION)).toEqual([]);
  });
});
