/**
 * Whether `smf run app.smf` may run `main` on the main thread instead of starting its big-stack
 * run thread (src/cli/thread.ts), whose start costs about as much CPU as the rest of a small
 * program's run. The main thread has about 1 MiB of stack; the thread exists for deep recursion.
 *
 * Simple has no function values, so every call in compiled code names its callee: a direct
 * `call` within the unit, or `call_indirect` through the slot of a `GOT.func.<symbol>` global
 * (the verifier refuses any other `call_indirect`, docs/code-model.md). When every call `main`
 * can reach stays within the file's one unit of code (or goes to the runtime) and those calls
 * form no cycle, `main`'s deepest chain of frames is finite and known before it runs: it is
 * bounded here, frame by frame, from above. Anything else — a cycle, a call to another module,
 * to a template instance the loader would make or keep, to the host (`extern fn`), code this
 * scan does not read — answers "unknown", and the program runs on the thread as before.
 */
import { SectionType, SmfReader } from '../smf/index.js';
import { MAX_SMF_FILE_SIZE, readRegularFileSync } from '../read-file.js';
import { CODE_SECTION } from '../compiler/interface/smf-module.js';
import { readWasmModule } from '../compiler/wasm/reader.js';
import type { WasmModuleInfo } from '../compiler/wasm/reader.js';
import { Reader, skipImmediates } from '../compiler/wasm/meter.js';
import { ExternalKind } from '../compiler/wasm/types.js';
import { runtimeModuleBytes } from '../runtime/runtime-module.js';

/**
 * How much of the main thread's stack `main`'s frames may take: a quarter of V8's limit there
 * (about 984 KiB), leaving room for the frames below `main` (Node's, the loader's) and for the
 * JavaScript the runtime's functions run (output, the collector).
 */
export const MAIN_THREAD_STACK_BUDGET = 256 * 1024;

/**
 * A bound on one frame, from its function's shape: whether V8 runs it on its baseline or its
 * optimizing tier, a frame holds a fixed part (return address, frame pointer, instance) and at
 * most a slot for each parameter and local and for each value on the operand stack — of which
 * there are never more than the body has bytes, as every value an instruction pushes takes at
 * least a byte of code. A slot is at most 16 bytes (a v128).
 */
const FRAME_FIXED_BYTES = 128;
const SLOT_BYTES = 16;

/**
 * A call into the runtime: its WebAssembly functions' own frames, bounded by the same scan
 * (runtimeStackBound), plus the JavaScript they reach (the output sink, the collector), which
 * runs in loops of a few frames.
 */
const RUNTIME_JS_BYTES = 64 * 1024;

/** The upper bound on the stack `main` of the file's code can use, in bytes; undefined if unknown. */
export function mainStackBoundOfFile(file: string): number | undefined {
  try {
    const reader = SmfReader.fromBytes(readRegularFileSync(file, MAX_SMF_FILE_SIZE), { file, verifyHash: false });
    const code = reader.findSectionIndex(SectionType.Code, CODE_SECTION);
    if (code < 0) return undefined;
    const runtime = runtimeStackBound();
    if (runtime === undefined) return undefined;
    return stackBound(reader.sectionData(code), 'main', (module) => (module === 'rt' ? runtime + RUNTIME_JS_BYTES : undefined));
  } catch {
    // Whatever the file's trouble, the loader reports it; here it only means "not known".
    return undefined;
  }
}

/** Does `main` of this compiled module or linked program fit on the main thread's stack? */
export function fitsMainThread(file: string): boolean {
  const bound = mainStackBoundOfFile(file);
  return bound !== undefined && bound <= MAIN_THREAD_STACK_BUDGET;
}

/** Set by the bundles (scripts/bundle.mjs), which find the runtime's bound when they are built. */
declare const __SMF_RUNTIME_STACK_BOUND__: number | undefined;

let runtimeBound: number | null | undefined = typeof __SMF_RUNTIME_STACK_BOUND__ === 'number' ? __SMF_RUNTIME_STACK_BOUND__ : undefined;

/** The deepest stack any function of the runtime's WebAssembly module can use (its imports are JavaScript). */
export function runtimeStackBound(): number | undefined {
  if (runtimeBound === undefined) {
    const wasm = runtimeModuleBytes();
    const info = readWasmModule(wasm, '<runtime>');
    let max: number | null = 0;
    const bounds = new FunctionBounds(wasm, info, () => 0);
    for (const e of info.exports) {
      if (e.kind !== ExternalKind.func) continue;
      const b = bounds.of(e.index);
      if (b === undefined) {
        max = null;
        break;
      }
      max = Math.max(max, b);
    }
    runtimeBound = max;
  }
  return runtimeBound ?? undefined;
}

/**
 * The bound on the stack the exported function `entry` of one unit of code can use; undefined
 * when it is not finite or not known. `importCost` bounds a call to an imported function by its
 * module (`rt`, `host`, …), undefined for an unknown callee.
 */
export function stackBound(wasm: Uint8Array, entry: string, importCost: (module: string) => number | undefined): number | undefined {
  const info = readWasmModule(wasm, '<code>');
  const fn = info.exports.find((e) => e.kind === ExternalKind.func && e.name === entry);
  if (!fn) return undefined;
  return new FunctionBounds(wasm, info, importCost).of(fn.index);
}

const UNKNOWN = -1;
const VISITING = -2;

/** Bounds by function index, found depth-first; a function met again while visiting is a cycle. */
class FunctionBounds {
  private readonly memo = new Map<number, number>();
  /** The function each `GOT.func` global's slot holds, when it is one of this unit's own. */
  private readonly slotTargets = new Map<number, number>();
  /** The module each imported function comes from, by function index. */
  private readonly importedFrom: string[] = [];

  constructor(
    private readonly wasm: Uint8Array,
    private readonly info: WasmModuleInfo,
    private readonly importCost: (module: string) => number | undefined,
  ) {
    const exported = new Map<string, number>();
    for (const e of info.exports) if (e.kind === ExternalKind.func) exported.set(e.name, e.index);
    let global = 0;
    for (const imp of info.imports) {
      if (imp.kind === 'func') this.importedFrom.push(imp.module);
      if (imp.kind !== 'global') continue;
      const own = imp.module === 'GOT.func' ? exported.get(imp.field) : undefined;
      if (own !== undefined) this.slotTargets.set(global, own);
      global++;
    }
  }

  /** The bound for function `index`; undefined when unknown or on a cycle. */
  of(index: number): number | undefined {
    const b = this.bound(index);
    return b < 0 ? undefined : b;
  }

  private bound(index: number): number {
    const known = this.memo.get(index);
    if (known !== undefined) return known === VISITING ? UNKNOWN : known;
    if (index < this.info.importedFunctions) {
      const b = this.importCost(this.importedFrom[index]) ?? UNKNOWN;
      this.memo.set(index, b);
      return b;
    }
    this.memo.set(index, VISITING);
    const b = this.scan(index);
    this.memo.set(index, b);
    return b;
  }

  /** Its own frame plus the deepest of its callees; UNKNOWN if any callee is. */
  private scan(index: number): number {
    const i = index - this.info.importedFunctions;
    const body = this.info.bodies[i];
    const type = this.info.types[this.info.functions[i]];
    if (!body || !type) return UNKNOWN;
    const r = new Reader(this.info.code, body.start);
    let slots = type.params.length;
    for (let groups = r.u32(); groups > 0; groups--) {
      slots += r.u32();
      r.u8();
    }
    if (r.pos !== body.code) return UNKNOWN;
    const frame = FRAME_FIXED_BYTES + SLOT_BYTES * (slots + (body.end - body.code));
    let deepest = 0;
    let lastGlobal = -1;
    while (r.pos < body.end) {
      const op = r.u8();
      let callee = -1;
      if (op === 0x23) {
        lastGlobal = r.u32();
        continue;
      }
      if (op === 0x10) callee = r.u32();
      else if (op === 0x11) {
        r.u32();
        r.u32();
        const target = this.slotTargets.get(lastGlobal);
        if (target === undefined) return UNKNOWN;
        callee = target;
      } else if (op === 0x12 || op === 0x13 || op === 0x14 || op === 0x15) return UNKNOWN; // tail calls and call_ref: not read here
      else skipImmediates(r, op);
      lastGlobal = -1;
      if (callee >= 0) {
        const b = this.bound(callee);
        if (b < 0) return UNKNOWN;
        deepest = Math.max(deepest, b);
      }
    }
    return frame + deepest;
  }
}
