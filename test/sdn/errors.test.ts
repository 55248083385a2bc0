import { describe, expect, it } from 'vitest';
import { SdnError, parseSdn } from '../../src/sdn/index.js';

function failure(text: string, file?: string): SdnError {
  try {
    parseSdn(text, { file });
  } catch (e) {
    if (e instanceof SdnError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

const cases: [string, string, number, number, string][] = [
  ['deeper line without a block', 'a: 1\n  b: 2', 2, 3, 'unexpected indentation'],
  ['indented first line', '  a: 1', 1, 3, 'unexpected indentation'],
  ['dedent to no level', 'a:\n    b: 1\n  c: 2', 3, 3, 'inconsistent indentation: the line matches no enclosing block'],
  ['dedent in rows', 't |a|\n    1\n  2', 3, 3, 'inconsistent indentation: the line matches no enclosing block'],
  ['tab indentation', 'a:\n\tb: 1', 2, 1, 'tab in indentation; indent with spaces'],
  ['missing comma in row', 't |a, b|\n    1 2', 2, 7, "expected ',' or end of row, found '2'"],
  ['too many cells', 't |a, b|\n    1, 2, 3', 2, 11, 'too many cells: the table has 2 columns'],
  ['too few cells', 't |a, b|\n    1', 2, 5, 'too few cells: the table has 2 columns, this row has 1'],
  ['unterminated string', 'a: "abc', 1, 4, 'unterminated string'],
  ['unknown escape', 'a: "a\\qb"', 1, 6, "unknown escape '\\q'"],
  ['bad unicode escape', 'a: "\\u{110000}"', 1, 5, 'invalid unicode escape; expected \\u{hex} up to 10FFFF'],
  ['unterminated array', 'a = [1, 2', 1, 10, "expected ',' or ']', found end of line"],
  ['array ends in comment', 'a = [1, # no', 1, 9, 'expected a value, found a comment'],
  ['missing colon in inline dict', 'a = {x 1}', 1, 8, "expected ':' after the key, found '1'"],
  ['duplicate inline key', 'a = {x: 1, x: 2}', 1, 12, "duplicate key 'x'"],
  ['duplicate statement key', 'a: 1\n\n# c\na: 2', 4, 1, "duplicate key 'a'"],
  ['no space after colon', 'a:b', 1, 3, "expected a space after ':'"],
  ['no separator after key', 'a 1', 1, 3, "expected ':', '=' or '|' after the key, found '1'"],
  ['bad number', 'a: 12ab', 1, 4, "invalid number '12ab'"],
  ['integer beyond i64', 'a: 9223372036854775808', 1, 4, 'integer literal out of range for i64'],
  ['float overflow', 'a: 1e999', 1, 4, 'float literal out of range'],
  ['junk after value', 'a: 1 2', 1, 6, "expected end of line, found '2'"],
  ['duplicate column', 't |a, a|', 1, 7, "duplicate column 'a'"],
  ['empty column list', 't ||', 1, 4, "expected a column name, found '|'"],
  ['mixed typed columns', 't: table{i32, x: text}', 1, 15, 'name every column of a typed table or none'],
  ['typed row without parens', 't: table{i32} = [(1), 2]', 1, 23, "expected '(' to start a row, found '2'"],
  ['unbalanced type', 't: table{Map<i32}', 1, 17, "unexpected '}' in column type"],
  ['dash at top level', '- 1', 1, 1, "expected a key, found '-'"],
  ['missing value', 'a = ', 1, 5, 'expected a value, found end of line'],
  ['bad character', 'a: @', 1, 4, "expected a value, found '@'"],
  [
    'key line in an array block',
    'x:\n    - 1\n    b: 2',
    3,
    5,
    'expected an array item: this block is an array because its first line is not key: value',
  ],
  ['short table with indented rows', 't |a| 1\n    2', 2, 5, 'unexpected indentation'],
];

describe('syntax errors', () => {
  it.each(cases)('%s', (_name, text, line, column, reason) => {
    const e = failure(text);
    expect({ line: e.line, column: e.column, reason: e.reason, code: e.code }).toEqual({
      line,
      column,
      reason,
      code: 'SDN_SYNTAX',
    });
  });

  it('puts file, line and column in the message', () => {
    const e = failure('a: 1\nb: "x', 'conf.sdn');
    expect(e.message).toBe('conf.sdn:2:4: unterminated string');
    expect(e.file).toBe('conf.sdn');
  });

  it('rejects bytes that are not UTF-8', () => {
    const e = failure(new Uint8Array([0x61, 0x3a, 0x20, 0xff]) as unknown as string);
    expect(e.code).toBe('SDN_ENCODING');
  });
});

describe('error messages', () => {
  it('names control characters by code point', () => {
    expect(failure('a: 1\r2').reason).toBe('expected end of line, found U+000D');
  });
});
