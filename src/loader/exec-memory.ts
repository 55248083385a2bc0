/**
 * The loader's executable memory (docs/code-model.md): one shared `WebAssembly.Table` whose slots
 * are the function pointers, and the linear memory the runtime manages.
 *
 * `allocExecMemory` reserves slots; "writing code" is installing an instantiated function into
 * them. Compiled code is never writable, so W^X holds without any page protection.
 */
import { LoadError } from './errors.js';

export interface ExecMemoryOptions {
  /**
   * Slots the table starts with. Default 64: the table doubles as it fills, and its slots live in
   * the JavaScript heap — 1,024 of them were 8 KB of every loader's start.
   */
  readonly initialSlots?: number;
  /** The most slots the table may grow to (a resource limit). Default 1,000,000. */
  readonly maxSlots?: number;
}

export class ExecMemory {
  readonly table: WebAssembly.Table;
  readonly maxSlots: number;
  /** Slot 0 stays empty so that 0 is never a valid function pointer. */
  private next = 1;
  /**
   * Released slots, by what they held. A slot that held a function other modules could call may
   * still sit in their `GOT.func` globals after an unload, so it is never handed to a private
   * function: a stale pointer must not become a way into another module's private code
   * (docs/trust-model.md). A private function's slot is known only to its own module's code and
   * the instances of its templates, which leave with it, so it can go to anything.
   */
  private readonly freedExposed: number[] = [];
  private readonly freedPrivate: number[] = [];
  private readonly privateSlots = new Set<number>();
  private used = 0;

  constructor(options: ExecMemoryOptions = {}) {
    this.maxSlots = options.maxSlots ?? 1_000_000;
    const initial = Math.min(options.initialSlots ?? 64, this.maxSlots);
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial, maximum: this.maxSlots });
  }

  /**
   * Reserves one slot for a function and returns its index. A `private` function (Local binding)
   * never gets a slot that an exposed function held.
   */
  allocExecMemory(visibility: 'exposed' | 'private' = 'exposed'): number {
    this.used++;
    const reused = visibility === 'private' ? this.freedPrivate.pop() : (this.freedExposed.pop() ?? this.freedPrivate.pop());
    if (reused !== undefined) {
      if (visibility === 'private') this.privateSlots.add(reused);
      return reused;
    }
    const slot = this.fresh();
    if (visibility === 'private') this.privateSlots.add(slot);
    return slot;
  }

  private fresh(): number {
    const slot = this.next++;
    if (slot >= this.table.length) {
      if (slot >= this.maxSlots) {
        this.used--;
        this.next--;
        throw new LoadError('LOAD_TABLE_FULL', `the function table is full (${this.maxSlots} slots)`);
      }
      this.table.grow(Math.min(Math.max(this.table.length, 64), this.maxSlots - this.table.length));
    }
    return slot;
  }

  /** Points a slot at a function: every caller reaches the new code from its next call on. */
  install(slot: number, fn: unknown): void {
    try {
      this.table.set(slot, fn as never);
    } catch {
      // Only a WebAssembly function fits a slot; code from a file that exports something else is refused.
      throw new LoadError('LOAD_INSTANTIATE', `slot ${slot}: not a WebAssembly function`);
    }
  }

  get(slot: number): ((...args: unknown[]) => unknown) | null {
    return this.table.get(slot) as ((...args: unknown[]) => unknown) | null;
  }

  /** Returns a slot; it is emptied so a stale pointer traps instead of running old code. */
  release(slot: number): void {
    this.table.set(slot, null);
    if (this.privateSlots.delete(slot)) this.freedPrivate.push(slot);
    else this.freedExposed.push(slot);
    this.used--;
  }

  get slotsInUse(): number {
    return this.used;
  }
}
