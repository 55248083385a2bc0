/**
 * What src/compiler/lower/rooting.ts gives a function: a shadow-stack frame only when it holds a
 * heap pointer where a collection can happen (a function with none gets no frame at all, which
 * shows in the emitted WebAssembly as no `shadow_fp` local), and call arguments' spill slots
 * handed back once the call is made — slot 0 too, which a function without pointer locals gives
 * to its first spill. A slot not handed back makes the frame bigger, which shows as the depth a
 * recursion reaches in a 4 KiB shadow stack.
 */
import { describe, expect, it } from 'vitest';
import { SHADOW_BYTES, frameLoader, framesOf, localCounts } from './frame-probe.js';

const NOISY = ['fn noisy() -> text:', '    "n" + "m"', '', 'fn len2(a: text, b: text) -> i64:', '    a.len() + b.len()', ''];

describe('a frame only where a pointer is held across a safepoint', () => {
  it('a function that calls a collecting one but holds no pointer has no frame local', () => {
    const src = [...NOISY, 'fn count(n: i64) -> i64:', '    noisy().len() + n', '', 'fn plain(n: i64) -> i64:', '    count(n) * 2', '', 'fn holding(n: i64) -> i64:', '    val s = noisy()', '    s.len() + n', ''].join('\n');
    // `plain` reaches a safepoint (in `count`) but never holds a pointer; `holding` has a
    // pointer local, kept in a frame whose base is one more local.
    expect(localCounts(src).get('plain')).toBe(0);
    expect(localCounts(src).get('holding')).toBe(2);
  });
});

describe('call arguments hand their spill slots back', () => {
  it('slot 0, taken by a call in a function without pointer locals, is taken again by the next call', () => {
    const src = [...NOISY, 'fn p(n: i64) -> i64:', '    if n == 0:', '        return 0', '    p(n - 1) + len2(noisy(), noisy()) + len2(noisy(), noisy())', ''].join('\n');
    // One spill slot, 4 bytes a frame.
    expect(framesOf(frameLoader(src), 'p')).toBe(SHADOW_BYTES / 4);
  });

  it('a field store and an element store whose value collects hand the object’s slot back', () => {
    // One pointer local (`b`, `xs`) each, and one spill slot taken and handed back twice: 8 bytes a frame.
    const src = [
      ...NOISY,
      'struct B:',
      '    label: text',
      '',
      'fn size(b: B) -> i64:',
      '    b.label.len()',
      '',
      'fn sf(n: i64) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    val b = B(label: "")',
      '    b.label = noisy()',
      '    b.label = noisy()',
      // Passed on, so it stays a heap record (not replaced by its field).
      '    sf(n - 1) + size(b)',
      '',
      'fn si(n: i64) -> i64:',
      '    if n == 0:',
      '        return 0',
      '    val xs = [""]',
      '    xs[0] = noisy()',
      '    xs[0] = noisy()',
      '    si(n - 1) + xs[0].len()',
      '',
    ].join('\n');
    expect(framesOf(frameLoader(src), 'sf')).toBe(SHADOW_BYTES / 8);
    expect(framesOf(frameLoader(src), 'si')).toBe(SHADOW_BYTES / 8);
  });

  it('an array indexed in place hands its slot back once the index is computed', () => {
    const src = [...NOISY, 'fn zero() -> i64:', '    noisy().len() - 2', '', 'fn p(n: i64) -> i64:', '    if n == 0:', '        return 0', '    p(n - 1) + [1, 2, 3][zero()] + [4, 5, 6][zero()]', ''].join('\n');
    expect(framesOf(frameLoader(src), 'p')).toBe(SHADOW_BYTES / 4);
  });
});
