/**
 * Keeping a function's heap pointers visible to the collector (docs/memory.md): which locals
 * have shadow-stack slots, the frame, spills of pointers held across a possible safepoint, and
 * the safepoints themselves. The lowering asks here; `GcFacts` says where it must.
 */
import { ValType } from '../wasm/index.js';
import type { FunctionBuilder } from '../wasm/index.js';
import type { IrExpr, IrFunction } from '../ir.js';
import { isHeapPointer } from '../layout.js';
import { BLOCK_HEADER_BYTES, BlockFlag, GC_CELLS } from '../runtime-abi.js';
import type { RuntimeFunctionName } from '../runtime-abi.js';
import { GcFacts } from './gc-facts.js';
import { ShadowFrame } from './shadow-frame.js';
import type { TempLocals } from './temps.js';
import { wasmType } from './values.js';

/** A value computed into a scratch local, and its spill slot (or -1). */
export interface HeldValue {
  readonly w: ValType | null;
  readonly local: number;
  readonly slot: number;
}

export class Rooting {
  readonly facts: GcFacts;
  /** The function's shadow-stack frame, when it holds heap pointers across safepoints. */
  readonly frame: ShadowFrame | undefined;
  /** Shadow-stack slot of each heap-pointer local, by local id. */
  private readonly slotOf: number[] = [];

  constructor(
    private readonly fn: IrFunction,
    private readonly f: FunctionBuilder,
    private readonly temps: TempLocals,
    private readonly expr: (e: IrExpr) => void,
    private readonly callRuntime: (name: RuntimeFunctionName) => void,
    callCollects?: (symbol: string) => boolean,
  ) {
    this.facts = new GcFacts(callCollects);
    // A function that reaches no safepoint (an allocating one polls on entry, holding its
    // parameters) needs no frame: nothing collects while it runs.
    if (!this.facts.mayCollectStmts(fn.body) && !this.facts.allocatesStmts(fn.body)) return;
    let pointerLocals = 0;
    for (const l of fn.locals) if (isHeapPointer(l.type)) this.slotOf[l.id] = pointerLocals++;
    // Spill slots are only ever needed for a pointer value held across a call or a loop.
    if (pointerLocals > 0 || this.facts.holdsPointersStmts(fn.body)) {
      this.frame = new ShadowFrame(f, f.addLocal(ValType.i32, 'shadow_fp'), pointerLocals);
    }
  }

  /** The frame's prologue, with the pointer parameters (wasm locals `localIndex`) stored in it. */
  prologue(localIndex: readonly number[], overflow: () => void): void {
    const frame = this.frame;
    if (!frame) return;
    frame.prologue(overflow);
    for (const p of this.fn.params) {
      const slot = this.slotOf[p.id];
      if (slot !== undefined) frame.store(slot, localIndex[p.id]);
    }
  }

  /** After local `id` (wasm local `index`) is assigned: writes a pointer through to its slot. */
  assigned(id: number, index: number): void {
    const slot = this.slotOf[id];
    if (slot !== undefined) this.frame!.store(slot, index);
  }

  /** Collects if the allocator asked for it. Every live pointer must be in the shadow stack here. */
  safepoint(): void {
    this.f.i32Const(0).i32Load(GC_CELLS.pending).if_();
    this.callRuntime('gc_collect');
    this.f.end();
  }

  /**
   * The write barrier, after a heap pointer was stored into the block in local `obj`: an old
   * block not yet remembered is handed to the runtime's remembered set, so the next minor
   * collection traces what it now points to (docs/memory.md). Reads the header's flag byte.
   */
  writeBarrier(obj: number): void {
    const f = this.f;
    f.localGet(obj).i32Const(BLOCK_HEADER_BYTES - 1).i32Sub().i32Load8U(0, 0);
    f.i32Const((BlockFlag.Old | BlockFlag.Remembered) >> 8).i32And().i32Const(BlockFlag.Old >> 8).i32Eq().if_();
    f.localGet(obj);
    this.callRuntime('gc_remember');
    f.end();
  }

  /** Copies the pointer on top of the stack into a spill slot (leaving it on the stack). */
  root(): number {
    const t = this.temps.take(ValType.i32);
    this.f.localTee(t);
    const slot = this.rootLocal(t);
    this.temps.release(ValType.i32, t);
    return slot;
  }

  /** Copies the pointer in local `local` into a spill slot. */
  rootLocal(local: number): number {
    const frame = this.frame;
    if (!frame) throw new Error(`internal: ${this.fn.displayName} holds a pointer across a safepoint but has no frame`);
    const slot = frame.takeSpill();
    frame.store(slot, local);
    return slot;
  }

  unroot(slot: number): void {
    this.frame!.releaseSpill(slot);
  }

  /** Evaluates `e`; if it is a pointer that must survive `collectsLater`, roots it. Returns the slot or -1. */
  exprRooted(e: IrExpr, collectsLater: boolean): number {
    this.expr(e);
    return collectsLater && isHeapPointer(e.type) ? this.root() : -1;
  }

  unrootAll(slots: readonly number[]): void {
    for (const slot of slots) if (slot >= 0) this.unroot(slot);
  }

  /**
   * Evaluates `values` in order into scratch locals (for a record or array literal, before it is
   * allocated); a pointer that a later value's evaluation may collect around is also rooted.
   */
  evaluateAll(values: readonly IrExpr[]): HeldValue[] {
    const later = this.facts.collectsAfter(values);
    return values.map((v, i) => {
      const slot = this.exprRooted(v, later[i]);
      const w = wasmType(v.type);
      if (w === null) return { w, local: -1, slot };
      const local = this.temps.take(w);
      this.f.localSet(local);
      return { w, local, slot };
    });
  }
}
