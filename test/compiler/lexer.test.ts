import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYWORDS, LEX_CODES, PUNCTUATORS } from '../../src/compiler/lexer/index.js';
import type { StrToken, Token } from '../../src/compiler/lexer/index.js';
import { kinds, lex, where } from './parse-helpers.js';

function only(text: string): Token {
  const { tokens, diagnostics } = lex(text);
  expect(where(diagnostics)).toEqual([]);
  expect(tokens.map((t) => t.kind).slice(1)).toEqual(['Newline', 'EOF']);
  return tokens[0];
}

function strParts(t: Token): unknown[] {
  expect(t.kind).toBe('Str');
  return (t as StrToken).parts.map((p) =>
    p.kind === 'text' ? p.value : { interp: p.tokens.map((x) => (x.kind === 'Ident' ? x.text : x.kind)) },
  );
}

describe('lexer: words', () => {
  it('lexes every keyword as its own kind', () => {
    const { tokens } = lex(KEYWORDS.join(' '));
    expect(tokens.slice(0, KEYWORDS.length).map((t) => t.kind)).toEqual([...KEYWORDS]);
  });

  it('lexes identifiers, including keyword prefixes, underscores and Unicode', () => {
    const { tokens } = lex('fnx _a1 selfish café i64 f32x4 Ω');
    expect(tokens.slice(0, 7).map((t) => [t.kind, t.text])).toEqual([
      ['Ident', 'fnx'],
      ['Ident', '_a1'],
      ['Ident', 'selfish'],
      ['Ident', 'café'],
      ['Ident', 'i64'],
      ['Ident', 'f32x4'],
      ['Ident', 'Ω'],
    ]);
  });

  it('ends an identifier at the ASCII characters next to the letter and digit ranges, and goes on through non-ASCII ones', () => {
    const { tokens } = lex('aZ09_z/b:c[d{e x\u00b7y caf\u00e9s1');
    expect(tokens.slice(0, 13).map((t) => [t.kind, t.text])).toEqual([
      ['Ident', 'aZ09_z'],
      ['/', '/'],
      ['Ident', 'b'],
      [':', ':'],
      ['Ident', 'c'],
      ['[', '['],
      ['Ident', 'd'],
      ['{', '{'],
      ['Ident', 'e'],
      ['Ident', 'x\u00b7y'],
      ['Ident', 'caf\u00e9s1'],
      ['Newline', ''],
      ['EOF', ''],
    ]);
    for (const c of ['@', '`', '$']) expect(lex(`a${c}b`).diagnostics.map((d) => d.message)).toEqual([expect.stringContaining(`unexpected character '${c}'`)]);
  });

  it('gives tokens exact spans', () => {
    const { tokens } = lex('val x = 10');
    expect(tokens.map((t) => [t.kind, t.span.start, t.span.end])).toEqual([
      ['val', 0, 3],
      ['Ident', 4, 5],
      ['=', 6, 7],
      ['Int', 8, 10],
      ['Newline', 10, 10],
      ['EOF', 10, 10],
    ]);
  });
});

describe('lexer: numbers', () => {
  it.each([
    ['42', 42n],
    ['1_000', 1000n],
    ['0xff', 255n],
    ['0XFF', 255n],
    ['0b1010', 10n],
    ['0o17', 15n],
    ['0', 0n],
    ['18446744073709551615', 18446744073709551615n],
  ])('integer %s', (text, value) => {
    const t = only(text);
    expect(t.kind).toBe('Int');
    expect(t.kind === 'Int' && t.value).toBe(value);
    expect(t.text).toBe(text);
  });

  it.each([
    ['3.5', 3.5],
    ['1e-3', 0.001],
    ['2.5e10', 2.5e10],
    ['1E5', 1e5],
    ['1e+2', 100],
    ['1_000.25', 1000.25],
    ['0.1', 0.1],
  ])('float %s', (text, value) => {
    const t = only(text);
    expect(t.kind).toBe('Float');
    expect(t.kind === 'Float' && t.value).toBe(value);
    expect(t.text).toBe(text);
  });

  it('does not take a range or a method call as a fraction', () => {
    expect(kinds('0..10')).toEqual(['Int', '..', 'Int', 'Newline', 'EOF']);
    expect(kinds('0..=10')).toEqual(['Int', '..=', 'Int', 'Newline', 'EOF']);
    expect(kinds('1.foo')).toEqual(['Int', '.', 'Ident', 'Newline', 'EOF']);
  });

  it('reads tuple indices after a dot as integers: t.0.1', () => {
    const { tokens } = lex('t.0.1');
    expect(tokens.map((t) => [t.kind, t.text]).slice(0, 5)).toEqual([
      ['Ident', 't'],
      ['.', '.'],
      ['Int', '0'],
      ['.', '.'],
      ['Int', '1'],
    ]);
  });

  it('reports bad literals once and keeps going', () => {
    expect(where(lex('0x + 12abc + 0b102 + 1').diagnostics)).toEqual([
      "1:1 expected hexadecimal digits after '0x'",
      "1:8 invalid suffix 'abc' on number literal",
      "1:18 invalid digit '2' in binary literal",
    ]);
    expect(kinds('12abc + 1')).toEqual(['Int', '+', 'Int', 'Newline', 'EOF']);
    expect(lex('12abc').diagnostics[0].code).toBe(LEX_CODES.badNumber);
  });
});

describe('lexer: operators and punctuation', () => {
  it('lexes every punctuator, longest match first', () => {
    const { tokens, diagnostics } = lex(PUNCTUATORS.join(' '));
    expect(diagnostics).toEqual([]);
    expect(tokens.slice(0, PUNCTUATORS.length).map((t) => t.kind)).toEqual([...PUNCTUATORS]);
  });

  it('splits glued operators by longest match', () => {
    expect(kinds('a<=b>>c..=d->e')).toEqual(['Ident', '<=', 'Ident', '>>', 'Ident', '..=', 'Ident', '->', 'Ident', 'Newline', 'EOF']);
    expect(kinds('x+=-1')).toEqual(['Ident', '+=', '-', 'Int', 'Newline', 'EOF']);
  });

  it('rejects unknown characters with a hint for !', () => {
    const { tokens, diagnostics } = lex('a @ !b $');
    expect(where(diagnostics)).toEqual([
      "1:3 unexpected character '@' (U+0040)",
      "1:5 unexpected '!'; write 'not' for logical negation",
      "1:8 unexpected character '$' (U+0024)",
    ]);
    expect(tokens.map((t) => t.kind)).toEqual(['Ident', 'Ident', 'Newline', 'EOF']);
    expect(diagnostics[0].code).toBe(LEX_CODES.unexpectedChar);
  });

  it('skips comments to the end of the line', () => {
    expect(kinds('a # b c "d\nx')).toEqual(['Ident', 'Newline', 'Ident', 'Newline', 'EOF']);
  });
});

describe('lexer: strings', () => {
  it('decodes escapes', () => {
    const t = only(String.raw`"a\n\t\r\\\"\{\}\0\'\u{48}\u{1F600}z"`);
    expect(strParts(t)).toEqual(['a\n\t\r\\"{}\0\'H\u{1F600}z']);
  });

  it('has no parts for the empty string', () => {
    expect(strParts(only('""'))).toEqual([]);
  });

  it('reports unknown and malformed escapes but keeps the string', () => {
    const { tokens, diagnostics } = lex(String.raw`"a\qb\u{zz}\u{110000}"`);
    expect(where(diagnostics)).toEqual([
      "1:3 unknown escape sequence '\\q'",
      "1:6 invalid unicode escape; write '\\u{XXXX}' with 1 to 6 hex digits",
      "1:12 '\\u{110000}' is not a Unicode scalar value",
    ]);
    expect(diagnostics.every((d) => d.code === LEX_CODES.badEscape)).toBe(true);
    expect(strParts(tokens[0])).toEqual(['aqb']);
  });

  it('reports an unterminated string at its opening quote, spanning to the end of the line', () => {
    const { tokens, diagnostics } = lex('x = "abc\ny');
    expect(where(diagnostics)).toEqual(['1:5 unterminated string literal']);
    expect(diagnostics[0].span).toEqual({ start: 4, end: 8 });
    expect(diagnostics[0].code).toBe(LEX_CODES.unterminatedString);
    expect(tokens.map((t) => t.kind)).toEqual(['Ident', '=', 'Str', 'Newline', 'Ident', 'Newline', 'EOF']);
  });

  it('rejects a lone closing brace', () => {
    expect(where(lex('"a}b"').diagnostics)).toEqual(["1:3 unmatched '}' in string literal; write '\\}' for a literal brace"]);
  });

  it('splits interpolation into text and token parts', () => {
    const t = only('"a {x + 1} b"');
    expect(strParts(t)).toEqual(['a ', { interp: ['x', '+', 'Int'] }, ' b']);
    const parts = (t as StrToken).parts;
    expect(parts.map((p) => [p.span.start, p.span.end])).toEqual([
      [1, 3],
      [3, 10],
      [10, 12],
    ]);
  });

  it('handles adjacent interpolations and ones at the edges', () => {
    expect(strParts(only('"{a}{b}"'))).toEqual([{ interp: ['a'] }, { interp: ['b'] }]);
  });

  it('handles strings, brackets and braces nested inside an interpolation', () => {
    const t = only('"{f("x")} and {xs[g(1)]} {"in {y}"}"');
    expect(strParts(t)).toEqual([
      { interp: ['f', '(', 'Str', ')'] },
      ' and ',
      { interp: ['xs', '[', 'g', '(', 'Int', ')', ']'] },
      ' ',
      { interp: ['Str'] },
    ]);
    const parts = (t as StrToken).parts;
    const inner = parts[0].kind === 'interp' ? parts[0].tokens[2] : null;
    expect(strParts(inner as Token)).toEqual(['x']);
    const nested = parts[4].kind === 'interp' ? parts[4].tokens[0] : null;
    expect(strParts(nested as Token)).toEqual(['in ', { interp: ['y'] }]);
  });

  it('keeps an escaped brace literal', () => {
    expect(strParts(only(String.raw`"\{x\}"`))).toEqual(['{x}']);
  });

  it('reports an interpolation cut off by the end of the line once', () => {
    const { diagnostics } = lex('"a {x\nb');
    expect(where(diagnostics)).toEqual(['1:1 unterminated string literal']);
  });
});

describe('lexer: layout', () => {
  it('emits NEWLINE, INDENT and DEDENT around a block', () => {
    expect(kinds('if a:\n    b\nc\n')).toEqual([
      'if', 'Ident', ':', 'Newline',
      'Indent', 'Ident', 'Newline',
      'Dedent', 'Ident', 'Newline',
      'EOF',
    ]);
  });

  it('closes several blocks at once and all open blocks at the end of the file', () => {
    const text = 'a:\n  b:\n    c\nd:\n  e:\n      f';
    expect(kinds(text)).toEqual([
      'Ident', ':', 'Newline',
      'Indent', 'Ident', ':', 'Newline',
      'Indent', 'Ident', 'Newline',
      'Dedent', 'Dedent', 'Ident', ':', 'Newline',
      'Indent', 'Ident', ':', 'Newline',
      'Indent', 'Ident', 'Newline',
      'Dedent', 'Dedent', 'EOF',
    ]);
  });

  it('accepts any consistent depth', () => {
    const two = kinds('a:\n  b\n  c\n');
    const three = kinds('a:\n   b\n   c\n');
    expect(two).toEqual(three);
    expect(two).toEqual(['Ident', ':', 'Newline', 'Indent', 'Ident', 'Newline', 'Ident', 'Newline', 'Dedent', 'EOF']);
  });

  it('ignores blank and comment-only lines, whatever their indentation', () => {
    const text = 'a:\n    b\n\n  # note\n        \n            # deep\n    c\nd\n';
    expect(kinds(text)).toEqual(kinds('a:\n    b\n    c\nd\n'));
    expect(lex(text).diagnostics).toEqual([]);
  });

  it('joins lines inside brackets, parentheses and braces', () => {
    expect(kinds('f(1,\n        2,\n  3)\ng')).toEqual([
      'Ident', '(', 'Int', ',', 'Int', ',', 'Int', ')', 'Newline', 'Ident', 'Newline', 'EOF',
    ]);
    expect(kinds('x = [\n  1,\n]\n')).toEqual(['Ident', '=', '[', 'Int', ',', ']', 'Newline', 'EOF']);
    expect(kinds('use a.{\n  b,\n  c}\n')).toEqual(['use', 'Ident', '.', '{', 'Ident', ',', 'Ident', '}', 'Newline', 'EOF']);
  });

  it('handles CRLF line endings, a missing final newline and a BOM', () => {
    expect(kinds('\uFEFFa:\r\n    b\r\nc')).toEqual(kinds('a:\n    b\nc\n'));
  });

  it('lexes an empty or comment-only file to just EOF', () => {
    expect(kinds('')).toEqual(['EOF']);
    expect(kinds('# nothing\n\n   \n')).toEqual(['EOF']);
  });

  it('reports a tab in indentation and still nests', () => {
    const { tokens, diagnostics } = lex('if a:\n\tb\n\tc\n');
    expect(where(diagnostics)).toEqual(['2:1 tab in indentation; indent with spaces', '3:1 tab in indentation; indent with spaces']);
    expect(diagnostics[0].code).toBe(LEX_CODES.tabIndent);
    expect(tokens.map((t) => t.kind)).toEqual(['if', 'Ident', ':', 'Newline', 'Indent', 'Ident', 'Newline', 'Ident', 'Newline', 'Dedent', 'EOF']);
  });

  it('allows tabs after the indentation', () => {
    expect(lex('a\t=\t1\n').diagnostics).toEqual([]);
  });

  it('reports a dedent to a depth that was never opened, keeping INDENT/DEDENT balanced', () => {
    const { tokens, diagnostics } = lex('if a:\n        b\n    c\nd\n');
    expect(where(diagnostics)).toEqual(['3:5 unindent does not match any outer indentation level']);
    expect(diagnostics[0].code).toBe(LEX_CODES.badDedent);
    expect(tokens.map((t) => t.kind)).toEqual([
      'if', 'Ident', ':', 'Newline', 'Indent', 'Ident', 'Newline', 'Ident', 'Newline', 'Dedent', 'Ident', 'Newline', 'EOF',
    ]);
  });

  it('keeps INDENT and DEDENT balanced for any indentation (property)', () => {
    const line = fc.record({ depth: fc.integer({ min: 0, max: 12 }), blank: fc.boolean() });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.map((l) => ' '.repeat(l.depth) + (l.blank ? '' : 'x')).join('\n');
        let open = 0;
        for (const t of lex(text).tokens) {
          if (t.kind === 'Indent') open++;
          if (t.kind === 'Dedent') open--;
          if (open < 0) return false;
        }
        return open === 0;
      }),
    );
  });
});

describe('lexer: unclosed brackets', () => {
  it('ends a bracketed line early when the next line starts with a statement keyword', () => {
    expect(kinds('x = f(1,\nval y = 2\n')).toEqual([
      'Ident', '=', 'Ident', '(', 'Int', ',', 'Newline', 'val', 'Ident', '=', 'Int', 'Newline', 'EOF',
    ]);
  });

  it('does not mistake identifiers that merely start like keywords', () => {
    expect(kinds('f(1,\n  value)\n')).toEqual(['Ident', '(', 'Int', ',', 'Ident', ')', 'Newline', 'EOF']);
  });
});
