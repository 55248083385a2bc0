import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { clipQuoted, clipText, FileError, MAX_QUOTED } from '../../src/errors.js';
import { MAX_SHOWN_LINE } from '../../src/compiler/diagnostics.js';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { smf, workspace } from './helpers.js';

const BIG = 100_000;

describe('messages: long values are clipped (issue #11, point 9)', () => {
  it('clipText: 120 characters are shown whole; 121 are clipped to at most 120, with the length', () => {
    expect(MAX_QUOTED).toBe(120);
    const edge = 'x'.repeat(MAX_QUOTED);
    expect(clipText(edge)).toBe(edge);
    const over = 'a'.repeat(100) + 'b'.repeat(MAX_QUOTED + 1 - 100);
    const clipped = clipText(over);
    expect(clipped.length).toBeLessThanOrEqual(MAX_QUOTED);
    expect(clipped).toMatch(/^a+…a+b{21} \(121 characters\)$/);
    expect(clipText(clipped)).toBe(clipped);
  });

  it('clipText never splits a surrogate pair', () => {
    for (let shift = 0; shift < 4; shift++) {
      const text = 'x'.repeat(shift) + '😀'.repeat(200);
      const clipped = clipText(text);
      expect(clipped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });

  it('every typed error clips quoted values in its message', () => {
    const e = new FileError('p'.repeat(BIG), 'read', 'no such file or directory');
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toContain(`(${BIG} characters)'`);
    expect(clipQuoted(`'${'q'.repeat(MAX_QUOTED)}'`)).toBe(`'${'q'.repeat(MAX_QUOTED)}'`);
  });

  it('smf compile: a 100 KB name, type or literal, and its 100 KB source line, are not echoed', () => {
    const d = workspace({
      'name.spl': `fn main() -> i64:\n    undefined_${'z'.repeat(BIG)}()\n`,
      'type.spl': `struct S${'Q'.repeat(BIG)}:\n    x: i64\n\nfn main() -> i64:\n    val s = S${'Q'.repeat(BIG)}(x: 1)\n    val y: i64 = s\n    y\n`,
      'literal.spl': `fn main() -> i64:\n    val x: i64 = ${'9'.repeat(BIG)}\n    x\n`,
      'string.spl': `fn main() -> i64:\n    val x: i64 = "${'a'.repeat(BIG)}"\n    x\n`,
    });
    for (const [file, what] of [
      ['name.spl', /unknown name 'undefined_z+…z+ \(100010 characters\)'/],
      ['type.spl', /found 'SQ+…Q+ \(100001 characters\)'/],
      ['literal.spl', /literal 9+…9+ \(100000 characters\) does not fit in i64/],
      ['string.spl', /expected 'i64', found 'text'/],
    ] as const) {
      const r = smf(['compile', file], d);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(what);
      expect(r.stderr.length).toBeLessThan(1500);
      for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_SHOWN_LINE + 300);
    }
  });

  it('the source line in a CompileError is shown as it is, not clipped like a quoted value', () => {
    const line = `    undefined_name  # '${'c'.repeat(130)}'`;
    const d = workspace({ 'q.spl': `fn main() -> i64:\n${line}\n` });
    let message = '';
    try {
      new CompileSession().compileFiles([join(d, 'q.spl')]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')[1]).toBe(line);
  });

  it('a long source line is shown as a window around the caret, the caret under the right character', () => {
    const d = workspace({ 'far.spl': `fn main() -> i64:\n    val s = "${'a'.repeat(BIG)}" + undefined_name\n    0\n` });
    const r = smf(['compile', 'far.spl'], d);
    expect(r.code).toBe(1);
    const [, shown, caret] = r.stderr.split('\n');
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(MAX_SHOWN_LINE + 2);
    expect(caret.indexOf('^')).toBe(shown.indexOf('undefined_name'));
    expect(caret.trim()).toBe('^' + '~'.repeat('undefined_name'.length - 1));
  });

  it('E0420 for a finite chain of different templates says so, instead of "instantiates itself"', () => {
    const n = 30;
    let lib = '';
    for (let i = 0; i < n; i++) lib += `fn g${i}<T>(x: T) -> i64:\n    g${i + 1}(x)\n\n`;
    lib += `fn g${n}<T>(x: T) -> i64:\n    1\n`;
    const d = workspace({ 'lib.spl': lib, 'app.spl': 'use lib.{g0}\n\nfn main() -> i64:\n    g0(1)\n' });
    expect(smf(['compile', 'lib.spl', 'app.spl'], d).code).toBe(0);
    const linked = smf(['link', 'app.smf', 'lib.smf', '-o', 'out.smf', '--instantiate', 'eager', '--max-depth', '10'], d);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(
      /instantiation too deep \(E0420\): a chain of 11 instances of different templates, each required by the one before; none instantiates itself: g0<i64> -> g1<i64> -> g2<i64> -> … -> g10<i64> \(stopped at depth 10\)/,
    );
    expect(linked.stderr).not.toContain('instantiates itself with');

    // The compiler, past its depth limit of 100.
    let deep = '';
    for (let i = 0; i < 110; i++) deep += `fn g${i}<T>(x: T) -> i64:\n    g${i + 1}(x)\n\n`;
    writeFileSync(join(d, 'deep.spl'), `${deep}fn g110<T>(x: T) -> i64:\n    1\n\nfn main() -> i64:\n    g0(1)\n`);
    const compiled = smf(['compile', 'deep.spl'], d);
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toMatch(/instantiation too deep \(E0420\): a chain of 101 instances .* g0<i64> -> g1<i64> -> g2<i64> -> … -> g100<i64> \(stopped at depth 100\)/);
  });

  it('E0420 for a template that does instantiate itself still says so', () => {
    const d = workspace({ 'grow.spl': 'fn grow<T>(x: T) -> i64:\n    grow((x, x))\n\nfn main() -> i64:\n    grow(1)\n' });
    const r = smf(['compile', 'grow.spl'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/instantiation cycle \(E0420\): 'grow<T>' instantiates itself with ever larger type arguments/);
  });
});
