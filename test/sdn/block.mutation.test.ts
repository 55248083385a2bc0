import { describe, expect, it } from 'vitest';
import { parseSdn, parseSdnWithPositions } from '../../src/sdn/index.js';
import type { SdnDict, SdnTable, SdnValue } from '../../src/sdn/index.js';
import { failure } from './failure.js';

// The indentation-structured part of SDN at its edges: exact messages and columns, written where
// mutation testing (docs/testing.md) found the suite silent.

const m = (entries: [string, SdnValue][]): SdnDict => new Map(entries);

describe('named table headers', () => {
  it('names the character that stands where a , or | should, at its own column', () => {
    expect(failure('t |a b|')).toEqual({ line: 1, column: 6, reason: "expected ',' or '|' in the column list, found 'b'" });
    expect(failure('t |a;b|')).toEqual({ line: 1, column: 5, reason: "expected ',' or '|' in the column list, found ';'" });
    expect(failure('t |a')).toEqual({ line: 1, column: 5, reason: "expected ',' or '|' in the column list, found end of line" });
    expect(failure('t |a,')).toEqual({ line: 1, column: 6, reason: 'expected a column name, found end of line' });
  });

  it('reads columns with or without spaces, and records where the table starts', () => {
    const { value, positions } = parseSdnWithPositions('x: 1\nt | a,b , "c d" |\n    1, 2, 3');
    const t = value.get('t') as SdnTable;
    expect(t).toEqual({ fields: ['a', 'b', 'c d'], rows: [[1, 2, 3]] });
    expect(positions.of(t)).toEqual({ line: 2, column: 1 });
    expect(positions.keyOf(value, 't')).toEqual({ line: 2, column: 1 });
  });
});

describe('statements', () => {
  it('accepts a tab or a comment right after the colon', () => {
    expect(parseSdn('a:\t1\nb:# nothing\nc =2\nd=3')).toEqual(
      m([
        ['a', 1],
        ['b', null],
        ['c', 2],
        ['d', 3],
      ]),
    );
  });

  it('tells a typed table from a bare word starting with table', () => {
    expect(parseSdn('a: table {i32}\nb: tablex\nc: table\t{i32} = [(1)]')).toEqual(
      m([
        ['a', { fields: [], types: ['i32'], rows: [] }],
        ['b', 'tablex'],
        ['c', { fields: [], types: ['i32'], rows: [[1]] }],
      ]),
    );
  });

  it('records where each key starts, at any depth', () => {
    const { value, positions } = parseSdnWithPositions('a:\n    bb: 1\n    "c": 2\n');
    const a = value.get('a') as SdnDict;
    expect(positions.keyOf(value, 'a')).toEqual({ line: 1, column: 1 });
    expect(positions.keyOf(a, 'bb')).toEqual({ line: 2, column: 5 });
    expect(positions.keyOf(a, 'c')).toEqual({ line: 3, column: 5 });
    expect(positions.of(a)).toEqual({ line: 2, column: 5 });
  });
});

describe('nested blocks', () => {
  it('reads - items followed by a tab, a comment or nothing', () => {
    expect(parseSdn('x:\n    -\t5\n    -# c\n    -\n    -1, -2').get('x')).toEqual([5, null, null, -1, -2]);
  });

  it('reads an array block of comma-separated values with any spacing', () => {
    expect(parseSdn('x:\n    1,2 ,\t3\n    "a", b').get('x')).toEqual([1, 2, 3, 'a', 'b']);
    expect(failure('x:\n    1 2')).toEqual({ line: 2, column: 7, reason: "expected ',' or end of line, found '2'" });
    expect(failure('x:\n    1,')).toEqual({ line: 2, column: 7, reason: 'expected a value, found end of line' });
  });

  it('starts a dict block at a quoted key, however escaped, and an array block otherwise', () => {
    expect(parseSdn('x:\n    "a\\"b": 1').get('x')).toEqual(m([['a"b', 1]]));
    expect(parseSdn('x:\n    "k"= 1\n    "l" |c|').get('x')).toEqual(
      m([
        ['k', 1],
        ['l', { fields: ['c'], rows: [] }],
      ]),
    );
    expect(parseSdn('x:\n    "k"\t:\t1').get('x')).toEqual(m([['k', 1]]));
    expect(parseSdn('x:\n    k:# c\n    j: 2').get('x')).toEqual(
      m([
        ['k', null],
        ['j', 2],
      ]),
    );
    expect(parseSdn('x:\n    "k"').get('x')).toEqual(['k']);
    expect(failure('x:\n    "k":v')).toEqual({ line: 2, column: 8, reason: "expected ',' or end of line, found ':'" });
    expect(failure('x:\n    "abc')).toEqual({ line: 2, column: 5, reason: 'unterminated string' });
    expect(failure('x:\n    a :1')).toEqual({ line: 2, column: 7, reason: "expected ',' or end of line, found ':'" });
  });

  it('refuses a line that returns to no enclosing level after an array block', () => {
    expect(failure('x:\n    - 1\n  - 2')).toEqual({
      line: 3,
      column: 3,
      reason: 'inconsistent indentation: the line matches no enclosing block',
    });
    expect(failure('x:\n    -\n        a: 1\n      b: 2')).toEqual({
      line: 4,
      column: 7,
      reason: 'inconsistent indentation: the line matches no enclosing block',
    });
  });

  it('returns to any enclosing level after nested blocks end together', () => {
    const text = ['a:', '  b:', '    - 1', '    -', '      c: 2', '  d: 3', 'e: 4'].join('\n');
    expect(parseSdn(text)).toEqual(
      m([
        [
          'a',
          m([
            ['b', [1, m([['c', 2]])]],
            ['d', 3],
          ]),
        ],
        ['e', 4],
      ]),
    );
  });

  it('reads rows indented under a table, then the next key at the table level', () => {
    expect(parseSdn('a:\n  t |x|\n      1\n      2\n  u: 3')).toEqual(
      m([
        [
          'a',
          m([
            ['t', { fields: ['x'], rows: [[1], [2]] }],
            ['u', 3],
          ]),
        ],
      ]),
    );
    expect(parseSdn('t |x|\nu: 1')).toEqual(
      m([
        ['t', { fields: ['x'], rows: [] }],
        ['u', 1],
      ]),
    );
  });
});

describe('lines', () => {
  it('counts blank and comment lines in line numbers and drops them from structure', () => {
    expect(failure('\n# c\n   \n\t\na: 1 x')).toEqual({ line: 5, column: 6, reason: "expected end of line, found 'x'" });
    expect(parseSdn('a:\n\t# c\n\t\n    b: 1')).toEqual(m([['a', m([['b', 1]])]]));
  });

  it('refuses a tab anywhere in the indentation, naming its column', () => {
    expect(failure('a:\n  \tb: 1')).toEqual({ line: 2, column: 3, reason: 'tab in indentation; indent with spaces' });
  });

  it('takes a lone CR inside a line as part of it, and CRLF as a line end', () => {
    expect(parseSdn('a: "x"\r\nb: 2\r\n').get('b')).toBe(2);
    expect(failure('a: 1\r\nb: 1\r2')).toEqual({ line: 2, column: 5, reason: 'expected end of line, found U+000D' });
    expect(failure('a: 1\u007f')).toEqual({ line: 1, column: 5, reason: 'expected end of line, found U+007F' });
    expect(failure('a: 1\u0000')).toEqual({ line: 1, column: 5, reason: 'expected end of line, found U+0000' });
    expect(failure('a: 1~')).toEqual({ line: 1, column: 5, reason: "expected end of line, found '~'" });
    expect(failure('a: 1\u{1F600}')).toEqual({ line: 1, column: 5, reason: "expected end of line, found '\u{1F600}'" });
  });
});
