/**
 * The runtime instance's exports as the host uses them. Kept apart from runtime-module.ts, which
 * the bundles replace by its prebuilt bytes and constants.
 */
import { GC_CELLS } from './abi.js';
import type { RuntimeCell, RuntimeModuleExports } from './runtime-module.js';

/** The runtime instance's exports, with the allocator's memory cells (GC_CELLS) as `RuntimeCell`s. */
export function runtimeExports(instance: WebAssembly.Instance, memory: WebAssembly.Memory): RuntimeModuleExports {
  const cell = (addr: number): RuntimeCell => ({
    // A view per access: the memory's buffer is replaced when it grows.
    get value() {
      return new DataView(memory.buffer).getInt32(addr, true);
    },
    set value(v: number) {
      new DataView(memory.buffer).setInt32(addr, v, true);
    },
  });
  return {
    ...(instance.exports as unknown as RuntimeModuleExports),
    bytes_in_use: cell(GC_CELLS.inUse),
    alloc_count: cell(GC_CELLS.allocCount),
    gc_threshold: cell(GC_CELLS.threshold),
    gc_log_cursor: cell(GC_CELLS.logCursor),
    gc_log_end: cell(GC_CELLS.logEnd),
  };
}

