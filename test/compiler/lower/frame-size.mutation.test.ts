/**
 * A frame's size (src/compiler/lower/shadow-frame.ts): one slot per heap-pointer local, and the
 * spill slots handed out while lowering, each handed back once its pointer is consumed, so that
 * statements one after another reuse the same spill slot. The size shows as the depth a recursion
 * reaches before the shadow stack (4 KiB here: 1,024 slots) overflows.
 */
import { describe, expect, it } from 'vitest';
import { SHADOW_BYTES, frameLoader, framesOf } from './frame-probe.js';

const NOISY = ['fn noisy() -> text:', '    "n" + "m"'];

describe('spill slots are reused statement after statement', () => {
  it('text `+`, comparison, push, append, interpolation: each spill hands its slot back', () => {
    const src = [
      ...NOISY,
      // Pointer locals s, a, t, xs: four slots; every spill below is done by the next statement.
      'fn r(n: i64, s: text) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    var a = s + noisy()',
      '    a = a + noisy()',
      '    var k = 0',
      '    if a < noisy():',
      '        k += 1',
      '    if a == noisy():',
      '        k += 1',
      '    var xs: [text] = []',
      '    xs.push(noisy())',
      '    xs.push(noisy())',
      '    var t = "" + ""',
      '    t += noisy()',
      '    t += noisy()',
      '    val u = "{a}{noisy()}"',
      '    val v = "{a}{noisy()}"',
      '    r(n - 1, s) + k + a.len() + t.len() + xs.len() + u.len() + v.len()',
      // No spill at all (s and a only): the frame's fixed part. Its interpolation has no part
      // that collects, so the text it builds is never rooted.
      'fn base(n: i64, s: text) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    val a = noisy()',
      '    base(n - 1, s) + a.len() + "{n}{n}".len()',
      // No pointer local: the interpolations' spill is slot 0, handed back and taken again.
      'fn q(n: i64) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    q(n - 1) + "{n}{noisy()}".len() + "{n}{noisy()}".len()',
      '',
    ].join('\n');
    const l = frameLoader(src);
    // u and v are pointer locals too: 6 slots and one spill slot, 28 bytes a frame.
    expect(framesOf(l, 'base', ['ab'])).toBe(Math.floor(SHADOW_BYTES / 8));
    expect(framesOf(l, 'r', ['ab'])).toBe(Math.floor(SHADOW_BYTES / 28));
    expect(framesOf(l, 'q', [])).toBe(SHADOW_BYTES / 4);
  });
});
