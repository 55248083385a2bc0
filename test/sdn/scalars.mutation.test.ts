import { describe, expect, it } from 'vitest';
import { parseSdn } from '../../src/sdn/index.js';
import { failure, firstValue } from './failure.js';

// Exact values and messages at the edges of the scalar scanners (numbers, strings, bare words),
// written where mutation testing (docs/testing.md) found the suite silent.

const one = firstValue;

describe('integer literals', () => {
  it('strips leading zeros before bounding the digit count', () => {
    expect(one(`n: ${'0'.repeat(30)}42`)).toBe(42);
    expect(one(`n: 0x${'0'.repeat(30)}1f`)).toBe(31);
    expect(one(`n: -${'0'.repeat(30)}9223372036854775808`)).toBe(-(2n ** 63n));
    expect(one('n: 0000')).toBe(0);
    expect(one('n: 0x000')).toBe(0);
    expect(one('n: 0x100')).toBe(256);
    expect(one('n: 0x1000000000000000')).toBe(2n ** 60n);
    expect(one('n: 100')).toBe(100);
  });

  it('keeps both ends of the safe range as numbers, and the next integers as bigints', () => {
    expect(one('n: -9007199254740991')).toBe(-9007199254740991);
    expect(one('n: -9007199254740992')).toBe(-9007199254740992n);
    expect(one('n: 9007199254740991')).toBe(9007199254740991);
    expect(one('n: 9007199254740992')).toBe(9007199254740992n);
  });

  it('accepts exactly the i64 range, in decimal and hex', () => {
    expect(one('n: -0x8000000000000000')).toBe(-(2n ** 63n));
    expect(one('n: 0xFFFF_FFFF_FFFF')).toBe(0xffffffffffff);
    const out = 'integer literal out of range for i64';
    expect(failure('n: -9223372036854775809')).toEqual({ line: 1, column: 4, reason: out });
    expect(failure('n: 0x8000000000000000')).toEqual({ line: 1, column: 4, reason: out });
    expect(failure('n: 0x10000000000000000')).toEqual({ line: 1, column: 4, reason: out });
    expect(failure('n: 12345678901234567890')).toEqual({ line: 1, column: 4, reason: out });
    expect(failure('n = [1, -99999999999999999999999]')).toEqual({ line: 1, column: 9, reason: out });
  });
});

describe('float literals', () => {
  it('reads exponents with a sign and underscores in the mantissa', () => {
    expect(one('f: 1e+2')).toBe(100);
    expect(one('f: -1_5.2_5e-1')).toBe(-1.525);
    expect(one('f: 0.5')).toBe(0.5);
    expect(one('f = [1E2, -2e0]')).toEqual([100, -2]);
  });

  it('refuses a float beyond the f64 range at the literal, either sign', () => {
    expect(failure('f: -1e400')).toEqual({ line: 1, column: 4, reason: 'float literal out of range' });
    expect(failure('f = [0, 2.0e308]')).toEqual({ line: 1, column: 9, reason: 'float literal out of range' });
  });
});

describe('invalid numbers', () => {
  it('names the token, cut at a separator, and points at its start', () => {
    expect(failure('a = [12ab, 1]')).toEqual({ line: 1, column: 6, reason: "invalid number '12ab'" });
    expect(failure('a = {k: 3q}')).toEqual({ line: 1, column: 9, reason: "invalid number '3q'" });
    expect(failure('a = [4w]')).toEqual({ line: 1, column: 6, reason: "invalid number '4w'" });
    expect(failure('a: 5v#c')).toEqual({ line: 1, column: 4, reason: "invalid number '5v'" });
    expect(failure('a: 6u 7')).toEqual({ line: 1, column: 4, reason: "invalid number '6u'" });
    expect(failure('a: 6u\t7')).toEqual({ line: 1, column: 4, reason: "invalid number '6u'" });
    expect(failure('t: table{i32} = [(8t)]')).toEqual({ line: 1, column: 19, reason: "invalid number '8t'" });
  });

  it('cuts a long token at 40 characters', () => {
    const long = `1${'x'.repeat(60)}`;
    expect(failure(`a: ${long}`).reason).toBe(`invalid number '${long.slice(0, 40)}'`);
    const exact = `1${'y'.repeat(39)}`;
    expect(failure(`a: ${exact} `).reason).toBe(`invalid number '${exact}'`);
  });

  it('refuses a number running into a letter, a dot, an underscore or another number', () => {
    expect(failure('a: 1.').reason).toBe("invalid number '1.'");
    expect(failure('a: 1.x').reason).toBe("invalid number '1.x'");
    expect(failure('a: 1__2').reason).toBe("invalid number '1__2'");
    expect(failure('a: 1_').reason).toBe("invalid number '1_'");
    expect(failure('a: 1e').reason).toBe("invalid number '1e'");
    expect(failure('a: 0x').reason).toBe("invalid number '0x'");
    expect(failure('a: 0xg').reason).toBe("invalid number '0xg'");
    expect(failure('a: 1.2.3').reason).toBe("invalid number '1.2.3'");
    expect(failure('a: -1z').reason).toBe("invalid number '-1z'");
  });

  it('reads a lone minus as no value at all', () => {
    expect(failure('a: -')).toEqual({ line: 1, column: 4, reason: "expected a value, found '-'" });
    expect(failure('a: -x')).toEqual({ line: 1, column: 4, reason: "expected a value, found '-'" });
  });
});

describe('quoted strings', () => {
  it('decodes unicode escapes of one to six hex digits, up to U+10FFFF', () => {
    expect(one('s: "\\u{10FFFF}"')).toBe('\u{10FFFF}');
    expect(one('s: "\\u{00004a}x"')).toBe('Jx');
    expect(one('s: "a\\u{62}c\\u{64}"')).toBe('abcd');
    expect(one('s: "\\u{aBc}"')).toBe('\u0abc');
  });

  it('refuses malformed unicode escapes at the backslash', () => {
    const bad = 'invalid unicode escape; expected \\u{hex} up to 10FFFF';
    expect(failure('s: "x\\u{0000041}"')).toEqual({ line: 1, column: 6, reason: bad });
    expect(failure('s: "\\u{}"')).toEqual({ line: 1, column: 5, reason: bad });
    expect(failure('s: "\\u41"')).toEqual({ line: 1, column: 5, reason: bad });
    expect(failure('s: "\\ux{41}"')).toEqual({ line: 1, column: 5, reason: bad });
    expect(failure('s: "\\u{4g}"')).toEqual({ line: 1, column: 5, reason: bad });
    expect(failure('s: "\\u{41"')).toEqual({ line: 1, column: 5, reason: bad });
  });

  it('reports a backslash at the end of the line as an unterminated string at the backslash', () => {
    expect(failure('s: "abc\\')).toEqual({ line: 1, column: 8, reason: 'unterminated string' });
    expect(failure('s: "\\"')).toEqual({ line: 1, column: 4, reason: 'unterminated string' });
  });

  it('keeps text after an escape and between escapes', () => {
    expect(one('s: "a\\tb\\nc"')).toBe('a\tb\nc');
    expect(one('s: "\\\\\\\\"')).toBe('\\\\');
    expect(one('s: "x\\"y"')).toBe('x"y');
  });

  it('reads what follows a quoted value on the same line', () => {
    expect(parseSdn('a = ["x", "y"]\nb: "q" # c')).toEqual(new Map<string, unknown>([['a', ['x', 'y']], ['b', 'q']]));
  });
});

describe('bare words and keys', () => {
  it('reads keywords only as whole words', () => {
    expect(parseSdn('a: truex\nb: null_\nc: nil.x\nd = [false, falsey]')).toEqual(
      new Map<string, unknown>([
        ['a', 'truex'],
        ['b', 'null_'],
        ['c', 'nil.x'],
        ['d', [false, 'falsey']],
      ]),
    );
  });

  it('lets a bare value use : and / but not a key', () => {
    expect(one('a: x/y:z-w.v_1')).toBe('x/y:z-w.v_1');
    expect(failure('a/b: 1')).toEqual({ line: 1, column: 2, reason: "expected ':', '=' or '|' after the key, found '/'" });
    expect(parseSdn('_a.b-c9: 1').get('_a.b-c9')).toBe(1);
    expect(parseSdn('Z: 1').get('Z')).toBe(1);
    expect(failure('9a: 1')).toEqual({ line: 1, column: 1, reason: "expected a key, found '9'" });
  });

  it('starts bare words with a letter or underscore only', () => {
    expect(one('a: _x')).toBe('_x');
    expect(one('a: Zz')).toBe('Zz');
    expect(failure('a: .x')).toEqual({ line: 1, column: 4, reason: "expected a value, found '.'" });
    expect(failure('a = [/x]')).toEqual({ line: 1, column: 6, reason: "expected a value, found '/'" });
  });
});
