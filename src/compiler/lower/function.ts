/**
 * Lowering of one IR function to a WebAssembly function body.
 *
 * Every type is concrete here, so instruction selection is a switch on the operand type. Calls
 * whose target index is not known yet (runtime imports, functions of this unit) are emitted
 * with padded LEB immediates and patched by the unit once the index spaces are final — the
 * relocation scheme of WebAssembly object files.
 */
import { BlockType, FunctionBuilder, ValType } from '../wasm/index.js';
import { LineMarks } from './line-table.js';
import type { IrBlockExpr, IrExpr, IrFunction, IrStmt } from '../ir.js';
import { ARRAY_HEADER, isHeapPointer, recordLayout, reprOf } from '../layout.js';
import { TrapKind } from '../runtime-abi.js';
import type { RuntimeFunctionName } from '../runtime-abi.js';
import type { Type } from '../../types/index.js';
import { builtin } from './builtins.js';
import { cast, toI64 } from './casts.js';
import type { ExprContext } from './expr-context.js';
import { arith, compare, unary } from './operators.js';
import { arrayLiteral, recordLiteral } from './literals.js';
import { Rooting } from './rooting.js';
import { extractLane, replaceLane, splat } from './simd.js';
import { TempLocals } from './temps.js';
import { interpolate } from './text.js';
import { emitIntConst, emitLoad, emitNormalize, emitStore, wasmType } from './values.js';

/** What a function body needs from the unit it is lowered into. */
export interface UnitServices {
  /** Emits a call to a runtime function (patched later). */
  callRuntime(f: FunctionBuilder, name: RuntimeFunctionName): void;
  /** Emits a call to `symbol` with the given signature: direct when defined in this unit, else through its table slot. */
  callSymbol(f: FunctionBuilder, symbol: string, params: readonly Type[], ret: Type): void;
  /** Pushes the address of a text object holding `s` in the unit's static data. */
  pushText(f: FunctionBuilder, s: string): void;
  /** Whether a call to `symbol` may reach a safepoint (gc-facts.ts `collectingFunctions`); unknown: it may. */
  callCollects?(symbol: string): boolean;
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
  private readonly context: ExprContext;
  private readonly siteName: string;
  /** Shadow-stack slots, spills and safepoints (docs/memory.md). */
  private readonly gc: Rooting;
  /** The block every `return` branches to when there is a frame to pop on the way out. */
  private exitDepth = -1;
  /** Where each statement's code starts, for the unit's line table (line-table.ts). */
  readonly lines: LineMarks;

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
    this.lines = new LineMarks(fn);
    this.temps = new TempLocals(this.f);
    this.gc = new Rooting(fn, this.f, this.temps, (e) => this.expr(e), (name) => this.unit.callRuntime(this.f, name), unit.callCollects && ((s) => unit.callCollects!(s)));
    this.context = {
      f: this.f,
      temps: this.temps,
      expr: (e) => this.expr(e),
      open: (kind, bt) => this.open(kind, bt),
      close: () => this.close(),
      panic: (kind) => this.panic(kind),
      pushSite: () => this.pushSite(),
      callRuntime: (name) => this.unit.callRuntime(this.f, name),
      mayCollect: (e) => this.gc.facts.mayCollect(e),
      rootLocal: (local) => this.gc.rootLocal(local),
      unroot: (slot) => this.gc.unroot(slot),
      gc: this.gc,
    };
  }

  static signature(fn: IrFunction): { params: ValType[]; results: ValType[] } {
    const params = fn.params.map((p) => wasmType(p.type)).filter((v): v is ValType => v !== null);
    const r = wasmType(fn.ret);
    return { params, results: r === null ? [] : [r] };
  }

  lower(): FunctionBuilder {
    const frame = this.gc.frame;
    this.gc.prologue(this.localIndex, () => this.panic(TrapKind.StackOverflow));
    if (this.gc.facts.allocatesStmts(this.fn.body)) this.gc.safepoint();
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
    this.lines.mark(s, this.f.code.len);
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
        const type = fieldType(s.objectType, s.field, this);
        const obj = this.temps.take(ValType.i32);
        this.expr(s.object);
        f.localTee(obj);
        const slot = this.gc.facts.mayCollect(s.value) ? this.gc.rootLocal(obj) : -1;
        this.expr(s.value);
        emitStore(f, type, layout.offsets[s.field]);
        this.gc.unrootAll([slot]);
        if (isHeapPointer(type)) this.gc.writeBarrier(obj);
        this.temps.release(ValType.i32, obj);
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
        const slot = this.gc.facts.mayCollect(s.index) || this.gc.facts.mayCollect(s.value) ? this.gc.rootLocal(arr) : -1;
        this.expr(s.index);
        toI64(f, s.index.type);
        f.localSet(idx);
        this.expr(s.value);
        if (v !== null) f.localSet(value);
        this.gc.unrootAll([slot]);
        this.checkedElementAddress(arr, idx, elemSize);
        if (v !== null) {
          f.localGet(value);
          emitStore(f, s.elemType, 0);
          if (isHeapPointer(s.elemType)) this.gc.writeBarrier(arr);
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
        if (this.gc.facts.allocatesStmts(s.body) || this.gc.facts.allocates(s.cond)) this.gc.safepoint();
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
        if (this.gc.frame) this.br(this.exitDepth);
        else f.return_();
        return;
    }
  }

  private setLocal(id: number, t: Type): void {
    const index = this.localIndex[id];
    if (index >= 0) {
      this.f.localSet(index);
      this.gc.assigned(id, index);
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
    if (this.gc.facts.allocatesStmts(s.body)) this.gc.safepoint();
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
    const allocates = this.gc.facts.allocatesStmts(s.body);
    // The array is held across the body, and across the header's safepoint.
    const slot = allocates || this.gc.facts.mayCollectStmts(s.body) ? this.gc.rootLocal(arr) : -1;
    f.i32Const(0).localSet(idx);
    const exit = this.open('block');
    const top = this.open('loop');
    if (allocates) this.gc.safepoint();
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
    this.gc.unrootAll([slot]);
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
        unary(this.context, e);
        return;
      case 'arith':
        arith(this.context, e);
        return;
      case 'compare':
        compare(this.context, e);
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
        const later = this.gc.facts.collectsAfter(e.args);
        const slots = e.args.map((a, i) => this.gc.exprRooted(a, later[i]));
        this.unit.callSymbol(f, e.symbol, e.args.map((a) => a.type), e.type);
        this.gc.unrootAll(slots);
        return;
      }
      case 'builtin':
        builtin(this.context, e);
        return;
      case 'newStruct':
        recordLiteral(this.context, e.fields);
        return;
      case 'newTuple':
        recordLiteral(this.context, e.elems);
        return;
      case 'getField': {
        const layout = this.layoutOf(e.objectType);
        this.expr(e.object);
        emitLoad(f, e.type, layout.offsets[e.field]);
        return;
      }
      case 'newArray':
        arrayLiteral(this.context, e.elemType, e.elems);
        return;
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
    const slot = this.gc.facts.mayCollect(index) ? this.gc.rootLocal(arr) : -1;
    this.expr(index);
    toI64(f, index.type);
    f.localSet(idx);
    this.gc.unrootAll([slot]);
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
