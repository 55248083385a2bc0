/**
 * Spill slots handed out and back exactly. The text an interpolation has built so far
 * (src/compiler/lower/text.ts) is a root while a later part may collect, and its slot is handed
 * back once joined; the array `push` roots (src/compiler/lower/builtins.ts) only while the pushed
 * value may collect, and hands back only a slot it took. Run with a
 * collection at every safepoint, which poisons what it frees: a text left unrooted, or a slot
 * handed back that was never taken (another local's slot, or one outside the frame), shows as
 * garbage in the printed text.
 */
import { describe, expect, it } from 'vitest';
import { printed } from './run-source.js';

const NOISY = [
  'fn noisy(n: i64) -> i64:',
  '    var xs: [text] = []',
  '    for i in 0..n:',
  '        xs.push("garbage {i}")',
  '    n',
];

describe('spill slots taken and handed back', () => {
  it('a converted first part survives the very next part collecting', () => {
    const src = [
      ...NOISY,
      'fn main():',
      '    val k: i64 = 41',
      '    print("{k}{noisy(2)}")',
      '    val x: f64 = 0.5',
      '    print("{x}{noisy(1)}{k}")',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['412', '0.5141']);
  });

  it('interpolations that need no root hand back no slot: the locals’ slots stay theirs', () => {
    // `s` has no part that collects, so it takes no spill slot and must release none; `t` then
    // spills twice. A slot released that `s` never took would be another local's (or below the
    // frame), and that local's text would be freed by the collections in `noisy`.
    const src = [
      ...NOISY,
      'fn main():',
      '    val k: i64 = 41',
      '    val a = "{k}a"',
      '    val b = "{k}b"',
      '    val c = "{k}c"',
      '    val s = "{k}{k}{k}"',
      '    val t = "{k}{noisy(1)}{k}{noisy(2)}"',
      '    print(a)',
      '    print(b)',
      '    print(c)',
      '    print(s)',
      '    print(t)',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['41a', '41b', '41c', '414141', '411412']);
  });

  it('a push whose value cannot collect hands back no slot', () => {
    // Neither push takes a slot; one handed back anyway would be `b`'s, which `t` would then
    // take for its spill while `noisy` collects.
    const src = [
      ...NOISY,
      'fn main():',
      '    val k: i64 = 41',
      '    val a = "{k}a"',
      '    val b = "{k}b"',
      '    var xs: [i64] = []',
      '    xs.push(k)',
      '    var ys: [text] = []',
      '    ys.push(a)',
      '    val t = "{k}{noisy(1)}{k}{noisy(2)}"',
      '    print(a)',
      '    print(b)',
      '    print(t)',
      '    print(xs.len() + ys.len())',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['41a', '41b', '411412', '2']);
  });
});
