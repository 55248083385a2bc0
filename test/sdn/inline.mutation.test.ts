import { describe, expect, it } from 'vitest';
import { parseSdnWithPositions } from '../../src/sdn/index.js';
import type { SdnDict, SdnValue } from '../../src/sdn/index.js';
import { failure, firstValue } from './failure.js';

// Inline arrays and dicts at their edges: spacing, separators, exact messages and the positions
// recorded for them, written where mutation testing (docs/testing.md) found the suite silent.

const one = firstValue;

describe('inline arrays', () => {
  it('reads empty and spaced arrays', () => {
    expect(one('a = [ ]')).toEqual([]);
    expect(one('a = [\t]')).toEqual([]);
    expect(one('a = [ 1 ,\t2 , [ ] ]')).toEqual([1, 2, []]);
    expect(one('a = [[1],[2]]')).toEqual([[1], [2]]);
  });

  it('names what stands where a separator should', () => {
    expect(failure('a = [1 2]')).toEqual({ line: 1, column: 8, reason: "expected ',' or ']', found '2'" });
    expect(failure('a = [1}')).toEqual({ line: 1, column: 7, reason: "expected ',' or ']', found '}'" });
    expect(failure('a = [1 # c')).toEqual({ line: 1, column: 8, reason: "expected ',' or ']', found a comment" });
    expect(failure('a = [1,]')).toEqual({ line: 1, column: 8, reason: "expected a value, found ']'" });
    expect(failure('a = [,]')).toEqual({ line: 1, column: 6, reason: "expected a value, found ','" });
  });
});

describe('inline dicts', () => {
  it('reads empty and spaced dicts', () => {
    expect(one('a = { }')).toEqual(new Map());
    expect(one('a = {x:1,y :2 , z: {}}')).toEqual(
      new Map<string, SdnValue>([
        ['x', 1],
        ['y', 2],
        ['z', new Map()],
      ]),
    );
  });

  it('names what stands where a separator should', () => {
    expect(failure('a = {x: 1 y: 2}')).toEqual({ line: 1, column: 11, reason: "expected ',' or '}', found 'y'" });
    expect(failure('a = {x: 1]')).toEqual({ line: 1, column: 10, reason: "expected ',' or '}', found ']'" });
    expect(failure('a = {x: 1')).toEqual({ line: 1, column: 10, reason: "expected ',' or '}', found end of line" });
    expect(failure('a = {x: 1,}')).toEqual({ line: 1, column: 11, reason: "expected a key, found '}'" });
    expect(failure('a = {x}')).toEqual({ line: 1, column: 7, reason: "expected ':' after the key, found '}'" });
    expect(failure('a = {"x": 1, "x": 2}')).toEqual({ line: 1, column: 14, reason: "duplicate key 'x'" });
  });
});

describe('positions of inline containers', () => {
  it('records where each array, dict and key starts', () => {
    const { value, positions } = parseSdnWithPositions('x: 1\na = [1, [2], {k: [3]}]\n');
    const a = value.get('a') as SdnValue[];
    const inner = a[2] as SdnDict;
    expect(positions.of(a)).toEqual({ line: 2, column: 5 });
    expect(positions.of(a[1] as object)).toEqual({ line: 2, column: 9 });
    expect(positions.of(inner)).toEqual({ line: 2, column: 14 });
    expect(positions.keyOf(inner, 'k')).toEqual({ line: 2, column: 15 });
    expect(positions.of(inner.get('k') as object)).toEqual({ line: 2, column: 18 });
    expect(positions.keyOf(value, 'a')).toEqual({ line: 2, column: 1 });
  });
});
