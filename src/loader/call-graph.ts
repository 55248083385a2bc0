/**
 * The calls of one unit of code, read off its WebAssembly: Simple has no function values, so every
 * call names its callee — a direct `call` within the unit, or `call_indirect` through the slot of
 * a `GOT.func.<symbol>` global (the verifier refuses any other, docs/code-model.md). From them:
 * a bound on the stack a function can use (src/cli/stack-bound.ts: may `smf run` skip its
 * big-stack thread?), and whether code runs straight through (tiering.ts: is it worth V8's
 * optimizing tier?). A cycle, a call out of the unit or to the host, or an instruction not read
 * here leaves the answer unknown.
 */
import { readWasmModule } from '../compiler/wasm/reader.js';
import type { WasmModuleInfo } from '../compiler/wasm/reader.js';
import { Reader, skipImmediates } from '../compiler/wasm/meter.js';
import { ExternalKind } from '../compiler/wasm/types.js';

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
 * The bound on the stack the exported function `entry` of one unit of code can use; undefined
 * when it is not finite or not known. `importCost` bounds a call to an imported function by its
 * module (`rt`, `host`, …), undefined for an unknown callee.
 */
export function stackBound(wasm: Uint8Array, entry: string, importCost: (module: string) => number | undefined): number | undefined {
  const info = readWasmModule(wasm, '<code>');
  const fn = info.exports.find((e) => e.kind === ExternalKind.func && e.name === entry);
  if (!fn) return undefined;
  return new FunctionBounds(info, importCost).of(fn.index);
}

/**
 * Does every function of this unit run straight through — no `loop`, no recursion, and calls
 * only to its own functions and the runtime — so that a call from the host runs each of them a
 * bounded number of times? Such code gains nothing from V8's optimizing tier (tiering.ts).
 * False when the code cannot be read.
 */
export function runsStraight(wasm: Uint8Array): boolean {
  let info: WasmModuleInfo;
  try {
    info = readWasmModule(wasm, '<code>');
  } catch {
    return false;
  }
  const bounds = new FunctionBounds(info, (module) => (module === 'rt' ? 0 : undefined), { loops: false });
  try {
    for (let i = 0; i < info.bodies.length; i++) if (bounds.of(info.importedFunctions + i) === undefined) return false;
  } catch {
    return false;
  }
  return true;
}

const UNKNOWN = -1;
const VISITING = -2;

/**
 * Bounds by function index, found depth-first; a function met again while visiting is a cycle.
 * With `loops: false`, a function with a loop has no bound either.
 */
export class FunctionBounds {
  private readonly memo = new Map<number, number>();
  /** The function each `GOT.func` global's slot holds, when it is one of this unit's own. */
  private readonly slotTargets = new Map<number, number>();
  /** The module each imported function comes from, by function index. */
  private readonly importedFrom: string[] = [];

  constructor(
    private readonly info: WasmModuleInfo,
    private readonly importCost: (module: string) => number | undefined,
    private readonly options: { readonly loops: boolean } = { loops: true },
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
      else if (op === 0x03 && !this.options.loops) return UNKNOWN;
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
