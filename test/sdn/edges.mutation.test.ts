import { describe, expect, it } from 'vitest';
import { parseSdn, SdnLimitError } from '../../src/sdn/index.js';
import { failure } from './failure.js';

// Two edges mutation testing (docs/testing.md) found unwatched: a nested block whose first line
// starts with a separator, and a high surrogate followed by a character just past the
// low-surrogate range.

describe('the first line of a nested block', () => {
  it('starting with a separator is an array block, refused as a value', () => {
    expect(failure('x:\n    : 1')).toEqual({ line: 2, column: 5, reason: "expected a value, found ':'" });
    expect(failure('x:\n    = 1')).toEqual({ line: 2, column: 5, reason: "expected a value, found '='" });
    expect(failure('x:\n    | a |')).toEqual({ line: 2, column: 5, reason: "expected a value, found '|'" });
  });
});

describe('UTF-8 length of the input', () => {
  it('counts a high surrogate before U+E000 as 3 + 3 bytes, not as a pair', () => {
    // 4 + 3 + 3 + 1 bytes.
    let caught: unknown;
    try {
      parseSdn('s: "\ud800\ue000"', { maxInputBytes: 10 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SdnLimitError);
    expect((caught as SdnLimitError).limit).toBe('maxInputBytes');
    expect(parseSdn('s: "\ud800\ue000"', { maxInputBytes: 11 }).get('s')).toBe('\ud800\ue000');
  });
});
