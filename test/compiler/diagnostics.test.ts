import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import { CompileError, DiagnosticBag, formatDiagnostic, makeDiagnostic } from '../../src/compiler/diagnostics.js';
import type { Diagnostic } from '../../src/compiler/diagnostics.js';
import { parseModule } from '../../src/compiler/parser/index.js';
import { SourceFile } from '../../src/compiler/source.js';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { resolve } from 'node:path';

describe('SourceFile', () => {
  it('records line starts for LF, CRLF and lone CR', () => {
    expect(new SourceFile('a', 'ab\ncd\r\nef\rg').lineStarts).toEqual([0, 3, 7, 10]);
    expect(new SourceFile('a', '').lineStarts).toEqual([0]);
    expect(new SourceFile('a', 'x\n').lineStarts).toEqual([0, 2]);
  });

  it('maps offsets to 1-based line and column', () => {
    const f = new SourceFile('a', 'ab\ncd\r\nef');
    expect(f.lineCol(0)).toEqual({ line: 1, col: 1 });
    expect(f.lineCol(2)).toEqual({ line: 1, col: 3 });
    expect(f.lineCol(3)).toEqual({ line: 2, col: 1 });
    expect(f.lineCol(8)).toEqual({ line: 3, col: 2 });
    expect(f.lineCol(9)).toEqual({ line: 3, col: 3 });
    expect(f.lineCol(99)).toEqual({ line: 3, col: 3 });
    expect(f.lineCol(-5)).toEqual({ line: 1, col: 1 });
  });

  it('counts columns in code points, so astral characters are one column', () => {
    const f = new SourceFile('a', 'é😀x');
    expect(f.lineCol(f.text.indexOf('x'))).toEqual({ line: 1, col: 3 });
  });

  it('returns line text without its terminator', () => {
    const f = new SourceFile('a', 'ab\ncd\r\nef\rg');
    expect([1, 2, 3, 4, 5, 0].map((l) => f.lineText(l))).toEqual(['ab', 'cd', 'ef', 'g', '', '']);
  });

  it('agrees with a naive scan (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\n', '\r\n', ' '), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.nat(), (t, k) => {
        const f = new SourceFile('p', t);
        const offset = t.length === 0 ? 0 : k % (t.length + 1);
        const before = t.slice(0, offset);
        const lines = before.split(/\r\n|\n/);
        const last = lines[lines.length - 1];
        const want = { line: lines.length, col: [...last].length + 1 };
        // An offset between \r and \n sits at the end of the line the pair terminates.
        if (before.endsWith('\r')) return true;
        expect(f.lineCol(offset)).toEqual(want);
        return true;
      }),
    );
  });
});

function diag(file: SourceFile | string, start: number, end: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'error', message, file, span: { start, end }, ...extra };
}

describe('formatDiagnostic', () => {
  const f = new SourceFile('lib.spl', 'fn main():\n    val x = foo + 1\n');

  it('prints location, severity, message, the line and a caret with tildes over the span', () => {
    const start = f.text.indexOf('foo');
    expect(formatDiagnostic(diag(f, start, start + 3, "unknown name 'foo'"))).toBe(
      ["lib.spl:2:13: error: unknown name 'foo'", '    val x = foo + 1', '            ^~~'].join('\n'),
    );
  });

  it('prints a lone caret for an empty or one-character span', () => {
    const at = f.text.indexOf('+');
    const expected = ['lib.spl:2:17: error: m', '    val x = foo + 1', '                ^'].join('\n');
    expect(formatDiagnostic(diag(f, at, at, 'm'))).toBe(expected);
    expect(formatDiagnostic(diag(f, at, at + 1, 'm'))).toBe(expected);
  });

  it('stops the tildes at the end of the first line of a multi-line span', () => {
    const start = f.text.indexOf('main');
    expect(formatDiagnostic(diag(f, start, f.text.length, 'm')).split('\n')[2]).toBe('   ^~~~~~~');
  });

  it('puts the caret under the right character after multibyte characters', () => {
    const g = new SourceFile('u.spl', 'val s = "héllo 😀" + ünknown\n');
    const start = g.text.indexOf('ünknown');
    expect(formatDiagnostic(diag(g, start, start + 7, "unknown name 'ünknown'", { severity: 'warning' }))).toBe(
      [
        "u.spl:1:21: warning: unknown name 'ünknown'",
        'val s = "héllo 😀" + ünknown',
        '                    ^~~~~~~',
      ].join('\n'),
    );
  });

  it('keeps tabs before the caret so it stays aligned', () => {
    const g = new SourceFile('t.spl', '\tx = y\n');
    expect(formatDiagnostic(diag(g, 5, 6, 'm')).split('\n')[2]).toBe('\t    ^');
  });

  it('points past the last character for an offset at the end of a line', () => {
    const g = new SourceFile('e.spl', 'if x\n    y\n');
    expect(formatDiagnostic(diag(g, 4, 4, "expected ':'"))).toBe(["e.spl:1:5: error: expected ':'", 'if x', '    ^'].join('\n'));
  });

  it('prints only a header without a span or without source text', () => {
    expect(formatDiagnostic({ severity: 'error', message: 'no main', file: f, span: null })).toBe('lib.spl: error: no main');
    expect(formatDiagnostic({ severity: 'error', message: 'cannot read', file: 'x.spl', span: { start: 0, end: 1 } })).toBe(
      'x.spl: error: cannot read',
    );
  });

  it('appends notes in the same form', () => {
    const start = f.text.indexOf('x');
    const note = diag(f, 0, 2, 'in this function', { severity: 'note' });
    expect(formatDiagnostic(diag(f, start, start + 1, 'unused', { notes: [note] }))).toBe(
      [
        'lib.spl:2:9: error: unused',
        '    val x = foo + 1',
        '        ^',
        'lib.spl:1:1: note: in this function',
        'fn main():',
        '^~',
      ].join('\n'),
    );
  });

  it('formats parser output end to end', () => {
    const src = new SourceFile('m.spl', 'fn main():\n    val ä = (1 + )\n');
    const { diagnostics } = parseModule(src);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      ["m.spl:2:18: error: expected an expression, found ')'", '    val ä = (1 + )', '                 ^'].join('\n'),
    ]);
  });
});

describe('CompileError', () => {
  it('is a SimpleError with code COMPILE_ERROR whose message is every diagnostic', () => {
    const f = new SourceFile('a.spl', 'x y\n');
    const ds = [diag(f, 0, 1, 'first'), diag(f, 2, 3, 'second')];
    const e = new CompileError(ds);
    expect(e).toBeInstanceOf(SimpleError);
    expect(e.code).toBe('COMPILE_ERROR');
    expect(e.name).toBe('CompileError');
    expect(e.diagnostics).toBe(ds);
    expect(e.message).toBe(['a.spl:1:1: error: first', 'x y', '^', 'a.spl:1:3: error: second', 'x y', '  ^'].join('\n'));
  });
});

describe('DiagnosticBag', () => {
  it('collects errors and warnings and throws a CompileError only for errors', () => {
    const bag = new DiagnosticBag();
    bag.warning('a.spl', null, 'w');
    expect(bag.hasErrors).toBe(false);
    expect(() => bag.throwIfErrors()).not.toThrow();
    bag.error('a.spl', null, 'e', 'E1');
    expect(bag.errorCount).toBe(1);
    expect(bag.diagnostics).toEqual([makeDiagnostic('warning', 'a.spl', null, 'w'), makeDiagnostic('error', 'a.spl', null, 'e', 'E1')]);
    expect(() => bag.throwIfErrors()).toThrow(CompileError);
  });

  it('stops after the limit with one "too many errors" error', () => {
    const bag = new DiagnosticBag(3);
    for (let i = 0; i < 10; i++) bag.error('a.spl', null, `e${i}`);
    expect(bag.isFull).toBe(true);
    expect(bag.diagnostics.map((d) => d.message)).toEqual(['e0', 'e1', 'e2', 'too many errors (more than 3); stopping']);
  });

  it('caps the parser too: a file with hundreds of errors stops early', () => {
    const text = 'fn main():\n' + '    val = 1\n'.repeat(300);
    const { diagnostics } = parseModule(new SourceFile('many.spl', text));
    expect(diagnostics.length).toBe(51);
    expect(diagnostics[50].message).toBe('too many errors (more than 50); stopping');
  });
});

/** The messages of compiling `text` as one module (in memory), in the order they are reported. */
function messagesOf(text: string): string[] {
  const path = resolve('/virtual/first-five.spl');
  try {
    new CompileSession().compileFiles([path], new Map([[path, text]]));
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics.map((d) => d.message);
    throw e;
  }
  return [];
}

describe('follow-on errors are silenced: the root cause is said once', () => {
  it('an unknown struct name: no "cannot infer" for the binding, nothing for its field', () => {
    const src = 'struct Point:\n    x: i64\n\nfn main():\n    val p = Pont(x: 1)\n    print(p.x)\n';
    expect(messagesOf(src)).toEqual(["unknown name 'Pont'; did you mean 'Point'?"]);
  });

  it('an unknown type in a binding: no mismatch against a made-up type, no print error', () => {
    expect(messagesOf('fn main():\n    val x: i65 = 3\n    print(x)\n')).toEqual(["unknown type 'i65'; did you mean 'i64'?"]);
  });

  it('a method call and a generic call on an erroneous value say nothing more', () => {
    const src = 'fn id<T>(x: T) -> T:\n    return x\n\nfn main():\n    val a = nope\n    a.len()\n    print(id(a))\n    val b = [nope2]\n    print(b.len())\n';
    expect(messagesOf(src)).toEqual(["unknown name 'nope'", "unknown name 'nope2'"]);
  });

  it('a value that is unknown for a reason of its own is still reported', () => {
    const src = 'fn main():\n    val xs = []\n    val y = nope\n';
    const got = messagesOf(src);
    expect(got).toContain("unknown name 'nope'");
    expect(got.some((m) => m.startsWith("cannot infer the type of 'xs'"))).toBe(true);
  });

  it('lexer and parser errors of one file come in source order', () => {
    const got = messagesOf('fn main():\n    val a = 1 +\n    val w = !a\n');
    expect(got).toEqual(["expected an expression, found end of line", "unexpected '!'; write 'not' for logical negation"]);
  });
});

describe('hints for habits from other languages', () => {
  it("'let' and 'let mut' name 'val' and 'var', and the binding still parses", () => {
    expect(messagesOf('fn main():\n    let y = 4\n    print(y)\n')).toEqual([
      "Simple has no 'let'; write 'val' for a binding, or 'var' for one that changes, as in 'val y = …'",
    ]);
    expect(messagesOf('fn main():\n    let mut y = 4\n    y += 1\n')).toEqual([
      "Simple has no 'let mut'; write 'var' for a binding that changes, as in 'var y = …'",
    ]);
  });

  it("'&&' and '||' name 'and' and 'or', and parse as them", () => {
    expect(messagesOf('fn main():\n    val z = true && false || true\n    print(z)\n')).toEqual([
      "Simple writes '&&' as 'and'",
      "Simple writes '||' as 'or'",
    ]);
    // Bitwise '&' and '|' between integers are untouched.
    expect(messagesOf('fn main():\n    print(6 & 3 | 8)\n')).toEqual([]);
  });

  it("'x++' and 'x--' name '+= 1' and '-= 1'", () => {
    expect(messagesOf('fn main():\n    var i = 0\n    i++\n')).toEqual(["Simple has no '++'; write 'i += 1'"]);
    expect(messagesOf('fn main():\n    var n = 0\n    n--\n')).toEqual(["Simple has no '--'; write 'n -= 1'"]);
  });

  it("'!x' names 'not'", () => {
    expect(messagesOf('fn main():\n    val z = !true\n')).toEqual(["unexpected '!'; write 'not' for logical negation"]);
  });

  it('a misspelt method of a built-in type gets a did-you-mean', () => {
    expect(messagesOf('fn main():\n    var xs: [i64] = []\n    xs.psh(3)\n')).toEqual(["'[i64]' has no method 'psh'; did you mean 'push'?"]);
    expect(messagesOf('fn main():\n    val t = "ab"\n    print(t.lne())\n')).toEqual(["'text' has no method 'lne'; did you mean 'len'?"]);
  });
});
