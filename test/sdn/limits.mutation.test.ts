import { describe, expect, it } from 'vitest';
import { SdnLimitError, parseSdn } from '../../src/sdn/index.js';
import type { SdnLimits } from '../../src/sdn/index.js';

// Every SDN limit at its exact edge, with where the refusal points, written where mutation
// testing (docs/testing.md) found the suite silent.

function hit(text: string | Uint8Array, opts: Partial<SdnLimits>): { limit: string; max: number; line: number; column: number } {
  try {
    parseSdn(text, opts);
  } catch (e) {
    if (e instanceof SdnLimitError) return { limit: e.limit, max: e.max, line: e.line, column: e.column };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to hit a limit`);
}

describe('maxValues', () => {
  it('counts the document, each container, key-less value, column and row', () => {
    // document + dict a + 1 + 2 = 4
    expect(parseSdn('a:\n    x: 1\n    y: 2', { maxValues: 4 }).size).toBe(1);
    expect(hit('a:\n    x: 1\n    y: 2', { maxValues: 3 })).toEqual({ limit: 'maxValues', max: 3, line: 3, column: 8 });
    // document + table + 2 columns + 1 row + 2 cells = 7
    expect(parseSdn('t |a, b|\n    1, 2', { maxValues: 7 }).size).toBe(1);
    expect(hit('t |a, b|\n    1, 2', { maxValues: 6 })).toEqual({ limit: 'maxValues', max: 6, line: 2, column: 8 });
    // document + typed table + 1 column type + 1 row + 1 cell = 5
    expect(parseSdn('t: table{i32} = [(1)]', { maxValues: 5 }).size).toBe(1);
    expect(hit('t: table{i32} = [(1)]', { maxValues: 4 })).toEqual({ limit: 'maxValues', max: 4, line: 1, column: 19 });
  });

  it('refuses even the document itself when the limit is zero', () => {
    expect(hit('', { maxValues: 0 })).toEqual({ limit: 'maxValues', max: 0, line: 1, column: 1 });
    expect(parseSdn('', { maxValues: 1 }).size).toBe(0);
  });
});

describe('maxDepth', () => {
  it('lets indented blocks reach the limit exactly, and points at the first line too deep', () => {
    // document 1, a 2, b 3
    expect(parseSdn('a:\n  b:\n    c: 1', { maxDepth: 3 }).size).toBe(1);
    expect(hit('a:\n  b:\n    c: 1', { maxDepth: 2 })).toEqual({ limit: 'maxDepth', max: 2, line: 3, column: 5 });
    expect(parseSdn('a:\n  - 1', { maxDepth: 2 }).size).toBe(1);
    expect(hit('a:\n  - [1]', { maxDepth: 2 })).toEqual({ limit: 'maxDepth', max: 2, line: 2, column: 5 });
  });

  it('counts inline dicts and tables as levels', () => {
    expect(parseSdn('a = {b: {}}', { maxDepth: 3 }).size).toBe(1);
    expect(hit('a = {b: {}}', { maxDepth: 2 })).toEqual({ limit: 'maxDepth', max: 2, line: 1, column: 9 });
    expect(parseSdn('t |a|', { maxDepth: 2 }).size).toBe(1);
    expect(hit('t |a|', { maxDepth: 1 })).toEqual({ limit: 'maxDepth', max: 1, line: 1, column: 1 });
    expect(hit('x: 1\nt: table{i32}', { maxDepth: 1 })).toEqual({ limit: 'maxDepth', max: 1, line: 2, column: 1 });
  });

  it('keeps a configured depth below the hard maximum as it is', () => {
    expect(hit(`a = ${'['.repeat(999)}${']'.repeat(999)}`, { maxDepth: 999 })).toEqual({
      limit: 'maxDepth',
      max: 999,
      line: 1,
      column: 5 + 998,
    });
    expect(parseSdn(`a = ${'['.repeat(999)}${']'.repeat(999)}`, { maxDepth: 1000 }).size).toBe(1);
    expect(hit(`a = ${'['.repeat(1000)}${']'.repeat(1000)}`, { maxDepth: 5000 }).max).toBe(1000);
  });
});

describe('maxStringBytes', () => {
  it('lets a string of exactly the limit through and refuses one byte more, for every kind of string', () => {
    expect(parseSdn(`s: "${'x'.repeat(9)}"`, { maxStringBytes: 9 }).get('s')).toBe('x'.repeat(9));
    expect(hit(`s: "${'x'.repeat(10)}"`, { maxStringBytes: 9 })).toEqual({ limit: 'maxStringBytes', max: 9, line: 1, column: 4 });
    expect(() => parseSdn(`s: "${'x'.repeat(10)}"`, { maxStringBytes: 9 })).toThrow('1:4: string too long (limit maxStringBytes = 9)');
    expect(parseSdn(`s: ${'y'.repeat(9)}`, { maxStringBytes: 9 }).get('s')).toBe('y'.repeat(9));
    expect(hit(`s = [1, ${'y'.repeat(10)}]`, { maxStringBytes: 9 })).toEqual({ limit: 'maxStringBytes', max: 9, line: 1, column: 9 });
    expect(parseSdn(`${'k'.repeat(9)}: 1`, { maxStringBytes: 9 }).size).toBe(1);
    expect(hit(`a = {${'k'.repeat(10)}: 1}`, { maxStringBytes: 9 })).toEqual({ limit: 'maxStringBytes', max: 9, line: 1, column: 6 });
    expect(hit(`t |a, ${'c'.repeat(10)}|`, { maxStringBytes: 9 })).toEqual({ limit: 'maxStringBytes', max: 9, line: 1, column: 7 });
  });

  it('counts the unescaped text, in UTF-8 bytes', () => {
    // Six characters of escapes, one byte each after unescaping.
    expect(parseSdn('s: "\\n\\n\\n"', { maxStringBytes: 3 }).get('s')).toBe('\n\n\n');
    expect(hit('s: "\\n\\n\\n\\n"', { maxStringBytes: 3 }).limit).toBe('maxStringBytes');
    // 2-, 3- and 4-byte characters at their exact sizes.
    expect(parseSdn('s: "߿"', { maxStringBytes: 2 }).get('s')).toBe('\u07ff');
    expect(hit('s: "ࠀ"', { maxStringBytes: 2 }).limit).toBe('maxStringBytes');
    expect(parseSdn('s: "ࠀ"', { maxStringBytes: 3 }).get('s')).toBe('\u0800');
    expect(parseSdn('s: "\u007f\u007f\u007f"', { maxStringBytes: 3 }).size).toBe(1);
    expect(hit('s: "\u0080"', { maxStringBytes: 1 }).limit).toBe('maxStringBytes');
    expect(parseSdn('s: "😀"', { maxStringBytes: 4 }).get('s')).toBe('😀');
    expect(hit('s: "😀"', { maxStringBytes: 3 }).limit).toBe('maxStringBytes');
    // A lone surrogate is written as the 3-byte U+FFFD.
    expect(parseSdn('s: "\\u{D800}"', { maxStringBytes: 3 }).get('s')).toBe('\ud800');
    expect(hit('s: "\\u{D800}"', { maxStringBytes: 2 }).limit).toBe('maxStringBytes');
    expect(hit('s: "\\u{D800}x"', { maxStringBytes: 3 }).limit).toBe('maxStringBytes');
    expect(parseSdn('s: "\\u{DC00}"', { maxStringBytes: 3 }).size).toBe(1);
    expect(hit('s: "\\u{DC00}"', { maxStringBytes: 2 }).limit).toBe('maxStringBytes');
  });
});

describe('maxInputBytes', () => {
  it('counts a text in UTF-8 bytes and refuses it at the start', () => {
    expect(parseSdn('a: "é"', { maxInputBytes: 7 }).get('a')).toBe('é');
    expect(hit('a: "é"', { maxInputBytes: 6 })).toEqual({ limit: 'maxInputBytes', max: 6, line: 1, column: 1 });
    expect(parseSdn('a: "😀"', { maxInputBytes: 9 }).get('a')).toBe('😀');
    expect(hit('a: "😀"', { maxInputBytes: 8 }).limit).toBe('maxInputBytes');
  });

  it('counts a lone low surrogate and a 3-byte character each as 3 bytes, whatever follows them', () => {
    // 4 + 3 + 3 + 1 bytes; a lone surrogate is written as U+FFFD.
    expect(parseSdn('s: "\u0800\udc00"', { maxInputBytes: 11 }).get('s')).toBe('\u0800\udc00');
    expect(hit('s: "\u0800\udc00"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(parseSdn('s: "\u0800\u0800"', { maxInputBytes: 11 }).get('s')).toBe('\u0800\u0800');
    expect(hit('s: "\u0800\u0800"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(hit('s: "\ud800x"', { maxInputBytes: 8 }).limit).toBe('maxInputBytes');
    // Pairs at both ends of the high-surrogate range are 4 bytes; a pair-like run starting past it is 3 + 3.
    expect(parseSdn('s: "\ud800\udc00"', { maxInputBytes: 9 }).get('s')).toBe('\u{10000}');
    expect(parseSdn('s: "\udbff\udfff"', { maxInputBytes: 9 }).get('s')).toBe('\u{10FFFF}');
    expect(hit('s: "\ue000\udc00"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(hit('s: "\udc00\udc00"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    // A high surrogate followed by one more high surrogate or a 3-byte character: 3 + 3.
    expect(hit('s: "\ud800\ud800"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(hit('s: "\udbff\u0800"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(parseSdn('s: "\ud800x"', { maxInputBytes: 9 }).get('s')).toBe('\ud800x');
  });

  it('counts bytes as given', () => {
    const bytes = new TextEncoder().encode('a: "é"');
    expect(parseSdn(bytes, { maxInputBytes: 7 }).get('a')).toBe('é');
    expect(hit(bytes, { maxInputBytes: 6 })).toEqual({ limit: 'maxInputBytes', max: 6, line: 1, column: 1 });
  });

  it('drops a byte-order mark from bytes too', () => {
    expect(parseSdn(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0x31])).get('a')).toBe(1);
  });
});

describe('limit options', () => {
  it('takes an undefined option as the default, and names a bad one', () => {
    expect(hit(`a = ${'['.repeat(50)}${']'.repeat(50)}`, { maxDepth: undefined }).max).toBe(50);
    expect(() => parseSdn('', { maxValues: Number.NaN })).toThrow('SDN limit maxValues must be a non-negative number, got NaN');
    expect(() => parseSdn('', { maxStringBytes: -1 })).toThrow('SDN limit maxStringBytes must be a non-negative number, got -1');
    expect(() => parseSdn('', { maxInputBytes: '9' as unknown as number })).toThrow(
      'SDN limit maxInputBytes must be a non-negative number, got 9',
    );
    expect(parseSdn('', { maxDepth: 1, maxStringBytes: 0, maxInputBytes: 0 }).size).toBe(0);
    expect(hit('', { maxDepth: 0 })).toEqual({ limit: 'maxDepth', max: 0, line: 1, column: 1 });
  });
});
