/**
 * The shadow-stack frame's epilogue (src/compiler/lower/shadow-frame.ts) clears the frame, so free
 * shadow-stack memory stays zero: a prologue clears nothing, and a later frame placed over an
 * old one must not show the collector a pointer the old one left. Here a function's array is
 * garbage once it returns; the next call's frame sits where the last one was, and its entry
 * safepoint (a collection at every safepoint) runs before its own local is assigned — a stale
 * slot would keep the old array alive there.
 */
import { describe, expect, it } from 'vitest';
import { loadSource } from './run-source.js';

describe('a returned frame leaves nothing for the next one', () => {
  it('each call frees the array the previous call built: the bytes in use stay level', () => {
    // 200 elements: past the inline limit, a header block and a buffer block.
    const elems = Array.from({ length: 200 }, (_, i) => String(i)).join(', ');
    const src = ['fn f(k: i64) -> i64:', `    val xs = [${elems}]`, '    xs.len() + k', ''].join('\n');
    const p = loadSource(src, { gcStress: true });
    expect(p.fn('f')(0n)).toBe(200n);
    let last = p.loader.runtime.stats();
    for (let k = 1n; k <= 3n; k++) {
      expect(p.fn('f')(k)).toBe(200n + k);
      const now = p.loader.runtime.stats();
      expect({ frees: now.frees - last.frees, bytes: now.bytesInUse - last.bytesInUse }).toEqual({ frees: 2, bytes: 0 });
      last = now;
    }
  });
});
