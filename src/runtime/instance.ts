/**
 * One runtime per process (per ModuleLoader): the shared memory, the runtime module's instance
 * and the host glue, assembled into the `rt` namespace every compiled module imports.
 */
import { GC_CELLS, HeapShape, RUNTIME_ABI } from './abi.js';
import type { RuntimeFunctionName } from './abi.js';
import { createHostFunctions } from './host.js';
import type { RuntimeImports } from './js-abi.js';
import { Collector } from './collector.js';
import type { CollectorOptions, CollectorStats } from './collector.js';
import { HEAP_BASE } from './memory-layout.js';
import {
  encodeText,
  readArrayBytes,
  readArrayHeader,
  readText,
  textBytes,
  writeTextAt,
} from './memory-io.js';
import type { ArrayHeader } from './memory-io.js';
import { BufferedOutput, stdoutSink } from './output.js';
import type { OutputSink } from './output.js';
import { WASM_RUNTIME_FUNCTIONS, runtimeModule } from './runtime-module.js';
import { runtimeExports } from './runtime-exports.js';
import type { RuntimeCell, RuntimeModuleExports } from './runtime-module.js';
import { TEXT_HEADER } from '../compiler/layout.js';

export interface RuntimeOptions {
  /**
   * The shared memory. It must serve this runtime alone: instantiating resets the runtime's
   * static area and the heap starts over. Default: a new memory of `initialPages` pages that may
   * grow to `maximumPages`.
   */
  readonly memory?: WebAssembly.Memory;
  /** Default 16 (1 MiB). */
  readonly initialPages?: number;
  /** The embedder's memory limit, in 64 KiB pages. Default 65536 (4 GiB). */
  readonly maximumPages?: number;
  /** Where `print` writes. Default: the process's standard output. */
  readonly output?: OutputSink;
  /**
   * Bytes of the shadow stack, where running functions keep their heap pointers (docs/memory.md).
   * Bounds how deep functions holding heap values can recurse. Default 1 MiB (a sixteenth of
   * `maximumPages` for smaller memories).
   */
  readonly shadowStackBytes?: number;
  /** Collector tuning; `stress` collects at every safepoint (for tests). */
  readonly gc?: CollectorOptions;
}

export interface RuntimeStats {
  /** Bytes of live blocks (headers and size-class rounding included). */
  readonly bytesInUse: number;
  readonly peakBytesInUse: number;
  readonly allocations: number;
  readonly frees: number;
  /** End of the part of the heap ever handed out. */
  readonly heapTop: number;
  readonly memoryBytes: number;
  /** The garbage collector's counters. */
  readonly gc: CollectorStats;
  /** Heap values the host holds (pinned through handles). */
  readonly pinned: number;
}

export interface Runtime {
  readonly memory: WebAssembly.Memory;
  /** The `rt` namespace: exactly the functions of RUNTIME_ABI. */
  readonly imports: RuntimeImports;
  /** First heap address; everything below belongs to the runtime. */
  readonly heapBase: number;
  /** Allocates `size` bytes, 8-aligned; `site` names the function for an out-of-memory trap. */
  alloc(size: number, site?: number): number;
  free(ptr: number): void;
  /** Resizes a block to `size` bytes keeping its first `used`; in place when its size class allows. */
  realloc(ptr: number, used: number, size: number, site?: number): number;
  /**
   * Places a module's static data (never collected) and returns its address, the module's
   * `__memory_base`. Give it back with `releaseStatic` when the module is unloaded.
   */
  allocStatic(bytes: Uint8Array, align?: number): number;
  /** The static data at `ptr` is no longer needed: freed once nothing points into it. */
  releaseStatic(ptr: number): void;
  /** Keeps a heap value alive while the host holds it (counted: as many `unpin`s release it). */
  pin(ptr: number): void;
  unpin(ptr: number): void;
  /**
   * The host calls into Simple code: returns a mark for `leave`. Nested calls (Simple code calling
   * an `extern fn` that calls Simple code) nest.
   */
  enter(): number;
  /**
   * The call that `enter` began has returned or thrown. After a throw, pops the frames the trap
   * left on the shadow stack (clearing them): a throw skips the epilogues that would have.
   */
  leave(mark: number): void;
  /** Collects now if no Simple code is running, else at the next safepoint. */
  collectWhenIdle(): void;
  /**
   * Collects garbage now. Only when no Simple code is running: the values a running function
   * holds on the WebAssembly operand stack are not roots.
   */
  collect(): void;
  /** A new text object holding `s` as UTF-8. */
  writeText(s: string): number;
  readText(ptr: number): string;
  /** A text's UTF-8 bytes as a view into the memory (valid until it grows), or undefined. */
  textBytes(ptr: number): Uint8Array | undefined;
  /**
   * A new array of `length` elements of `elemSize` bytes, initialised from `bytes` if given.
   * `pointers`: its elements are heap pointers the collector must follow.
   */
  newArray(elemSize: number, length: number, bytes?: Uint8Array, pointers?: boolean): number;
  readArrayHeader(ptr: number): ArrayHeader;
  /** A copy of the array's elements as raw little-endian bytes. */
  readArrayBytes(ptr: number, elemSize: number): Uint8Array;
  /** Writes out everything printed so far. */
  flush(): void;
  stats(): RuntimeStats;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new RuntimeInstance(options);
}

class RuntimeInstance implements Runtime {
  readonly memory: WebAssembly.Memory;
  readonly imports: RuntimeImports;
  readonly heapBase: number;
  private readonly output: BufferedOutput;
  private readonly rt: RuntimeModuleExports;
  private readonly collector: Collector;
  /** The shadow stack's top (exclusive): frames lie in [sp, shadowTop). */
  private readonly shadowTop: number;
  /** Calls from the host into Simple code now running (see `enter`). */
  private activeCalls = 0;
  private spCell: Uint32Array | undefined;

  constructor(options: RuntimeOptions) {
    this.memory = options.memory ?? newMemory(options);
    this.output = new BufferedOutput(options.output ?? stdoutSink);
    const host = createHostFunctions({
      memory: this.memory,
      output: this.output,
      alloc: (size, site) => this.alloc(size, site),
      collect: () => this.collector.collect(this.shadowTop),
    });
    const instance = new WebAssembly.Instance(runtimeModule(), {
      env: { memory: this.memory },
      host: { panic: host.panic },
    });
    this.rt = runtimeExports(instance, this.memory);
    this.heapBase = (this.rt.heap_base.value as number) >>> 0;
    if (this.heapBase !== HEAP_BASE) throw new Error('internal: runtime module and layout disagree on the heap base');
    const maxBytes = (options.maximumPages ?? 65536) * 65536;
    this.collector = new Collector(this.memory, this.rt, options.gc, maxBytes);

    // A sixteenth of the memory's maximum, so a small memory is not taken by its stack.
    const shadowBytes = options.shadowStackBytes ?? Math.max(1024, Math.min(DEFAULT_SHADOW_STACK, maxBytes / 16));
    if (!(Number.isInteger(shadowBytes) && shadowBytes >= 1024 && shadowBytes <= 1 << 30)) {
      throw new RangeError(`shadowStackBytes must be an integer in 1024..2^30, not ${shadowBytes}`);
    }
    const shadow = this.alloc(shadowBytes & ~7);
    this.collector.addStatic(shadow);
    this.shadowTop = shadow + (shadowBytes & ~7);
    const cells = new Uint32Array(this.memory.buffer);
    cells[GC_CELLS.shadowSp >> 2] = this.shadowTop;
    cells[GC_CELLS.shadowLimit >> 2] = shadow;
    cells[GC_CELLS.pending >> 2] = 0;

    const wasm = instance.exports as Record<string, unknown>;
    const imports: Record<string, unknown> = { ...host };
    for (const name of WASM_RUNTIME_FUNCTIONS) imports[name] = wasm[name];
    for (const name of Object.keys(RUNTIME_ABI) as RuntimeFunctionName[]) {
      if (typeof imports[name] !== 'function') throw new Error(`internal: runtime function ${name} is missing`);
    }
    this.imports = Object.freeze(imports) as unknown as RuntimeImports;
  }

  alloc(size: number, site = 0): number {
    return this.rt.alloc(size, site) >>> 0;
  }

  free(ptr: number): void {
    this.rt.free(ptr);
  }

  realloc(ptr: number, used: number, size: number, site = 0): number {
    return this.rt.realloc(ptr, used, size, site) >>> 0;
  }

  allocStatic(bytes: Uint8Array, align = 8): number {
    if (!(align >= 1 && (align & (align - 1)) === 0)) {
      throw new RangeError(`alignment must be a power of two, not ${align}`);
    }
    // Blocks are 8-aligned; a larger alignment needs slack to round up within the block.
    const slack = align > 8 ? align - 8 : 0;
    const block = this.alloc(bytes.length + slack);
    this.collector.addStatic(block);
    const ptr = Math.ceil(block / align) * align;
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  releaseStatic(ptr: number): void {
    this.collector.releaseStatic(ptr);
  }

  pin(ptr: number): void {
    this.collector.pin(ptr);
  }

  unpin(ptr: number): void {
    this.collector.unpin(ptr);
  }

  collect(): void {
    this.collector.collect(this.shadowTop, true);
  }

  enter(): number {
    this.activeCalls++;
    return this.shadowSpCell()[0];
  }

  leave(mark: number): void {
    this.activeCalls--;
    const cell = this.shadowSpCell();
    const sp = cell[0];
    if (sp === mark) return;
    if (sp < mark) new Uint8Array(this.memory.buffer, sp, mark - sp).fill(0);
    cell[0] = mark;
  }

  /** A view of the shadow stack's top, kept while the memory's buffer stays the same (every host call reads it). */
  private shadowSpCell(): Uint32Array {
    const buffer = this.memory.buffer;
    if (this.spCell?.buffer !== buffer) this.spCell = new Uint32Array(buffer, GC_CELLS.shadowSp, 1);
    return this.spCell;
  }

  collectWhenIdle(): void {
    if (this.activeCalls === 0) this.collect();
    else this.collector.request(true);
  }

  writeText(s: string): number {
    const bytes = encodeText(s);
    const ptr = this.alloc(TEXT_HEADER.size + bytes.length);
    writeTextAt(this.memory, ptr, bytes);
    return ptr;
  }

  readText(ptr: number): string {
    return readText(this.memory, ptr);
  }

  textBytes(ptr: number): Uint8Array | undefined {
    return textBytes(this.memory, ptr);
  }

  newArray(elemSize: number, length: number, bytes?: Uint8Array, pointers = false): number {
    const arr = this.imports.array_new(elemSize, length, pointers ? HeapShape.ArrayOfPointers : HeapShape.ArrayOfValues, 0) >>> 0;
    const data = new Uint8Array(this.memory.buffer, this.readArrayHeader(arr).data, elemSize * length);
    // Elements not given are cleared: the collector follows a pointer array's elements.
    data.fill(0);
    if (bytes !== undefined) data.set(bytes.subarray(0, data.length));
    return arr;
  }

  readArrayHeader(ptr: number): ArrayHeader {
    return readArrayHeader(this.memory, ptr);
  }

  readArrayBytes(ptr: number, elemSize: number): Uint8Array {
    return readArrayBytes(this.memory, ptr, elemSize);
  }

  flush(): void {
    this.output.flush();
  }

  stats(): RuntimeStats {
    const rt = this.rt;
    const u32 = (g: RuntimeCell): number => (g.value as number) >>> 0;
    return {
      bytesInUse: u32(rt.bytes_in_use),
      // The peak is noted where the bytes in use go down (allocator.ts emitNotePeak).
      peakBytesInUse: Math.max(u32(rt.peak_bytes), u32(rt.bytes_in_use)),
      allocations: u32(rt.alloc_count),
      frees: u32(rt.free_count),
      heapTop: u32(rt.heap_top),
      memoryBytes: this.memory.buffer.byteLength,
      gc: this.collector.stats(),
      pinned: this.collector.pinnedCount,
    };
  }
}

const DEFAULT_SHADOW_STACK = 1 << 20;

function newMemory(options: RuntimeOptions): WebAssembly.Memory {
  const maximum = options.maximumPages ?? 65536;
  if (!(Number.isInteger(maximum) && maximum >= 1 && maximum <= 65536)) {
    throw new RangeError(`maximumPages must be an integer in 1..65536, not ${maximum}`);
  }
  const initial = Math.min(options.initialPages ?? 16, maximum);
  return new WebAssembly.Memory({ initial, maximum });
}
