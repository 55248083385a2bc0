/**
 * The loader's executable memory (docs/code-model.md): one shared `WebAssembly.Table` whose slots
 * are the function pointers, and the linear memory the runtime manages.
 *
 * `allocExecMemory` reserves slots; "writing code" is installing an instantiated function into
 * them. Compiled code is never writable, so W^X holds without any page protection.
 */
import { LoadError } from './errors.js';

export interface ExecMemoryOptions {
  /** Slots the table starts with. Default 1024. */
  readonly initialSlots?: number;
  /** The most slots the table may grow to (a resource limit). Default 1,000,000. */
  readonly maxSlots?: number;
}

export class ExecMemory {
  readonly table: WebAssembly.Table;
  readonly maxSlots: number;
  /** Slot 0 stays empty so that 0 is never a valid function pointer. */
  private next = 1;
  private readonly freed: number[] = [];
  private used = 0;

  constructor(options: ExecMemoryOptions = {}) {
    this.maxSlots = options.maxSlots ?? 1_000_000;
    const initial = Math.min(options.initialSlots ?? 1024, this.maxSlots);
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial, maximum: this.maxSlots });
  }

  /** Reserves one slot for a function and returns its index. */
  allocExecMemory(): number {
    this.used++;
    const reused = this.freed.pop();
    if (reused !== undefined) return reused;
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
    this.freed.push(slot);
    this.used--;
  }

  get slotsInUse(): number {
    return this.used;
  }
}
