import { describe, expect, it } from 'vitest';
import { SdnSerializeError, parseSdnWithPositions, stringifySdn } from '../../src/sdn/index.js';
import type { SdnTable } from '../../src/sdn/index.js';
import { failure, firstValue } from './failure.js';

// Typed table headers and table rows at their edges: exact messages and columns, written where
// mutation testing (docs/testing.md) found the suite silent.

const one = (text: string) => firstValue(text) as SdnTable;

describe('typed table headers', () => {
  it('trims the type text and takes names followed by spaces before the colon', () => {
    expect(one('t: table{ i32 , text }')).toEqual({ fields: [], types: ['i32', 'text'], rows: [] });
    expect(one('t: table{id : i32,\tn\t: text}')).toEqual({ fields: ['id', 'n'], types: ['i32', 'text'], rows: [] });
    expect(one('t:   table  {i32}')).toEqual({ fields: [], types: ['i32'], rows: [] });
  });

  it('keeps every character a type may use', () => {
    expect(failure('t: table{Fn() -> ()}')).toEqual({ line: 1, column: 15, reason: "unexpected '-' in column type" });
    expect(one('t: table{&mut T, Opt?, a.B_9, $x, Fn(i32, [u8])}').types).toEqual([
      '&mut T',
      'Opt?',
      'a.B_9',
      '$x',
      'Fn(i32, [u8])',
    ]);
  });

  it('refuses a duplicate named column at its entry', () => {
    expect(failure('t: table{a: i32, a: text}')).toEqual({ line: 1, column: 18, reason: "duplicate column 'a'" });
    expect(failure('t: table{"q": i32, "q": text}')).toEqual({ line: 1, column: 20, reason: "duplicate column 'q'" });
  });

  it('refuses mixing named and bare columns either way round', () => {
    expect(failure('t: table{x: i32, text}')).toEqual({
      line: 1,
      column: 18,
      reason: 'name every column of a typed table or none',
    });
  });

  it('takes a colon with no name before it as part of the type, which refuses it', () => {
    expect(failure('t: table{: i32}')).toEqual({ line: 1, column: 10, reason: "unexpected ':' in column type" });
  });

  it('refuses a quoted column name without a colon', () => {
    expect(failure('t: table{"a" i32}')).toEqual({ line: 1, column: 14, reason: "expected ':' after the column name, found 'i'" });
  });

  it('refuses an empty column type', () => {
    expect(failure('t: table{}')).toEqual({ line: 1, column: 10, reason: "expected a column type, found '}'" });
    expect(failure('t: table{i32, }')).toEqual({ line: 1, column: 15, reason: "expected a column type, found '}'" });
    expect(failure('t: table{a: , b: i32}')).toEqual({ line: 1, column: 13, reason: "expected a column type, found ','" });
  });

  it('refuses a header that ends before its closing brace', () => {
    expect(failure('t: table{i32')).toEqual({ line: 1, column: 13, reason: "expected ',' or '}' in the table type, found end of line" });
  });

  it('names the bracket that does not match, where it is', () => {
    expect(failure('t: table{Map<i32)}')).toEqual({ line: 1, column: 17, reason: "unbalanced ')' in column type" });
    expect(failure('t: table{i32]}')).toEqual({ line: 1, column: 13, reason: "unbalanced ']' in column type" });
    expect(failure('t: table{(i32>}')).toEqual({ line: 1, column: 14, reason: "unbalanced '>' in column type" });
    expect(failure('t: table{i32!}')).toEqual({ line: 1, column: 13, reason: "unexpected '!' in column type" });
  });

  it('names the innermost bracket left open at the end of the line', () => {
    expect(failure('t: table{Map<(i32')).toEqual({
      line: 1,
      column: 18,
      reason: "unclosed bracket in column type, expected ')'",
    });
    expect(failure('t: table{[i32, Map<a, b>')).toEqual({
      line: 1,
      column: 25,
      reason: "unclosed bracket in column type, expected ']'",
    });
  });

  it('refuses what follows the header other than = or the line end', () => {
    expect(failure('t: table{i32} x')).toEqual({
      line: 1,
      column: 15,
      reason: "expected '=' or end of line after the table type, found 'x'",
    });
    expect(failure('t: table{i32} = (1)')).toEqual({ line: 1, column: 17, reason: "expected '[' to start the rows, found '('" });
    expect(failure('t: table{i32} = [(1) (2)]')).toEqual({
      line: 1,
      column: 22,
      reason: "expected ',' or ']' after a row, found '('",
    });
    expect(failure('t: table{i32} = [(1)] x')).toEqual({ line: 1, column: 23, reason: "expected end of line, found 'x'" });
  });

  it('reads inline rows with spaces around them', () => {
    expect(one('t: table{i32, i32} = [ ( 1 , 2 ) , (3,4) ]  # c').rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(one('t: table{i32} = [ ]').rows).toEqual([]);
  });
});

describe('rows', () => {
  it('refuses a parenthesised row left open', () => {
    expect(failure('t: table{i32, i32} = [(1, 2')).toEqual({ line: 1, column: 28, reason: "expected ',' or ')', found end of line" });
    expect(failure('t |a|\n    (1')).toEqual({ line: 2, column: 7, reason: "expected ',' or ')', found end of line" });
    expect(failure('t: table{i32} = [(1 x)]')).toEqual({ line: 1, column: 21, reason: "expected ',' or ')', found 'x'" });
  });

  it('counts cells against the typed width, not the names', () => {
    expect(failure('t: table{i32, i32}\n    1, 2, 3')).toEqual({ line: 2, column: 11, reason: 'too many cells: the table has 2 columns' });
    expect(failure('t: table{i32, i32}\n    (7)')).toEqual({
      line: 2,
      column: 5,
      reason: 'too few cells: the table has 2 columns, this row has 1',
    });
    expect(one('t: table{a: i32, b: i32}\n    1, 2').rows).toEqual([[1, 2]]);
  });

  it('takes ) as the end of a parenthesised row only', () => {
    expect(failure('t |a|\n    1)')).toEqual({ line: 2, column: 6, reason: "expected ',' or end of row, found ')'" });
    expect(failure('t |a| 1)')).toEqual({ line: 1, column: 8, reason: "expected ',' or end of row, found ')'" });
  });

  it('refuses junk after a row', () => {
    expect(failure('t |a|\n    (1) x')).toEqual({ line: 2, column: 9, reason: "expected end of row, found 'x'" });
    expect(failure('t |a| (1) x')).toEqual({ line: 1, column: 11, reason: "expected end of row, found 'x'" });
  });

  it('records where each row and cell starts, inline or indented', () => {
    const { value, positions } = parseSdnWithPositions('t: table{i32, i32} = [(1, 2),  (3,4)]\nu |a|\n    (5)\n');
    const t = value.get('t') as SdnTable;
    const u = value.get('u') as SdnTable;
    expect(positions.of(t)).toEqual({ line: 1, column: 1 });
    expect(positions.of(t.rows[0])).toEqual({ line: 1, column: 23 });
    expect(positions.of(t.rows[1])).toEqual({ line: 1, column: 32 });
    expect(positions.cellOf(t.rows[1], 0)).toEqual({ line: 1, column: 33 });
    expect(positions.cellOf(t.rows[1], 1)).toEqual({ line: 1, column: 35 });
    expect(positions.of(u.rows[0])).toEqual({ line: 3, column: 5 });
    expect(positions.cellOf(u.rows[0], 0)).toEqual({ line: 3, column: 6 });
  });
});

describe('column types when writing', () => {
  const refuse = (types: string[]) => {
    try {
      stringifySdn(new Map([['t', { fields: [], types, rows: [] }]]));
    } catch (e) {
      if (e instanceof SdnSerializeError) return e.reason;
      throw e;
    }
    return 'accepted';
  };

  it('accepts exactly the types that read back unchanged', () => {
    expect(refuse(['Map<text, [i64]>', 'Fn(i32)', '&x'])).toBe('accepted');
    expect(refuse([' i32'])).toBe('invalid column type " i32"');
    expect(refuse(['i32 '])).toBe('invalid column type "i32 "');
    expect(refuse([''])).toBe('invalid column type ""');
    expect(refuse(['Map<i32'])).toBe('invalid column type "Map<i32"');
    expect(refuse(['i32]'])).toBe('invalid column type "i32]"');
    expect(refuse(['i32}'])).toBe('invalid column type "i32}"');
    expect(refuse(['a!'])).toBe('invalid column type "a!"');
    expect(refuse(['i32', 7 as unknown as string])).toBe('invalid column type 7');
  });
});
