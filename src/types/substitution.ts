/**
 * Unification variables and what they stand for.
 *
 * The checker unifies very often, so the substitution is one mutable map (never copied) with
 * path compression on lookup. Every write is also recorded on a trail, so a caller can take a
 * snapshot, try something, and roll back; `unify` uses this to leave the substitution unchanged
 * when it fails. The trail is only kept while a snapshot is open.
 */
import { mapChildren } from './type.js';
import type { Type, VarType } from './type.js';

interface TrailEntry {
  readonly id: number;
  readonly previous: Type | undefined;
}

/** Hands out unification variables with ids unique within one checker run. */
export class TypeVarSupply {
  private nextId: number;

  constructor(firstId = 0) {
    this.nextId = firstId;
  }

  fresh(): VarType {
    return { kind: 'var', id: this.nextId++ };
  }

  /** The id the next fresh variable will get. */
  get next(): number {
    return this.nextId;
  }
}

export class Substitution {
  private readonly bindings = new Map<number, Type>();
  private readonly trail: TrailEntry[] = [];
  private openSnapshots = 0;

  /** Number of bound variables. */
  get size(): number {
    return this.bindings.size;
  }

  isBound(id: number): boolean {
    return this.bindings.has(id);
  }

  /** The direct binding of a variable (which may itself be a variable), if any. */
  lookup(id: number): Type | undefined {
    return this.bindings.get(id);
  }

  entries(): IterableIterator<[number, Type]> {
    return this.bindings.entries();
  }

  /**
   * Binds an unbound variable without any check. `unify` is the safe way in; this exists for
   * callers that have already established that `t` does not mention `id`.
   */
  bind(id: number, t: Type): void {
    if (this.bindings.has(id)) throw new Error(`internal: type variable ?${id} is already bound`);
    this.write(id, t);
  }

  /**
   * Follows variable-to-variable bindings at the top of `t` only: the result is either not a
   * variable or an unbound one. Nested types are left as they are (see `apply`).
   */
  resolve(t: Type): Type {
    if (t.kind !== 'var') return t;
    let target = this.bindings.get(t.id);
    if (target === undefined || target.kind !== 'var') return target ?? t;
    // A chain: find its end, then point every link straight at it so the next lookup is O(1).
    let end: Type = target;
    while (end.kind === 'var') {
      const next = this.bindings.get(end.id);
      if (next === undefined) break;
      end = next;
    }
    let link: Type = t;
    while (link.kind === 'var' && link !== end) {
      const next = this.bindings.get(link.id);
      if (next === undefined) break;
      if (next !== end) this.write(link.id, end);
      link = next;
    }
    return end;
  }

  /** `t` with every bound variable replaced, recursively; shares structure that has no variables. */
  apply(t: Type): Type {
    const r = this.resolve(t);
    if (r.kind === 'var') return r;
    return mapChildren(r, (c) => this.apply(c));
  }

  /** Whether variable `id` occurs in `t` once the substitution is taken into account. */
  occurs(id: number, t: Type): boolean {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'var':
        return r.id === id;
      case 'named':
        return r.args.some((a) => this.occurs(id, a));
      case 'array':
        return this.occurs(id, r.elem);
      case 'tuple':
        return r.elems.some((e) => this.occurs(id, e));
      case 'fn':
        return r.params.some((p) => this.occurs(id, p)) || this.occurs(id, r.ret);
      default:
        return false;
    }
  }

  /** Starts recording writes; pass the result to `rollback` or `commit`. Snapshots nest. */
  snapshot(): number {
    this.openSnapshots++;
    return this.trail.length;
  }

  /** Undoes every write made since `mark` was taken, and closes that snapshot. */
  rollback(mark: number): void {
    for (let i = this.trail.length - 1; i >= mark; i--) {
      const { id, previous } = this.trail[i];
      if (previous === undefined) this.bindings.delete(id);
      else this.bindings.set(id, previous);
    }
    this.trail.length = mark;
    this.close();
  }

  /** Keeps the writes made since `mark` and closes that snapshot. */
  commit(_mark: number): void {
    this.close();
  }

  private close(): void {
    if (this.openSnapshots === 0) throw new Error('internal: no open substitution snapshot');
    this.openSnapshots--;
    if (this.openSnapshots === 0) this.trail.length = 0;
  }

  private write(id: number, t: Type): void {
    if (this.openSnapshots > 0) this.trail.push({ id, previous: this.bindings.get(id) });
    this.bindings.set(id, t);
  }
}
