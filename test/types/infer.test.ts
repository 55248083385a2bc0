import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T, array, inferTypeArgs, named, param, someType, substituteParams, tuple, typeVar } from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';
import { typeArb } from './arbitraries.js';

const tT = param('T');
const tU = param('U');
const pair = (a: Type, b: Type) => named('Pair', [a, b]);

describe('inferTypeArgs', () => {
  it('infers max<T>(a: T, b: T) from one argument', () => {
    expect(inferTypeArgs(['T'], [{ expected: tT, actual: T.i64 }])).toEqual({ ok: true, args: [T.i64] });
  });

  it('accepts agreeing hints', () => {
    const hints = [
      { expected: tT, actual: T.i64 },
      { expected: tT, actual: T.i64 },
    ];
    expect(inferTypeArgs(['T'], hints)).toEqual({ ok: true, args: [T.i64] });
  });

  it('infers through structure', () => {
    expect(
      inferTypeArgs(['A', 'B'], [{ expected: pair(param('A'), param('B')), actual: pair(T.i64, array(T.text)) }]),
    ).toEqual({ ok: true, args: [T.i64, array(T.text)] });
    expect(inferTypeArgs(['T'], [{ expected: array(tT), actual: array(pair(T.i64, T.text)) }])).toEqual({
      ok: true,
      args: [pair(T.i64, T.text)],
    });
  });

  it('connects params across hints', () => {
    const hints = [
      { expected: pair(tT, tU), actual: pair(T.bool, T.bool) },
      { expected: tuple([tU, tT]), actual: tuple([T.bool, T.bool]) },
    ];
    expect(inferTypeArgs(['T', 'U'], hints)).toEqual({ ok: true, args: [T.bool, T.bool] });
    const linked = [
      { expected: pair(tT, tU), actual: pair(typeVar(0), typeVar(0)) },
      { expected: tU, actual: T.f64 },
    ];
    expect(inferTypeArgs(['T', 'U'], linked)).toEqual({ ok: true, args: [T.f64, T.f64] });
  });

  it('keeps the caller’s own params and variables', () => {
    expect(inferTypeArgs(['T'], [{ expected: tT, actual: param('T') }])).toEqual({ ok: true, args: [param('T')] });
    expect(inferTypeArgs(['T'], [{ expected: array(tT), actual: array(typeVar(0)) }])).toEqual({
      ok: true,
      args: [typeVar(0)],
    });
  });

  it('names a param that nothing constrains', () => {
    const r = inferTypeArgs(['T', 'U'], [{ expected: tT, actual: T.i64 }]);
    expect(r).toEqual({ ok: false, error: 'cannot infer type parameter U: no hint determines it' });
    const r2 = inferTypeArgs(['T', 'U'], []);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error).toBe('cannot infer type parameters T, U: no hint determines them');
    const r3 = inferTypeArgs(['T', 'U'], [{ expected: tT, actual: tuple([T.i64, T.bool]) }, { expected: tU, actual: tU }]);
    expect(r3.ok).toBe(true);
  });

  it('names both types of a conflict', () => {
    const r = inferTypeArgs(['T'], [
      { expected: tT, actual: T.i64 },
      { expected: tT, actual: T.text },
    ]);
    expect(r).toEqual({ ok: false, error: 'conflicting types for type parameter T: i64 vs text (from hints 1 and 2)' });
    const inOne = inferTypeArgs(['T'], [{ expected: pair(tT, tT), actual: pair(T.i64, T.bool) }]);
    expect(inOne).toEqual({ ok: false, error: 'conflicting types for type parameter T: i64 vs bool (in hint 1)' });
  });

  it('explains a hint whose shape does not fit', () => {
    const r = inferTypeArgs(['T'], [{ expected: array(tT), actual: T.i64 }]);
    expect(r).toEqual({ ok: false, error: 'hint 1: expected [T] but found i64' });
    const r2 = inferTypeArgs(['T'], [
      { expected: tT, actual: T.i64 },
      { expected: pair(tT, array(T.i64)), actual: pair(T.i64, array(T.text)) },
    ]);
    expect(r2).toEqual({
      ok: false,
      error: 'hint 2: expected Pair<T, [i64]> but found Pair<i64, [text]> (i64 does not match text)',
    });
    const r3 = inferTypeArgs(['T'], [{ expected: pair(tT, tT), actual: named('Pair', [T.i64]) }]);
    expect(r3.ok).toBe(false);
  });

  it('refuses duplicate params', () => {
    expect(inferTypeArgs(['T', 'T'], [{ expected: tT, actual: T.i64 }])).toEqual({
      ok: false,
      error: 'type parameter T is declared more than once',
    });
  });

  it('handles non-generic templates', () => {
    expect(inferTypeArgs([], [])).toEqual({ ok: true, args: [] });
    expect(inferTypeArgs([], [{ expected: T.i64, actual: T.i64 }])).toEqual({ ok: true, args: [] });
  });

  it('recovers the arguments a signature was instantiated with', () => {
    const params = ['T', 'U'];
    const concrete = typeArb({ maxDepth: 3 });
    // Struct names that collide with the params would not be substituted; keep them apart.
    const signature = typeArb({ params, maxDepth: 3 })
      .filter((t) => !someType(t, (x) => x.kind === 'named' && params.includes(x.name)))
      .map((t) => tuple([t, tT, array(tU)]));
    fc.assert(
      fc.property(signature, concrete, concrete, (sig, a, b) => {
        const actual = substituteParams(sig, new Map([['T', a], ['U', b]]));
        expect(inferTypeArgs(params, [{ expected: sig, actual }])).toEqual({ ok: true, args: [a, b] });
      }),
      { numRuns: 200 },
    );
  });
});
