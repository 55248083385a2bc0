import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { DEFAULT_MAX_INSTANCES } from '../../src/compiler/driver/compile-module.js';
import { link } from '../../src/linker/index.js';
import { MAX_NOTE_SIZE, SmfReader, writeSmf } from '../../src/smf/index.js';
import { smf, workspace } from './helpers.js';

const FAN = 'fn fan<T>(x: T, depth: i64) -> i64:\n    if depth == 0:\n        return 1\n    fan((x, 1), depth - 1) + fan((x, 1.5), depth - 1)\n\nfn main() -> i64:\n    fan(1, 10)\n';

/** A module calling `pair<A, B>` at `n` distinct pairs of types (up to 66² of them). */
function pairs(n: number): { lib: string; app: string } {
  const base: Array<[string, string]> = [['i8', '0'], ['i16', '0'], ['i32', '0'], ['i64', '0'], ['u8', '0'], ['u16', '0'], ['u32', '0'], ['u64', '0'], ['f32', '0.0'], ['f64', '0.0'], ['bool', 'true'], ['text', '""']];
  const types: Array<[string, string]> = [
    ...base,
    ...base.map(([t]): [string, string] => [`[${t}]`, '[]']),
    ...base.map(([t]): [string, string] => [`[[${t}]]`, '[]']),
    ...base.map(([t, v]): [string, string] => [`(${t}, ${t})`, `(${v}, ${v})`]),
    ...base.map(([t, v]): [string, string] => [`(${t}, i64)`, `(${v}, 0)`]),
    ...base.map(([t, v]): [string, string] => [`(${t}, bool)`, `(${v}, true)`]),
  ];
  const calls: string[] = [];
  for (const [ta, va] of types) for (const [tb, vb] of types) if (calls.length < n) calls.push(`    n += pair<${ta}, ${tb}>(${va}, ${vb})\n`);
  let fns = '';
  let main = 'fn main() -> i64:\n    var t = 0\n';
  for (let i = 0; i * 200 < calls.length; i++) {
    fns += `fn part${i}() -> i64:\n    var n = 0\n${calls.slice(i * 200, i * 200 + 200).join('')}    n\n\n`;
    main += `    t += part${i}()\n`;
  }
  return { lib: 'fn pair<A, B>(a: A, b: B) -> i64:\n    1\n', app: `use lib.{pair}\n\n${fns}${main}    t % 256\n` };
}

describe('generic fan-out is bounded (issue #11, point 4)', () => {
  it('a template instantiating itself twice per level: a clear E0422 naming the chain', () => {
    const d = workspace({ 'fan.spl': FAN });
    // The unbounded fan-out never ended: the child's deadline (a signal) catches that, without a
    // speed assertion that a busy machine could break.
    const r = smf(['compile', 'fan.spl'], d, 60_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fan\\.spl:4:\\d+: error: too many instances \\(E0422\\): module 'fan' needs more than ${DEFAULT_MAX_INSTANCES} instances of templates; 'fan<T>' has \\d+ of them\\. ` +
          `The one over the limit is required through fan<i64> -> fan<\\(i64, i64\\)> -> fan<\\(\\(i64, i64\\), i64\\)> -> … -> fan<.*? \\(depth \\d+\\): ` +
          `a template that instantiates itself with more than one new type argument list per level doubles its instances at every level`,
      ),
    );
  });

  it('at load time the JIT, depth first, stops a fan-out at its depth limit with the chain (no change needed)', () => {
    const d = workspace({ 'lib.spl': 'fn fan<T>(x: T, depth: i64) -> i64:\n    1\n', 'app.spl': 'use lib.{fan}\n\nfn main() -> i64:\n    fan(1, 10)\n' });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d).code).toBe(0);
    // The library changes under the compiled program: only the loader meets the fan-out.
    writeFileSync(join(d, 'lib.spl'), FAN.slice(0, FAN.indexOf('\nfn main')));
    expect(smf(['compile', 'lib.spl'], d).code).toBe(0);
    const r = smf(['run', 'app.smf'], d, 30_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/instantiation cycle \(E0420\) fan->fan: .*fan<i64> -> fan<\(i64, i64\)> -> .*\(Maximum JIT depth \(50\) exceeded\)/);
  });

  it('the compiler: the limit is the last count accepted, one more is refused', () => {
    const { lib, app } = pairs(30);
    const d = workspace({ 'app.spl': app.replace('use lib.{pair}\n\n', lib + '\n') });
    expect(() => new CompileSession({ maxInstances: 30 }).compileFiles([join(d, 'app.spl')])).not.toThrow();
    expect(() => new CompileSession({ maxInstances: 29 }).compileFiles([join(d, 'app.spl')])).toThrow(/too many instances \(E0422\): module 'app' needs more than 29 instances of templates; 'pair<A, B>' has 29 of them/);
  });

  it('the linker: --max-instances is the last count accepted, one more is refused (E0422, exit 1)', () => {
    const { lib, app } = pairs(30);
    const d = workspace({ 'lib.spl': lib, 'app.spl': app });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d).code).toBe(0);
    const args = ['link', 'app.smf', 'lib.smf', '--instantiate', 'eager', '-o', 'out.smf'];
    expect(smf([...args, '--max-instances', '30'], d).code).toBe(0);
    const r = smf([...args, '--max-instances', '29'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/too many instances \(E0422\): the link needs more than 29 instances of templates; 'pair' has 29 of them\. The one over the limit is required through pair<.*> \(depth 1\)\n/);
    expect(link([join(d, 'app.smf'), join(d, 'lib.smf')], { instantiate: 'eager', maxInstances: 30, output: join(d, 'x.smf') }).ok).toBe(true);
  });

  it('a program of ~4,000 instances compiles, links and runs: its note is over the old 1 MiB limit', { timeout: 120_000 }, () => {
    const { lib, app } = pairs(4356);
    const d = workspace({ 'lib.spl': lib, 'app.spl': app });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d, 120_000)).toMatchObject({ code: 0, stderr: '' });
    expect(SmfReader.fromBytes(readFileSync(join(d, 'app.smf'))).noteSdnText()!.length).toBeGreaterThan(1024 * 1024);
    expect(smf(['link', 'app.smf', 'lib.smf', '--instantiate', 'eager', '-o', 'out.smf'], d, 120_000)).toMatchObject({ code: 0, stderr: '' });
    expect(smf(['run', 'out.smf'], d, 120_000).code).toBe(4356 % 256);
  });

  it('the note limit is 16 MiB: a note of exactly that size is written and read, one byte more is refused', () => {
    const TERMINATOR = '\n# END_NOTE\n';
    const edge = 'n'.repeat(MAX_NOTE_SIZE - TERMINATOR.length);
    expect(MAX_NOTE_SIZE).toBe(16 * 1024 * 1024);
    expect(SmfReader.fromBytes(writeSmf({ sections: [], note: edge })).noteSdnText()!.length).toBe(MAX_NOTE_SIZE);
    expect(() => writeSmf({ sections: [], note: edge + 'n' })).toThrow(/16777217 bytes exceed the 16777216-byte note limit/);
  });
});
