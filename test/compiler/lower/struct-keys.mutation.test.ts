/**
 * A unit's struct layouts are cached by the struct's name and its type arguments' keys
 * (src/compiler/lower/unit.ts `fieldTable`). Two instances of one generic struct whose
 * argument keys, run together, spell the same text — `Pair<i64, Foo>` and `Pair<i64F, oo>`,
 * both "i64Foo" — must still get layouts of their own: an `i64` field takes 8 bytes, a struct
 * field a 4-byte pointer, so the second would read its fields at the first's offsets.
 */
import { describe, expect, it } from 'vitest';
import { printed } from './run-source.js';

describe('layouts of one generic struct told apart by every type argument', () => {
  it('argument lists whose keys concatenate to the same text', () => {
    const src = [
      'struct Pair<A, B>:',
      '    first: A',
      '    second: B',
      '',
      'struct Foo:',
      '    v: i64',
      '',
      'struct i64F:',
      '    w: i64',
      '',
      'struct oo:',
      '    z: i64',
      '',
      // Made in functions of their own, so that both escape and stay heap records.
      'fn number_first() -> Pair<i64, Foo>:',
      '    Pair(first: 7, second: Foo(v: 8))',
      '',
      'fn struct_first() -> Pair<i64F, oo>:',
      '    Pair(first: i64F(w: 9), second: oo(z: 10))',
      '',
      'fn main():',
      '    val p = number_first()',
      '    val q = struct_first()',
      '    print(p.first)',
      '    print(p.second.v)',
      '    print(q.first.w)',
      '    print(q.second.z)',
      '',
    ].join('\n');
    expect(printed(src)).toEqual(['7', '8', '9', '10']);
  });
});
