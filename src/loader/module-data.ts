/**
 * The static data of loaded code (text literals), placed in the shared memory per unit and owned
 * by the module whose code (or whose templates' instances) uses it. Unloading or replacing a
 * module gives its data back to the runtime, which frees it once no live value points into it —
 * a text literal of an unloaded module may still be held by another module's data structure
 * (docs/memory.md).
 */
import type { Runtime } from '../runtime/index.js';

export class ModuleData {
  private readonly byOwner = new Map<string, number[]>();

  constructor(private readonly runtime: Runtime) {}

  /** Places `size` bytes of static data for `owner`'s code; returns the unit's `__memory_base`. */
  place(owner: string, size: number): number {
    const ptr = this.runtime.allocStatic(new Uint8Array(size), 8);
    let list = this.byOwner.get(owner);
    if (!list) this.byOwner.set(owner, (list = []));
    list.push(ptr);
    return ptr;
  }

  /** How many blocks `owner` has now: a mark for `releaseBefore` / `releaseFrom`. */
  mark(owner: string): number {
    return this.byOwner.get(owner)?.length ?? 0;
  }

  /** Gives back `owner`'s blocks placed before `mark` (its old code was replaced). */
  releaseBefore(owner: string, mark: number): void {
    const list = this.byOwner.get(owner);
    if (!list) return;
    for (const ptr of list.splice(0, mark)) this.runtime.releaseStatic(ptr);
  }

  /** Gives back `owner`'s blocks placed from `mark` on (a replacement that failed). */
  releaseFrom(owner: string, mark: number): void {
    const list = this.byOwner.get(owner);
    if (!list) return;
    for (const ptr of list.splice(mark)) this.runtime.releaseStatic(ptr);
  }

  releaseAll(owner: string): void {
    this.releaseBefore(owner, Infinity);
    this.byOwner.delete(owner);
  }
}
