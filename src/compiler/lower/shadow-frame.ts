/**
 * A function's frame on the shadow stack (docs/memory.md): one 4-byte slot per heap-pointer local
 * and per pointer held across a possible safepoint, so the collector sees every pointer a running
 * function holds.
 *
 * The frame grows downwards from `GC_CELLS.shadowSp`. Its size is known only once the body is
 * lowered (spill slots are handed out on the way), so the prologue's size is a patched constant
 * and the epilogue is written last, after the body's exit block. Free shadow-stack memory is kept
 * zero — every epilogue clears its own frame — so a prologue need not clear anything and a
 * collection never sees a stale pointer.
 */
import type { FunctionBuilder } from '../wasm/index.js';
import { GC_CELLS } from '../runtime-abi.js';

const SLOT = 4;

export class ShadowFrame {
  private slots: number;
  private readonly freeSpills: number[] = [];
  private sizeAt = -1;

  /** `fixedSlots` slots for locals come first; `fp` is an i32 local for the frame's base. */
  constructor(
    private readonly f: FunctionBuilder,
    readonly fp: number,
    fixedSlots: number,
  ) {
    this.slots = fixedSlots;
  }

  /** Reserves the frame; `overflow` emits the trap for a full shadow stack. */
  prologue(overflow: () => void): void {
    const f = this.f;
    f.i32Const(0).i32Load(GC_CELLS.shadowSp);
    this.sizeAt = f.i32ConstPatchable();
    f.i32Sub().localTee(this.fp);
    f.i32Const(0).i32Load(GC_CELLS.shadowLimit).i32LtU().if_();
    overflow();
    f.end();
    f.i32Const(0).localGet(this.fp).i32Store(GC_CELLS.shadowSp);
  }

  /** Stores the i32 in local `value` into `slot`. */
  store(slot: number, value: number): void {
    this.f.localGet(this.fp).localGet(value).i32Store(slot * SLOT);
  }

  takeSpill(): number {
    return this.freeSpills.pop() ?? this.slots++;
  }

  releaseSpill(slot: number): void {
    this.freeSpills.push(slot);
  }

  /** Clears the frame and pops it; patches the prologue's size. Leaves the stack as it was. */
  epilogue(): void {
    const f = this.f;
    for (let i = 0; i < this.slots; i++) f.localGet(this.fp).i32Const(0).i32Store(i * SLOT);
    f.i32Const(0).localGet(this.fp).i32Const(this.slots * SLOT).i32Add().i32Store(GC_CELLS.shadowSp);
    f.patchS32(this.sizeAt, this.slots * SLOT);
  }
}
