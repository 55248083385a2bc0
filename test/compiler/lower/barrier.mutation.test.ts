/**
 * The write barrier of an element store (src/compiler/lower/function.ts `setIndex`): an array
 * that has survived collections is old, and a minor collection traces only young blocks, so a
 * young text stored into it is found only through the remembered set the barrier adds the array
 * to. Here nothing else remembers the array (no push after it is old), and the stores are
 * spread over collections of both kinds (GC stress alternates minor and major), so a store
 * without the barrier is freed by the first minor one and reads back poisoned.
 */
import { describe, expect, it } from 'vitest';
import { printed } from './run-source.js';

describe('element stores into an old array', () => {
  it('young texts stored by index survive the minor collections after them', () => {
    const src = [
      'fn churn(n: i64) -> i64:',
      '    var junk: [text] = []',
      '    for i in 0..n:',
      '        junk.push("junk {i}")',
      '    n',
      '',
      'fn word(i: i64) -> text:',
      '    "w{i}"',
      '',
      'fn main():',
      '    var names: [text] = []',
      '    for i in 0..8:',
      '        names.push("n{i}")',
      '    # Old by now.',
      '    churn(50)',
      '    for i in 0..8:',
      '        names[i] = word(i)',
      '        churn(i % 3)',
      '    churn(50)',
      '    var all = ""',
      '    for n in names:',
      '        all = all + n + " "',
      '    print(all)',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['w0 w1 w2 w3 w4 w5 w6 w7 ']);
  });
});
