import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import { CompileError, DiagnosticBag, formatDiagnostic, makeDiagnostic } from '../../src/compiler/diagnostics.js';
import type { Diagnostic } from '../../src/compiler/diagnostics.js';
import { parseModule } from '../../src/compiler/parser/index.js';
import { SourceFile } from '../../src/compiler/source.js';

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
