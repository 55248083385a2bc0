import { describe, expect, it } from 'vitest';
import { Substitution, T, TypeVarSupply, array, named, tuple, typeVar } from '../../src/types/index.js';

describe('TypeVarSupply', () => {
  it('hands out consecutive ids from its start', () => {
    const s = new TypeVarSupply();
    expect(s.fresh()).toEqual(typeVar(0));
    expect(s.fresh()).toEqual(typeVar(1));
    expect(s.next).toBe(2);
    const t = new TypeVarSupply(10);
    expect(t.fresh().id).toBe(10);
  });
});

describe('Substitution', () => {
  it('binds, looks up and counts', () => {
    const s = new Substitution();
    expect(s.size).toBe(0);
    s.bind(0, T.i64);
    expect(s.isBound(0)).toBe(true);
    expect(s.isBound(1)).toBe(false);
    expect(s.lookup(0)).toBe(T.i64);
    expect(s.lookup(1)).toBeUndefined();
    expect(s.size).toBe(1);
    expect([...s.entries()]).toEqual([[0, T.i64]]);
    expect(() => s.bind(0, T.text)).toThrow(/already bound/);
  });

  it('resolves chains and shortens them', () => {
    const s = new Substitution();
    s.bind(0, typeVar(1));
    s.bind(1, typeVar(2));
    s.bind(2, typeVar(3));
    expect(s.resolve(typeVar(0))).toEqual(typeVar(3));
    expect(s.lookup(0)).toEqual(typeVar(3));
    expect(s.lookup(1)).toEqual(typeVar(3));
    s.bind(3, array(typeVar(4)));
    expect(s.resolve(typeVar(0))).toEqual(array(typeVar(4)));
    expect(s.resolve(typeVar(4))).toEqual(typeVar(4));
    expect(s.resolve(T.bool)).toBe(T.bool);
  });

  it('applies deeply and shares variable-free structure', () => {
    const s = new Substitution();
    s.bind(0, named('Pair', [typeVar(1), T.text]));
    s.bind(1, T.i64);
    const t = tuple([typeVar(0), array(typeVar(2))]);
    expect(s.apply(t)).toEqual(tuple([named('Pair', [T.i64, T.text]), array(typeVar(2))]));
    const concrete = named('Stack', [array(T.i64)]);
    expect(s.apply(concrete)).toBe(concrete);
  });

  it('checks occurrence through bindings', () => {
    const s = new Substitution();
    s.bind(1, array(typeVar(0)));
    expect(s.occurs(0, typeVar(1))).toBe(true);
    expect(s.occurs(0, named('Box', [typeVar(1)]))).toBe(true);
    expect(s.occurs(2, typeVar(1))).toBe(false);
    expect(s.occurs(0, T.i64)).toBe(false);
  });

  it('rolls back to a snapshot, including chain shortening', () => {
    const s = new Substitution();
    s.bind(0, typeVar(1));
    s.bind(1, typeVar(2));
    const outer = s.snapshot();
    s.bind(2, T.i64);
    expect(s.resolve(typeVar(0))).toBe(T.i64);
    const inner = s.snapshot();
    s.bind(5, T.bool);
    s.rollback(inner);
    expect(s.isBound(5)).toBe(false);
    expect(s.isBound(2)).toBe(true);
    s.rollback(outer);
    expect(s.isBound(2)).toBe(false);
    expect(s.lookup(0)).toEqual(typeVar(1));
    expect(s.resolve(typeVar(0))).toEqual(typeVar(2));
  });

  it('keeps writes on commit', () => {
    const s = new Substitution();
    const m = s.snapshot();
    s.bind(0, T.i64);
    s.commit(m);
    expect(s.lookup(0)).toBe(T.i64);
    expect(() => s.commit(m)).toThrow(/no open/);
  });

  it('handles long chains without deep recursion', () => {
    const s = new Substitution();
    const n = 100_000;
    for (let i = 0; i < n; i++) s.bind(i, typeVar(i + 1));
    s.bind(n, T.text);
    expect(s.resolve(typeVar(0))).toBe(T.text);
    expect(s.apply(array(typeVar(n / 2)))).toEqual(array(T.text));
  });
});
