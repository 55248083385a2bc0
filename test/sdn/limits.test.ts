import { describe, expect, it } from 'vitest';
import { DEFAULT_SDN_LIMITS, SdnLimitError, parseSdn } from '../../src/sdn/index.js';
import type { SdnLimits } from '../../src/sdn/index.js';

function limitHit(text: string | Uint8Array, opts: Partial<SdnLimits> = {}): SdnLimitError {
  try {
    parseSdn(text, opts);
  } catch (e) {
    if (e instanceof SdnLimitError) return e;
    throw e;
  }
  throw new Error('expected a limit error');
}

describe('limits', () => {
  it('has safe defaults', () => {
    expect(DEFAULT_SDN_LIMITS).toEqual({
      maxDepth: 50,
      maxStringBytes: 1024 * 1024,
      maxValues: 1_000_000,
      maxInputBytes: 16 * 1024 * 1024,
    });
  });

  it('rejects 10,000 nested inline arrays with an SdnError, not a stack overflow', () => {
    const e = limitHit(`a = ${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(e.limit).toBe('maxDepth');
    expect(e.code).toBe('SDN_LIMIT');
    expect(e.reason).toBe('nesting too deep (limit maxDepth = 50)');
    expect([e.line, e.column]).toEqual([1, 54]);
  });

  it('caps a configured depth at the hard maximum', () => {
    const e = limitHit(`a = ${'{k: '.repeat(10_000)}1${'}'.repeat(10_000)}`, { maxDepth: 1e9 });
    expect(e.limit).toBe('maxDepth');
    expect(e.max).toBe(1000);
  });

  it('rejects deeply nested indented blocks', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`);
    const e = limitHit(lines.join('\n'), { maxDepth: 1e6 });
    expect(e.limit).toBe('maxDepth');
  });

  it('accepts nesting up to the limit', () => {
    // The document is level 1, so 49 arrays fit in the default 50.
    expect(() => parseSdn(`a = ${'['.repeat(49)}${']'.repeat(49)}`)).not.toThrow();
    expect(limitHit(`a = ${'['.repeat(50)}${']'.repeat(50)}`).limit).toBe('maxDepth');
  });

  it('rejects a string over maxStringBytes, counting UTF-8 bytes', () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const e = limitHit(`s: "${big}"`);
    expect(e.limit).toBe('maxStringBytes');
    expect([e.line, e.column]).toEqual([1, 4]);
    expect(limitHit(`s: "${'é'.repeat(6)}"`, { maxStringBytes: 11 }).limit).toBe('maxStringBytes');
    expect(parseSdn(`s: "${'é'.repeat(6)}"`, { maxStringBytes: 12 }).get('s')).toBe('é'.repeat(6));
    expect(limitHit(`s: ${'b'.repeat(20)}`, { maxStringBytes: 19 }).limit).toBe('maxStringBytes');
    expect(limitHit(`${'k'.repeat(20)}: 1`, { maxStringBytes: 19 }).limit).toBe('maxStringBytes');
  });

  it('rejects more cells than maxValues', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `    ${i}, ${i}`).join('\n');
    const e = limitHit(`t |a, b|\n${rows}`, { maxValues: 150 });
    expect(e.limit).toBe('maxValues');
    expect(e.reason).toBe('too many values (limit maxValues = 150)');
  });

  it('enforces the default maxValues on a table with over a million cells', () => {
    const text = `t |a|\n${'    1\n'.repeat(520_000)}`;
    expect(limitHit(text).limit).toBe('maxValues');
  });

  it('rejects input over maxInputBytes, as text or bytes', () => {
    expect(limitHit('# 12\n'.repeat(10), { maxInputBytes: 49 }).limit).toBe('maxInputBytes');
    expect(limitHit(new Uint8Array(50).fill(0x20), { maxInputBytes: 49 }).limit).toBe('maxInputBytes');
    expect(limitHit('a: "ééé"', { maxInputBytes: 10 }).limit).toBe('maxInputBytes');
    expect(parseSdn('# 12\n'.repeat(10), { maxInputBytes: 50 }).size).toBe(0);
  });

  it('rejects a bad limit value', () => {
    expect(() => parseSdn('', { maxDepth: -1 })).toThrow(RangeError);
  });
});
