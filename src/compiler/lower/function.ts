/**
 * Lowering of one IR function to a WebAssembly function body.
 *
 * Every type is concrete here, so instruction selection is a switch on the operand type. Calls
 * whose target index is not known yet (runtime imports, functions of this unit) are emitted
 * with padded LEB immediates and patched by the unit once the index spaces are final — the
 * relocation scheme of WebAssembly object files.
 */
import { BlockType, FunctionBuilder, ValType } from '../wasm/index.js';
import type { IrBlockExpr, IrExpr, IrFunction, IrStmt } from '../ir.js';
import { ARRAY_HEADER, isHeapPointer, recordLayout, recordShape, reprOf } from '../layout.js';
import { GC_CELLS, HeapShape, TrapKind } from '../runtime-abi.js';
import type { RuntimeFunctionName } from '../runtime-abi.js';
import type { Type } from '../../types/index.js';
import { cast, toI64 } from './casts.js';
import { division } from './division.js';
import type { DivisionContext } from './division.js';
import { GcFacts } from './gc-facts.js';
import { ShadowFrame } from './shadow-frame.js';
import { extractLane, replaceLane, scalarAdd, simdOp, splat } from './simd.js';
import { TempLocals } from './temps.js';
import { interpolate } from './text.js';
import type { TextContext } from './text.js';
import { emitIntConst, emitLoad, emitNormalize, emitStore, wasmType } from './values.js';

/** What a function body needs from the unit it is lowered into. */
export interface UnitServices {
  /** Emits a call to a runtime function (patched later). */
  callRuntime(f: FunctionBuilder, name: RuntimeFunctionName): void;
  /** Emits a call to `symbol` with the given signature: direct when defined in this unit, else through its table slot. */
  callSymbol(f: FunctionBuilder, symbol: string, params: readonly Type[], ret: Type): void;
  /** Pushes the address of a text object holding `s` in the unit's static data. */
  pushText(f: FunctionBuilder, s: string): void;
}

interface Loop {
  readonly breakDepth: number;
  readonly continueDepth: number;
}

export class FunctionLowering {
  private readonly f: FunctionBuilder;
  private readonly localIndex: number[] = [];
  private depth = 0;
  private readonly loops: Loop[] = [];
  private readonly temps: TempLocals;
  /** What the emitters split out of this class (division, text) need from it. */
  private readonly context: DivisionContext & TextContext;
  private readonly siteName: string;
  private readonly facts = new GcFacts();
  /** Shadow-stack slot of each heap-pointer local, by local id. */
  private readonly slotOf: number[] = [];
  /** The function's shadow-stack frame, when it holds heap pointers across safepoints. */
  private readonly frame: ShadowFrame | undefined;
  /** The block every `return` branches to when there is a frame to pop on the way out. */
  private exitDepth = -1;

  constructor(
    private readonly fn: IrFunction,
    private readonly unit: UnitServices,
  ) {
    const params: ValType[] = [];
    for (const p of fn.params) {
      const v = wasmType(p.type);
      this.localIndex[p.id] = v === null ? -1 : params.length;
      if (v !== null) params.push(v);
    }
    this.f = new FunctionBuilder(params);
    for (const l of fn.locals.slice(fn.params.length)) {
      const v = wasmType(l.type);
      this.localIndex[l.id] = v === null ? -1 : this.f.addLocal(v, l.name);
    }
    fn.params.forEach((p) => {
      if (this.localIndex[p.id] >= 0) this.f.setLocalName(this.localIndex[p.id], p.name);
    });
    this.siteName = fn.displayName;
    this.temps = new TempLocals(this.f);
    let pointerLocals = 0;
    for (const l of fn.locals) if (isHeapPointer(l.type)) this.slotOf[l.id] = pointerLocals++;
    // Spill slots are only ever needed for a pointer value held across a call or a loop.
    if (pointerLocals > 0 || (this.facts.mayCollectStmts(fn.body) && this.facts.holdsPointersStmts(fn.body))) {
      this.frame = new ShadowFrame(this.f, this.f.addLocal(ValType.i32, 'shadow_fp'), pointerLocals);
    }
    this.context = {
      f: this.f,
      temps: this.temps,
      expr: (e) => this.expr(e),
      open: (kind, bt) => this.open(kind, bt),
      close: () => this.close(),
      panic: (kind) => this.panic(kind),
      pushSite: () => this.pushSite(),
      callRuntime: (name) => this.unit.callRuntime(this.f, name),
      mayCollect: (e) => this.facts.mayCollect(e),
      rootLocal: (local) => this.rootLocal(local),
      unroot: (slot) => this.unroot(slot),
    };
  }

  static signature(fn: IrFunction): { params: ValType[]; results: ValType[] } {
    const params = fn.params.map((p) => wasmType(p.type)).filter((v): v is ValType => v !== null);
    const r = wasmType(fn.ret);
    return { params, results: r === null ? [] : [r] };
  }

  lower(): FunctionBuilder {
    const frame = this.frame;
    if (frame) {
      frame.prologue(() => this.panic(TrapKind.StackOverflow));
      for (const p of this.fn.params) {
        const slot = this.slotOf[p.id];
        if (slot !== undefined) frame.store(slot, this.localIndex[p.id]);
      }
    }
    if (this.facts.allocatesStmts(this.fn.body)) this.safepoint();
    if (frame) this.exitDepth = this.open('block', this.blockTypeOf(this.fn.ret));
    for (const s of this.fn.body) this.stmt(s);
    if (this.fn.ret.kind !== 'unit') this.f.unreachable();
    if (frame) {
      this.close();
      frame.epilogue();
    }
    return this.f;
  }

  // ---------------------------------------------------------------------------------------------
  // Keeping heap pointers visible to the collector (docs/memory.md)

  /** Collects if the allocator asked for it. Every live pointer must be in the shadow stack here. */
  private safepoint(): void {
    this.f.i32Const(0).i32Load(GC_CELLS.pending).if_();
    this.unit.callRuntime(this.f, 'gc_collect');
    this.f.end();
  }

  /** Copies the pointer on top of the stack into a spill slot (leaving it on the stack). */
  private root(): number {
    const t = this.temps.take(ValType.i32);
    this.f.localTee(t);
    const slot = this.rootLocal(t);
    this.temps.release(ValType.i32, t);
    return slot;
  }

  /** Copies the pointer in local `local` into a spill slot. */
  private rootLocal(local: number): number {
    const frame = this.frame;
    if (!frame) throw new Error(`internal: ${this.siteName} holds a pointer across a safepoint but has no frame`);
    const slot = frame.takeSpill();
    frame.store(slot, local);
    return slot;
  }

  private unroot(slot: number): void {
    this.frame!.releaseSpill(slot);
  }

  /** Evaluates `e`; if it is a pointer that must survive `collectsLater`, roots it. Returns the slot or -1. */
  private exprRooted(e: IrExpr, collectsLater: boolean): number {
    this.expr(e);
    return collectsLater && isHeapPointer(e.type) ? this.root() : -1;
  }

  private unrootAll(slots: readonly number[]): void {
    for (const slot of slots) if (slot >= 0) this.unroot(slot);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private open(kind: 'block' | 'loop' | 'if', bt: BlockType = BlockType.empty): number {
    if (kind === 'block') this.f.block(bt);
    else if (kind === 'loop') this.f.loop(bt);
    else this.f.if_(bt);
    return ++this.depth;
  }

  private close(): void {
    this.f.end();
    this.depth--;
  }

  private br(target: number): void {
    this.f.br(this.depth - target);
  }

  private pushSite(): void {
    this.unit.pushText(this.f, this.siteName);
  }

  /** Calls `panic(kind, site, a, b)` with a and b already pushed as i64, then `unreachable`. */
  private panicWithDetails(kind: number, pushDetails: () => void): void {
    this.f.i32Const(kind);
    this.pushSite();
    pushDetails();
    this.unit.callRuntime(this.f, 'panic');
    this.f.unreachable();
  }

  private panic(kind: number): void {
    this.panicWithDetails(kind, () => this.f.i64Const(0).i64Const(0));
  }

  private blockTypeOf(t: Type): BlockType {
    const v = wasmType(t);
    return v === null ? BlockType.empty : BlockType.of(v);
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private stmts(list: readonly IrStmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: IrStmt): void {
    const f = this.f;
    switch (s.kind) {
      case 'expr':
        this.expr(s.expr);
        if (wasmType(s.expr.type) !== null) f.drop();
        return;
      case 'let':
        this.expr(s.value);
        this.setLocal(s.local, s.value.type);
        return;
      case 'setField': {
        const layout = this.layoutOf(s.objectType);
        const slot = this.exprRooted(s.object, this.facts.mayCollect(s.value));
        this.expr(s.value);
        emitStore(f, fieldType(s.objectType, s.field, this), layout.offsets[s.field]);
        this.unrootAll([slot]);
        return;
      }
      case 'setIndex': {
        // The value is computed before the element's address: computing it may push to this
        // very array, which moves its elements to a new buffer.
        const elemSize = reprOf(s.elemType).size;
        const v = wasmType(s.elemType);
        const value = v === null ? -1 : this.temps.take(v);
        const arr = this.temps.take(ValType.i32);
        const idx = this.temps.take(ValType.i64);
        this.expr(s.array);
        f.localSet(arr);
        const slot = this.facts.mayCollect(s.index) || this.facts.mayCollect(s.value) ? this.rootLocal(arr) : -1;
        this.expr(s.index);
        toI64(f, s.index.type);
        f.localSet(idx);
        this.expr(s.value);
        if (v !== null) f.localSet(value);
        this.unrootAll([slot]);
        this.checkedElementAddress(arr, idx, elemSize);
        if (v !== null) {
          f.localGet(value);
          emitStore(f, s.elemType, 0);
          this.temps.release(v, value);
        } else {
          f.drop();
        }
        this.temps.release(ValType.i64, idx);
        this.temps.release(ValType.i32, arr);
        return;
      }
      case 'if':
        this.expr(s.cond);
        this.open('if');
        this.stmts(s.then);
        if (s.else.length > 0) {
          f.else_();
          this.stmts(s.else);
        }
        this.close();
        return;
      case 'while': {
        const exit = this.open('block');
        const top = this.open('loop');
        if (this.facts.allocatesStmts(s.body) || this.facts.allocates(s.cond)) this.safepoint();
        this.expr(s.cond);
        f.i32Eqz();
        f.brIf(this.depth - exit);
        this.loops.push({ breakDepth: exit, continueDepth: top });
        this.stmts(s.body);
        this.loops.pop();
        this.br(top);
        this.close();
        this.close();
        return;
      }
      case 'forRange':
        this.forRange(s);
        return;
      case 'forEach':
        this.forEach(s);
        return;
      case 'break':
        this.br(this.loops[this.loops.length - 1].breakDepth);
        return;
      case 'continue':
        this.br(this.loops[this.loops.length - 1].continueDepth);
        return;
      case 'return':
        if (s.value) this.expr(s.value);
        // With a frame, every way out goes through the epilogue after the exit block.
        if (this.frame) this.br(this.exitDepth);
        else f.return_();
        return;
    }
  }

  private setLocal(id: number, t: Type): void {
    const index = this.localIndex[id];
    if (index >= 0) {
      this.f.localSet(index);
      const slot = this.slotOf[id];
      if (slot !== undefined) this.frame!.store(slot, index);
    } else if (wasmType(t) !== null) {
      this.f.drop();
    }
  }

  private forRange(s: Extract<IrStmt, { kind: 'forRange' }>): void {
    const f = this.f;
    const t = s.start.type;
    const v = wasmType(t)!;
    const is64 = v === ValType.i64;
    const signed = t.kind === 'int' && t.signed;
    const i = this.localIndex[s.local];
    const end = this.temps.take(v);
    this.expr(s.start);
    f.localSet(i);
    this.expr(s.end);
    f.localSet(end);
    const pastEnd = (strict: boolean): void => {
      f.localGet(i).localGet(end);
      if (strict) is64 ? (signed ? f.i64GtS() : f.i64GtU()) : signed ? f.i32GtS() : f.i32GtU();
      else is64 ? (signed ? f.i64GeS() : f.i64GeU()) : signed ? f.i32GeS() : f.i32GeU();
    };
    const exit = this.open('block');
    if (s.inclusive) {
      pastEnd(true);
      f.brIf(this.depth - exit);
    }
    const top = this.open('loop');
    if (this.facts.allocatesStmts(s.body)) this.safepoint();
    if (!s.inclusive) {
      pastEnd(false);
      f.brIf(this.depth - exit);
    }
    const next = this.open('block');
    this.loops.push({ breakDepth: exit, continueDepth: next });
    this.stmts(s.body);
    this.loops.pop();
    this.close();
    if (s.inclusive) {
      // Stop on reaching the end before incrementing, so `0..=255` over u8 terminates.
      f.localGet(i).localGet(end);
      is64 ? f.i64Eq() : f.i32Eq();
      f.brIf(this.depth - exit);
    }
    f.localGet(i);
    if (is64) f.i64Const(1).i64Add();
    else f.i32Const(1).i32Add();
    emitNormalize(f, t);
    f.localSet(i);
    this.br(top);
    this.close();
    this.close();
    this.temps.release(v, end);
  }

  private forEach(s: Extract<IrStmt, { kind: 'forEach' }>): void {
    const f = this.f;
    const size = reprOf(s.elemType).size;
    const arr = this.temps.take(ValType.i32);
    const idx = this.temps.take(ValType.i32);
    this.expr(s.array);
    f.localSet(arr);
    const allocates = this.facts.allocatesStmts(s.body);
    // The array is held across the body, and across the header's safepoint.
    const slot = allocates || this.facts.mayCollectStmts(s.body) ? this.rootLocal(arr) : -1;
    f.i32Const(0).localSet(idx);
    const exit = this.open('block');
    const top = this.open('loop');
    if (allocates) this.safepoint();
    // The length and data pointer are re-read every iteration: the body may push.
    f.localGet(idx).localGet(arr).i32Load(ARRAY_HEADER.len, 2).i32GeU();
    f.brIf(this.depth - exit);
    f.localGet(arr).i32Load(ARRAY_HEADER.data, 2).localGet(idx).i32Const(size).i32Mul().i32Add();
    emitLoad(f, s.elemType, 0);
    this.setLocal(s.local, s.elemType);
    f.localGet(idx).i32Const(1).i32Add().localSet(idx);
    const next = this.open('block');
    this.loops.push({ breakDepth: exit, continueDepth: next });
    this.stmts(s.body);
    this.loops.pop();
    this.close();
    this.br(top);
    this.close();
    this.close();
    this.unrootAll([slot]);
    this.temps.release(ValType.i32, idx);
    this.temps.release(ValType.i32, arr);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private block(b: IrBlockExpr): void {
    this.stmts(b.stmts);
    this.expr(b.result);
  }

  private expr(e: IrExpr): void {
    const f = this.f;
    switch (e.kind) {
      case 'int':
        emitIntConst(f, e.type, e.value);
        return;
      case 'float':
        if (e.type.kind === 'float' && e.type.bits === 32) f.f32Const(e.value);
        else f.f64Const(e.value);
        return;
      case 'bool':
        f.i32Const(e.value ? 1 : 0);
        return;
      case 'text':
        this.unit.pushText(f, e.value);
        return;
      case 'unit':
        return;
      case 'unreachable': {
        f.unreachable();
        return;
      }
      case 'local': {
        const index = this.localIndex[e.local];
        if (index >= 0) f.localGet(index);
        return;
      }
      case 'assign':
        this.expr(e.value);
        this.setLocal(e.local, e.value.type);
        return;
      case 'unary':
        this.unary(e);
        return;
      case 'arith':
        this.arith(e);
        return;
      case 'compare':
        this.compare(e);
        return;
      case 'logic':
        this.expr(e.left);
        this.open('if', BlockType.i32);
        if (e.op === 'and') {
          this.expr(e.right);
          f.else_().i32Const(0);
        } else {
          f.i32Const(1).else_();
          this.expr(e.right);
        }
        this.close();
        return;
      case 'cast':
        this.expr(e.value);
        cast(f, this.temps, e.value.type, e.type);
        return;
      case 'call': {
        const later = this.facts.collectsAfter(e.args);
        const slots = e.args.map((a, i) => this.exprRooted(a, later[i]));
        this.unit.callSymbol(f, e.symbol, e.args.map((a) => a.type), e.type);
        this.unrootAll(slots);
        return;
      }
      case 'builtin':
        this.builtin(e);
        return;
      case 'newStruct':
      case 'newTuple': {
        const values = e.kind === 'newStruct' ? e.fields : e.elems;
        const types = values.map((v) => v.type);
        const layout = recordLayout(types);
        // The fields are computed before the record is allocated, so the collector never sees a
        // record whose pointer fields are not written yet.
        const held = this.evaluateAll(values);
        const ptr = this.temps.take(ValType.i32);
        this.allocRecord(layout.size, recordShape(types, layout));
        f.localSet(ptr);
        values.forEach((v, i) => {
          const { w, local } = held[i];
          if (w === null) return;
          f.localGet(ptr).localGet(local);
          emitStore(f, v.type, layout.offsets[i]);
          this.temps.release(w, local);
        });
        this.unrootAll(held.map((h) => h.slot));
        f.localGet(ptr);
        this.temps.release(ValType.i32, ptr);
        return;
      }
      case 'getField': {
        const layout = this.layoutOf(e.objectType);
        this.expr(e.object);
        emitLoad(f, e.type, layout.offsets[e.field]);
        return;
      }
      case 'newArray': {
        const size = reprOf(e.elemType).size;
        // As for records, the elements are computed first: the collector never sees the array
        // with elements not written yet, and array_new need not clear them.
        const held = this.evaluateAll(e.elems);
        const arr = this.temps.take(ValType.i32);
        f.i32Const(size).i32Const(e.elems.length);
        f.i32Const(isHeapPointer(e.elemType) ? HeapShape.ArrayOfPointers : HeapShape.ArrayOfValues);
        this.pushSite();
        this.unit.callRuntime(f, 'array_new');
        f.localSet(arr);
        if (e.elems.length > 0) {
          const data = this.temps.take(ValType.i32);
          f.localGet(arr).i32Load(ARRAY_HEADER.data, 2).localSet(data);
          e.elems.forEach((v, i) => {
            const { w, local } = held[i];
            if (w === null) return;
            f.localGet(data).localGet(local);
            emitStore(f, e.elemType, i * size);
            this.temps.release(w, local);
          });
          this.temps.release(ValType.i32, data);
        }
        this.unrootAll(held.map((h) => h.slot));
        f.localGet(arr);
        this.temps.release(ValType.i32, arr);
        return;
      }
      case 'index': {
        this.elementAddress(e.array, e.index, reprOf(e.type).size);
        emitLoad(f, e.type, 0);
        return;
      }
      case 'simdNew': {
        const t = e.type;
        if (t.kind !== 'simd') throw new Error('internal: simdNew of a non-SIMD type');
        this.expr(e.lanes[0]);
        splat(f, t);
        e.lanes.slice(1).forEach((lane, i) => {
          this.expr(lane);
          replaceLane(f, t, i + 1);
        });
        return;
      }
      case 'simdLane': {
        const t = e.vector.type;
        if (t.kind !== 'simd') throw new Error('internal: lane of a non-SIMD type');
        this.expr(e.vector);
        extractLane(f, t, e.lane);
        return;
      }
      case 'interpolate':
        interpolate(this.context, e.parts);
        return;
      case 'ifExpr':
        this.expr(e.cond);
        this.open('if', this.blockTypeOf(e.type));
        this.block(e.then);
        f.else_();
        this.block(e.else);
        this.close();
        return;
    }
  }

  /**
   * Evaluates `values` in order into scratch locals (for a record or array literal, before it is
   * allocated); a pointer that a later value's evaluation may collect around is also rooted.
   */
  private evaluateAll(values: readonly IrExpr[]): Array<{ w: ValType | null; local: number; slot: number }> {
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

  /** Allocates a struct or tuple of `size` bytes whose pointers `shape` describes. */
  private allocRecord(size: number, shape: number): void {
    this.f.i32Const(size);
    if (shape !== HeapShape.Leaf) this.f.i32Const(shape);
    this.pushSite();
    this.unit.callRuntime(this.f, shape !== HeapShape.Leaf ? 'alloc_shaped' : 'alloc');
  }

  private layoutOf(t: Type) {
    return recordLayout(recordFields(t, this));
  }

  /** Lookup of struct field types; set by the unit (structs live outside the IR). */
  structFields: (name: string, args: readonly Type[]) => readonly Type[] = () => {
    throw new Error('internal: no struct table');
  };

  /** Pushes the address of element `index` of `array`, after a bounds check. */
  private elementAddress(array: IrExpr, index: IrExpr, size: number): void {
    const f = this.f;
    const arr = this.temps.take(ValType.i32);
    const idx = this.temps.take(ValType.i64);
    this.expr(array);
    f.localSet(arr);
    const slot = this.facts.mayCollect(index) ? this.rootLocal(arr) : -1;
    this.expr(index);
    toI64(f, index.type);
    f.localSet(idx);
    this.unrootAll([slot]);
    this.checkedElementAddress(arr, idx, size);
    this.temps.release(ValType.i64, idx);
    this.temps.release(ValType.i32, arr);
  }

  /** Pushes the address of element `idx` (an i64 local) of the array in local `arr`, after a bounds check. */
  private checkedElementAddress(arr: number, idx: number, size: number): void {
    const f = this.f;
    // An unsigned compare also rejects negative indices, which extend to huge values.
    f.localGet(idx).localGet(arr).i32Load(ARRAY_HEADER.len, 2).i64ExtendI32U().i64GeU();
    this.open('if');
    this.panicWithDetails(TrapKind.IndexOutOfBounds, () => {
      f.localGet(idx).localGet(arr).i32Load(ARRAY_HEADER.len, 2).i64ExtendI32U();
    });
    this.close();
    f.localGet(arr).i32Load(ARRAY_HEADER.data, 2).localGet(idx).i32WrapI64();
    if (size !== 1) f.i32Const(size).i32Mul();
    f.i32Add();
  }

  private unary(e: Extract<IrExpr, { kind: 'unary' }>): void {
    const f = this.f;
    const t = e.type;
    if (e.op === 'not') {
      this.expr(e.operand);
      f.i32Eqz();
      return;
    }
    if (t.kind === 'float') {
      this.expr(e.operand);
      t.bits === 64 ? f.f64Neg() : f.f32Neg();
      return;
    }
    if (t.kind === 'simd') {
      this.expr(e.operand);
      simdOp(f, t, 'neg');
      return;
    }
    if (wasmType(t) === ValType.i64) f.i64Const(0);
    else f.i32Const(0);
    this.expr(e.operand);
    wasmType(t) === ValType.i64 ? f.i64Sub() : f.i32Sub();
    emitNormalize(f, t);
  }

  private arith(e: Extract<IrExpr, { kind: 'arith' }>): void {
    const f = this.f;
    const t = e.type;
    if (t.kind === 'string') {
      const slot = this.exprRooted(e.left, this.facts.mayCollect(e.right));
      this.expr(e.right);
      this.pushSite();
      this.unit.callRuntime(f, 'text_concat');
      this.unrootAll([slot]);
      return;
    }
    if (t.kind === 'simd') {
      this.expr(e.left);
      this.expr(e.right);
      simdOp(f, t, e.op);
      return;
    }
    if (t.kind === 'float') {
      this.expr(e.left);
      this.expr(e.right);
      const is64 = t.bits === 64;
      switch (e.op) {
        case 'add':
          return void (is64 ? f.f64Add() : f.f32Add());
        case 'sub':
          return void (is64 ? f.f64Sub() : f.f32Sub());
        case 'mul':
          return void (is64 ? f.f64Mul() : f.f32Mul());
        case 'div':
          return void (is64 ? f.f64Div() : f.f32Div());
        case 'rem':
          if (!is64) {
            // fmod is exact, so computing it in f64 and rounding back loses nothing.
            const b = this.temps.take(ValType.f32);
            f.localSet(b).f64PromoteF32().localGet(b).f64PromoteF32();
            this.unit.callRuntime(f, 'f64_rem');
            f.f32DemoteF64();
            this.temps.release(ValType.f32, b);
          } else {
            this.unit.callRuntime(f, 'f64_rem');
          }
          return;
        default:
          throw new Error(`internal: float ${e.op}`);
      }
    }
    if (t.kind !== 'int') throw new Error(`internal: arithmetic on ${t.kind}`);
    const is64 = t.bits === 64;
    if (e.op === 'div' || e.op === 'rem') {
      division(this.context, e, t.signed, is64);
      emitNormalize(f, t);
      return;
    }
    this.expr(e.left);
    this.expr(e.right);
    // Shift amounts wrap at the type's width, as WebAssembly does for i32 and i64 (`x << 9` on
    // an i8 shifts by 1), so every integer type shifts alike.
    if ((e.op === 'shl' || e.op === 'shr') && t.bits < 32) f.i32Const(t.bits - 1).i32And();
    switch (e.op) {
      case 'add':
        is64 ? f.i64Add() : f.i32Add();
        break;
      case 'sub':
        is64 ? f.i64Sub() : f.i32Sub();
        break;
      case 'mul':
        is64 ? f.i64Mul() : f.i32Mul();
        break;
      case 'and':
        is64 ? f.i64And() : f.i32And();
        break;
      case 'or':
        is64 ? f.i64Or() : f.i32Or();
        break;
      case 'xor':
        is64 ? f.i64Xor() : f.i32Xor();
        break;
      case 'shl':
        is64 ? f.i64Shl() : f.i32Shl();
        break;
      case 'shr':
        if (is64) t.signed ? f.i64ShrS() : f.i64ShrU();
        else t.signed ? f.i32ShrS() : f.i32ShrU();
        break;
    }
    emitNormalize(f, t);
  }

  private compare(e: Extract<IrExpr, { kind: 'compare' }>): void {
    const f = this.f;
    const t = e.operandType;
    const slot = this.exprRooted(e.left, this.facts.mayCollect(e.right));
    this.expr(e.right);
    this.unrootAll([slot]);
    if (t.kind === 'string') {
      if (e.op === 'eq' || e.op === 'ne') {
        this.unit.callRuntime(f, 'text_eq');
        if (e.op === 'ne') f.i32Eqz();
        return;
      }
      this.unit.callRuntime(f, 'text_cmp');
      f.i32Const(0);
      ({ lt: () => f.i32LtS(), le: () => f.i32LeS(), gt: () => f.i32GtS(), ge: () => f.i32GeS() })[e.op]();
      return;
    }
    if (t.kind === 'float') {
      const ops64 = { eq: () => f.f64Eq(), ne: () => f.f64Ne(), lt: () => f.f64Lt(), le: () => f.f64Le(), gt: () => f.f64Gt(), ge: () => f.f64Ge() };
      const ops32 = { eq: () => f.f32Eq(), ne: () => f.f32Ne(), lt: () => f.f32Lt(), le: () => f.f32Le(), gt: () => f.f32Gt(), ge: () => f.f32Ge() };
      (t.bits === 64 ? ops64 : ops32)[e.op]();
      return;
    }
    const signed = t.kind === 'int' && t.signed;
    if (wasmType(t) === ValType.i64) {
      const ops = signed
        ? { eq: () => f.i64Eq(), ne: () => f.i64Ne(), lt: () => f.i64LtS(), le: () => f.i64LeS(), gt: () => f.i64GtS(), ge: () => f.i64GeS() }
        : { eq: () => f.i64Eq(), ne: () => f.i64Ne(), lt: () => f.i64LtU(), le: () => f.i64LeU(), gt: () => f.i64GtU(), ge: () => f.i64GeU() };
      ops[e.op]();
    } else {
      const ops = signed
        ? { eq: () => f.i32Eq(), ne: () => f.i32Ne(), lt: () => f.i32LtS(), le: () => f.i32LeS(), gt: () => f.i32GtS(), ge: () => f.i32GeS() }
        : { eq: () => f.i32Eq(), ne: () => f.i32Ne(), lt: () => f.i32LtU(), le: () => f.i32LeU(), gt: () => f.i32GtU(), ge: () => f.i32GeU() };
      ops[e.op]();
    }
  }

  private builtin(e: Extract<IrExpr, { kind: 'builtin' }>): void {
    const f = this.f;
    switch (e.name) {
      case 'print': {
        const arg = e.args[0];
        this.expr(arg);
        const t = arg.type;
        if (t.kind === 'string') this.unit.callRuntime(f, 'print_text');
        else if (t.kind === 'bool') this.unit.callRuntime(f, 'print_bool');
        else if (t.kind === 'float') this.unit.callRuntime(f, t.bits === 64 ? 'print_f64' : 'print_f32');
        else if (t.kind === 'int') {
          toI64(f, t);
          this.unit.callRuntime(f, t.bits === 64 && !t.signed ? 'print_u64' : 'print_i64');
        }
        return;
      }
      case 'assert':
        this.expr(e.args[0]);
        f.i32Eqz();
        this.open('if');
        this.panic(TrapKind.AssertFailed);
        this.close();
        return;
      case 'array.len':
        this.expr(e.args[0]);
        f.i32Load(ARRAY_HEADER.len, 2).i64ExtendI32U();
        return;
      case 'text.len':
        this.expr(e.args[0]);
        f.i32Load(0, 2).i64ExtendI32U();
        return;
      case 'array.push': {
        const [arr, value] = e.args;
        const size = reprOf(value.type).size;
        const v = wasmType(value.type);
        const a = this.temps.take(ValType.i32);
        this.expr(arr);
        f.localSet(a);
        const slot = this.facts.mayCollect(value) ? this.rootLocal(a) : -1;
        let tmp = -1;
        if (v !== null) {
          tmp = this.temps.take(v);
          this.expr(value);
          f.localSet(tmp);
        } else {
          this.expr(value);
        }
        this.unrootAll([slot]);
        f.localGet(a).i32Const(size);
        this.pushSite();
        this.unit.callRuntime(f, 'array_push_slot');
        if (v !== null) {
          f.localGet(tmp);
          emitStore(f, value.type, 0);
          this.temps.release(v, tmp);
        } else {
          f.drop();
        }
        this.temps.release(ValType.i32, a);
        return;
      }
      case 'array.pop':
        this.expr(e.args[0]);
        f.i32Const(Math.max(reprOf(e.type).size, 0));
        this.pushSite();
        this.unit.callRuntime(f, 'array_pop_slot');
        emitLoad(f, e.type, 0);
        return;
      case 'simd.splat': {
        const t = e.type;
        if (t.kind !== 'simd') throw new Error('internal: splat of a non-SIMD type');
        this.expr(e.args[0]);
        splat(f, t);
        return;
      }
      case 'simd.sum': {
        const t = e.args[0].type;
        if (t.kind !== 'simd') throw new Error('internal: sum of a non-SIMD type');
        const vec = this.temps.take(ValType.v128);
        this.expr(e.args[0]);
        f.localSet(vec);
        for (let i = 0; i < t.lanes; i++) {
          f.localGet(vec);
          extractLane(f, t, i);
          if (i > 0) scalarAdd(f, t.elem);
        }
        this.temps.release(ValType.v128, vec);
        return;
      }
    }
  }

}

/** The field types of a struct or tuple type, in declaration order. */
function recordFields(t: Type, lowering: FunctionLowering): readonly Type[] {
  if (t.kind === 'tuple') return t.elems;
  if (t.kind === 'named') return lowering.structFields(t.name, t.args);
  throw new Error(`internal: ${t.kind} has no fields`);
}

function fieldType(t: Type, index: number, lowering: FunctionLowering): Type {
  return recordFields(t, lowering)[index];
}
