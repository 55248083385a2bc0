/**
 * Scratch locals (src/compiler/lower/temps.ts) are handed back once their value is used, so
 * statements one after another reuse them: a function with five interpolations (three scratch
 * locals each) declares no more locals than one with a single interpolation. Read from the
 * emitted WebAssembly, since the number of locals changes no result.
 */
import { describe, expect, it } from 'vitest';
import { localCounts } from './frame-probe.js';

describe('scratch locals are reused statement after statement', () => {
  it('five interpolations declare as many locals as one', () => {
    const src = [
      'fn one(n: i64) -> i64:',
      '    val a = "<{n}>"',
      '    a.len()',
      'fn five(n: i64) -> i64:',
      '    val a = "<{n}>"',
      '    val b = "<{n}>"',
      '    val c = "<{n}>"',
      '    val d = "<{n}>"',
      '    val e = "<{n}>"',
      '    a.len() + b.len() + c.len() + d.len() + e.len()',
      '',
    ].join('\n');
    const counts = localCounts(src);
    expect(counts.get('one')).toBeGreaterThan(0);
    // The four more text locals b..e, and nothing else.
    expect(counts.get('five')).toBe(counts.get('one')! + 4);
  });
});
