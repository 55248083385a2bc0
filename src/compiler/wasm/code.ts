/**
 * Function bodies: a typed instruction emitter that appends straight into a reusable byte buffer.
 *
 * One method per instruction, named after the text-format mnemonic in camelCase (`i32.trunc_sat_f64_s`
 * → `i32TruncSatF64S`, `v128.load8_splat` → `v128Load8Splat`); the JS keywords take a trailing
 * underscore (`if_`, `else_`, `return_`). The SIMD instructions without immediates are the
 * exception: `simd(SimdOp.f32x4Add)`, with constants from simd-ops.ts. Every method returns `this` for
 * chaining. Nothing checks operand types: `WebAssembly.validate` does that precisely, and
 * checking here would tax the load-time hot path this exists for (see bytes.ts).
 */
import { ByteWriter, u32lebSize } from './bytes.js';
import { WasmEncodeError } from './errors.js';
import { writePaddedS32, writePaddedU32 } from './padded-leb.js';
import { BlockType } from './types.js';
import type { RefType, ValType } from './types.js';

const v128Scratch = new DataView(new ArrayBuffer(16));

export class FunctionBuilder {
  /** Instruction bytes so far, without the locals declaration and without the function's `end`. */
  readonly code: ByteWriter;
  /** Index in the module's function space, set by `ModuleBuilder.addFunction`; -1 if standalone. */
  index = -1;
  /** Index of the function's type, set by `ModuleBuilder.addFunction`; -1 if standalone. */
  typeIndex = -1;
  /**
   * Set when the body refers to data segments by index (`memory.init`, `data.drop`); the module
   * must then carry a DataCount section, and emitting it only when needed matches other tools.
   */
  usesDataIndex = false;

  private paramCount: number;
  private declaredLocals = 0;
  // Local declarations, run-length compressed as they are added. Kept as parallel arrays with an
  // explicit length so `reset()` reuses them.
  private readonly groupTypes: ValType[] = [];
  private readonly groupCounts: number[] = [];
  private groupLen = 0;
  // Open block/loop/if count; -1 once the caller has written the function's own final `end`.
  private depth = 0;
  private names: (string | undefined)[] | undefined;

  /** `params` is the parameter list or just its length; parameters are locals 0..n-1. */
  constructor(params: number | readonly ValType[] = 0, initialCapacity = 64) {
    this.code = new ByteWriter(initialCapacity);
    this.paramCount = typeof params === 'number' ? params : params.length;
  }

  /** Start a new, empty body, keeping the allocated buffers. */
  reset(params: number | readonly ValType[] = 0): this {
    this.code.reset();
    this.paramCount = typeof params === 'number' ? params : params.length;
    this.declaredLocals = 0;
    this.groupLen = 0;
    this.depth = 0;
    this.usesDataIndex = false;
    this.names = undefined;
    this.index = -1;
    this.typeIndex = -1;
    return this;
  }

  /** Parameters plus declared locals: the next `addLocal` gets this index. */
  get localCount(): number {
    return this.paramCount + this.declaredLocals;
  }

  /** Declare one local and return its index. `name` goes to the name section. */
  addLocal(type: ValType, name?: string): number {
    const index = this.addLocals(type, 1);
    if (name !== undefined) this.setLocalName(index, name);
    return index;
  }

  /** Declare `count` locals of one type and return the index of the first. */
  addLocals(type: ValType, count: number): number {
    const first = this.paramCount + this.declaredLocals;
    const g = this.groupLen;
    if (g > 0 && this.groupTypes[g - 1] === type) {
      this.groupCounts[g - 1] += count;
    } else {
      this.groupTypes[g] = type;
      this.groupCounts[g] = count;
      this.groupLen = g + 1;
    }
    this.declaredLocals += count;
    return first;
  }

  /** Name a parameter or local for the name section. */
  setLocalName(index: number, name: string): this {
    (this.names ??= [])[index] = name;
    return this;
  }

  /** Local names by index (sparse); undefined if none were given. */
  get localNames(): readonly (string | undefined)[] | undefined {
    return this.names;
  }

  /** Size in bytes of the encoded body: locals declaration, instructions and the final `end`. */
  bodySize(): number {
    this.checkBalanced();
    let n = u32lebSize(this.groupLen);
    for (let i = 0; i < this.groupLen; i++) n += u32lebSize(this.groupCounts[i]) + 1;
    return n + this.code.len + (this.depth === 0 ? 1 : 0);
  }

  /**
   * Append the encoded body (without its size prefix) to `w`. The function's final `end` is
   * written here unless the caller already wrote it, so either style works.
   */
  writeBody(w: ByteWriter): void {
    this.checkBalanced();
    w.u32leb(this.groupLen);
    for (let i = 0; i < this.groupLen; i++) w.u32leb(this.groupCounts[i]).u8(this.groupTypes[i]);
    w.append(this.code);
    if (this.depth === 0) w.u8(0x0b);
  }

  /** The encoded body as a standalone array, e.g. to cache and pass to `addRawFunction`. */
  finishBody(): Uint8Array<ArrayBuffer> {
    const w = new ByteWriter(this.bodySize());
    this.writeBody(w);
    return w.finish();
  }

  private checkBalanced(): void {
    if (this.depth > 0) {
      throw new WasmEncodeError('WASM_UNBALANCED_BLOCKS', `function body has ${this.depth} unclosed block(s)`);
    }
  }

  // --- emitting primitives ---

  /** Append raw bytes, for anything this class lacks. */
  raw(bytes: ArrayLike<number>): this {
    this.code.bytes(bytes);
    return this;
  }

  private op(b: number): this {
    this.code.u8(b);
    return this;
  }

  private opU32(b: number, imm: number): this {
    this.code.u8(b).u32leb(imm);
    return this;
  }

  private mem(b: number, align: number, offset: number): this {
    this.code.u8(b).u32leb(align).u32leb(offset);
    return this;
  }

  private fc(sub: number): this {
    this.code.u8(0xfc).u32leb(sub);
    return this;
  }

  /** A SIMD instruction (0xFD prefix) without immediates: `simd(SimdOp.f32x4Add)`, `SimdOp` being simd-ops.ts. */
  simd(op: number): this {
    this.code.u8(0xfd).u32leb(op);
    return this;
  }

  private simdMem(sub: number, align: number, offset: number): this {
    this.code.u8(0xfd).u32leb(sub).u32leb(align).u32leb(offset);
    return this;
  }

  private lane(i: number): this {
    if ((i & 0xff) !== i) throw new WasmEncodeError('WASM_RANGE', `bad lane index: ${i}`);
    this.code.u8(i);
    return this;
  }

  private blockType(bt: BlockType): this {
    // Empty and single-value block types are one byte; only type indices need the s33 LEB.
    if (bt < 0) this.code.u8(bt & 0x7f);
    else this.code.s32leb(bt);
    return this;
  }

  // --- relocatable immediates ---
  //
  // Indices that are not known yet (imports discovered later, or remapped by the linker) are
  // written as 5-byte padded LEBs and filled in afterwards: the relocation scheme of
  // WebAssembly object files. Each method returns the immediate's offset in the code.

  /** Bytes of instructions emitted so far (without the local declarations). */
  get codeLength(): number {
    return this.code.len;
  }

  private padded(): number {
    const offset = this.code.len;
    this.code.bytes([0x80, 0x80, 0x80, 0x80, 0x00]);
    return offset;
  }

  /** `call` with a function index to patch. */
  callPatchable(): number {
    this.code.u8(0x10);
    return this.padded();
  }

  /** `call_indirect` with a type index to patch. */
  callIndirectPatchable(tableIndex = 0): number {
    this.code.u8(0x11);
    const offset = this.padded();
    this.code.u32leb(tableIndex);
    return offset;
  }

  /** `global.get` with a global index to patch. */
  globalGetPatchable(): number {
    this.code.u8(0x23);
    return this.padded();
  }

  /** `i32.const` with a value to patch (a data address). */
  i32ConstPatchable(): number {
    this.code.u8(0x41);
    return this.padded();
  }

  /** Writes an unsigned value into a padded immediate. */
  patchU32(offset: number, value: number): this {
    this.checkPatch(offset, value >>> 0 === value, value);
    writePaddedU32(this.code.buf, offset, value);
    return this;
  }

  /** Writes a signed 32-bit value into a padded immediate (`i32.const`). */
  patchS32(offset: number, value: number): this {
    this.checkPatch(offset, (value | 0) === value, value);
    writePaddedS32(this.code.buf, offset, value);
    return this;
  }

  /** Alias of patchU32 for call sites. */
  patchCall(offset: number, func: number): this {
    return this.patchU32(offset, func);
  }

  private checkPatch(offset: number, ok: boolean, value: number): void {
    if (!ok || offset < 0 || offset + 5 > this.code.len) {
      throw new WasmEncodeError('WASM_RANGE', `bad patch: value ${value} at offset ${offset}`);
    }
  }

  // --- control ---

  unreachable(): this { return this.op(0x00); }
  nop(): this { return this.op(0x01); }
  block(bt: BlockType = BlockType.empty): this { this.depth++; return this.op(0x02).blockType(bt); }
  loop(bt: BlockType = BlockType.empty): this { this.depth++; return this.op(0x03).blockType(bt); }
  if_(bt: BlockType = BlockType.empty): this { this.depth++; return this.op(0x04).blockType(bt); }
  else_(): this { return this.op(0x05); }
  /** Closes the innermost block; with none open it closes the function body itself. */
  end(): this {
    if (this.depth > 0) this.depth--;
    else if (this.depth === 0) this.depth = -1;
    else throw new WasmEncodeError('WASM_UNBALANCED_BLOCKS', '`end` after the function body was closed');
    return this.op(0x0b);
  }
  br(label: number): this { return this.opU32(0x0c, label); }
  brIf(label: number): this { return this.opU32(0x0d, label); }
  brTable(labels: readonly number[], defaultLabel: number): this {
    const w = this.code;
    w.u8(0x0e).u32leb(labels.length);
    for (let i = 0; i < labels.length; i++) w.u32leb(labels[i]);
    w.u32leb(defaultLabel);
    return this;
  }
  return_(): this { return this.op(0x0f); }
  call(func: number): this { return this.opU32(0x10, func); }
  callIndirect(typeIndex: number, tableIndex = 0): this { this.code.u8(0x11).u32leb(typeIndex).u32leb(tableIndex); return this; }
  returnCall(func: number): this { return this.opU32(0x12, func); }
  returnCallIndirect(typeIndex: number, tableIndex = 0): this { this.code.u8(0x13).u32leb(typeIndex).u32leb(tableIndex); return this; }

  // --- parametric ---

  drop(): this { return this.op(0x1a); }
  /** Untyped `select` works for numbers and v128; references need the typed form, so pass `type`. */
  select(type?: ValType): this {
    if (type === undefined) return this.op(0x1b);
    this.code.u8(0x1c).u8(1).u8(type);
    return this;
  }

  // --- variables ---

  localGet(index: number): this { return this.opU32(0x20, index); }
  localSet(index: number): this { return this.opU32(0x21, index); }
  localTee(index: number): this { return this.opU32(0x22, index); }
  globalGet(index: number): this { return this.opU32(0x23, index); }
  globalSet(index: number): this { return this.opU32(0x24, index); }

  // --- tables (reference types) ---

  tableGet(table = 0): this { return this.opU32(0x25, table); }
  tableSet(table = 0): this { return this.opU32(0x26, table); }
  tableInit(elemIndex: number, table = 0): this { this.fc(12).code.u32leb(elemIndex).u32leb(table); return this; }
  elemDrop(elemIndex: number): this { this.fc(13).code.u32leb(elemIndex); return this; }
  tableCopy(dstTable = 0, srcTable = 0): this { this.fc(14).code.u32leb(dstTable).u32leb(srcTable); return this; }
  tableGrow(table = 0): this { this.fc(15).code.u32leb(table); return this; }
  tableSize(table = 0): this { this.fc(16).code.u32leb(table); return this; }
  tableFill(table = 0): this { this.fc(17).code.u32leb(table); return this; }

  // --- references ---

  refNull(type: RefType): this { this.code.u8(0xd0).u8(type); return this; }
  refIsNull(): this { return this.op(0xd1); }
  /** The target must be declared elsewhere in the module (e.g. `addDeclarativeElements`) to validate. */
  refFunc(func: number): this { return this.opU32(0xd2, func); }

  // --- memory size and bulk memory ---

  memorySize(): this { this.code.u8(0x3f).u8(0); return this; }
  memoryGrow(): this { this.code.u8(0x40).u8(0); return this; }
  memoryInit(dataIndex: number): this { this.usesDataIndex = true; this.fc(8).code.u32leb(dataIndex).u8(0); return this; }
  dataDrop(dataIndex: number): this { this.usesDataIndex = true; this.fc(9).code.u32leb(dataIndex); return this; }
  memoryCopy(): this { this.fc(10).code.u8(0).u8(0); return this; }
  memoryFill(): this { this.fc(11).code.u8(0); return this; }

  // --- constants ---

  /** Accepts [-2^31, 2^32): values of 2^31 and above are the unsigned spelling of a negative i32. */
  i32Const(n: number): this {
    if ((n | 0) !== n) {
      if (n >>> 0 !== n) throw new WasmEncodeError('WASM_RANGE', `not an i32: ${n}`);
      n |= 0;
    }
    this.code.u8(0x41).s32leb(n);
    return this;
  }
  /** Accepts a safe-integer number or a bigint in [-2^63, 2^64). */
  i64Const(n: bigint | number): this { this.code.u8(0x42).s64leb(n); return this; }
  f32Const(x: number): this { this.code.u8(0x43).f32(x); return this; }
  f64Const(x: number): this { this.code.u8(0x44).f64(x); return this; }
  /** An f32 constant from its bit pattern, for NaN payloads a JS number cannot carry. */
  f32ConstBits(bits: number): this { this.code.u8(0x43).u32le(bits); return this; }
  /** An f64 constant from its bit pattern, for NaN payloads a JS number cannot carry. */
  f64ConstBits(bits: bigint): this { this.code.u8(0x44).u64le(bits); return this; }
  /** `bytes` is the 16-byte little-endian image of the vector. */
  v128Const(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new WasmEncodeError('WASM_RANGE', `v128.const needs 16 bytes, got ${bytes.length}`);
    this.simd(12).code.bytes(bytes);
    return this;
  }
  v128ConstI32x4(a: number, b: number, c: number, d: number): this {
    const v = v128Scratch;
    v.setInt32(0, a, true); v.setInt32(4, b, true); v.setInt32(8, c, true); v.setInt32(12, d, true);
    return this.v128Scratch();
  }
  v128ConstI64x2(a: bigint, b: bigint): this {
    v128Scratch.setBigUint64(0, BigInt.asUintN(64, a), true);
    v128Scratch.setBigUint64(8, BigInt.asUintN(64, b), true);
    return this.v128Scratch();
  }
  v128ConstF32x4(a: number, b: number, c: number, d: number): this {
    const v = v128Scratch;
    v.setFloat32(0, a, true); v.setFloat32(4, b, true); v.setFloat32(8, c, true); v.setFloat32(12, d, true);
    return this.v128Scratch();
  }
  v128ConstF64x2(a: number, b: number): this {
    v128Scratch.setFloat64(0, a, true);
    v128Scratch.setFloat64(8, b, true);
    return this.v128Scratch();
  }
  private v128Scratch(): this {
    this.simd(12);
    const w = this.code;
    w.reserve(16);
    for (let i = 0; i < 16; i++) w.buf[w.len++] = v128Scratch.getUint8(i);
    return this;
  }
  /** Each of the 16 lane indices selects a byte of the two operands (0..31). */
  i8x16Shuffle(lanes: ArrayLike<number>): this {
    if (lanes.length !== 16) throw new WasmEncodeError('WASM_RANGE', `i8x16.shuffle needs 16 lanes, got ${lanes.length}`);
    this.simd(13);
    for (let i = 0; i < 16; i++) this.lane(lanes[i]);
    return this;
  }

  // --- memory access: `offset` in bytes, `align` as log2 of the byte alignment (natural by default) ---
  i32Load(offset = 0, align = 2): this { return this.mem(0x28, align, offset); }
  i64Load(offset = 0, align = 3): this { return this.mem(0x29, align, offset); }
  f32Load(offset = 0, align = 2): this { return this.mem(0x2a, align, offset); }
  f64Load(offset = 0, align = 3): this { return this.mem(0x2b, align, offset); }
  i32Load8S(offset = 0, align = 0): this { return this.mem(0x2c, align, offset); }
  i32Load8U(offset = 0, align = 0): this { return this.mem(0x2d, align, offset); }
  i32Load16S(offset = 0, align = 1): this { return this.mem(0x2e, align, offset); }
  i32Load16U(offset = 0, align = 1): this { return this.mem(0x2f, align, offset); }
  i64Load8S(offset = 0, align = 0): this { return this.mem(0x30, align, offset); }
  i64Load8U(offset = 0, align = 0): this { return this.mem(0x31, align, offset); }
  i64Load16S(offset = 0, align = 1): this { return this.mem(0x32, align, offset); }
  i64Load16U(offset = 0, align = 1): this { return this.mem(0x33, align, offset); }
  i64Load32S(offset = 0, align = 2): this { return this.mem(0x34, align, offset); }
  i64Load32U(offset = 0, align = 2): this { return this.mem(0x35, align, offset); }
  i32Store(offset = 0, align = 2): this { return this.mem(0x36, align, offset); }
  i64Store(offset = 0, align = 3): this { return this.mem(0x37, align, offset); }
  f32Store(offset = 0, align = 2): this { return this.mem(0x38, align, offset); }
  f64Store(offset = 0, align = 3): this { return this.mem(0x39, align, offset); }
  i32Store8(offset = 0, align = 0): this { return this.mem(0x3a, align, offset); }
  i32Store16(offset = 0, align = 1): this { return this.mem(0x3b, align, offset); }
  i64Store8(offset = 0, align = 0): this { return this.mem(0x3c, align, offset); }
  i64Store16(offset = 0, align = 1): this { return this.mem(0x3d, align, offset); }
  i64Store32(offset = 0, align = 2): this { return this.mem(0x3e, align, offset); }
  // --- SIMD memory access ---
  v128Load(offset = 0, align = 4): this { return this.simdMem(0, align, offset); }
  v128Load8x8S(offset = 0, align = 3): this { return this.simdMem(1, align, offset); }
  v128Load8x8U(offset = 0, align = 3): this { return this.simdMem(2, align, offset); }
  v128Load16x4S(offset = 0, align = 3): this { return this.simdMem(3, align, offset); }
  v128Load16x4U(offset = 0, align = 3): this { return this.simdMem(4, align, offset); }
  v128Load32x2S(offset = 0, align = 3): this { return this.simdMem(5, align, offset); }
  v128Load32x2U(offset = 0, align = 3): this { return this.simdMem(6, align, offset); }
  v128Load8Splat(offset = 0, align = 0): this { return this.simdMem(7, align, offset); }
  v128Load16Splat(offset = 0, align = 1): this { return this.simdMem(8, align, offset); }
  v128Load32Splat(offset = 0, align = 2): this { return this.simdMem(9, align, offset); }
  v128Load64Splat(offset = 0, align = 3): this { return this.simdMem(10, align, offset); }
  v128Store(offset = 0, align = 4): this { return this.simdMem(11, align, offset); }
  v128Load32Zero(offset = 0, align = 2): this { return this.simdMem(92, align, offset); }
  v128Load64Zero(offset = 0, align = 3): this { return this.simdMem(93, align, offset); }
  v128Load8Lane(lane: number, offset = 0, align = 0): this { return this.simdMem(84, align, offset).lane(lane); }
  v128Load16Lane(lane: number, offset = 0, align = 1): this { return this.simdMem(85, align, offset).lane(lane); }
  v128Load32Lane(lane: number, offset = 0, align = 2): this { return this.simdMem(86, align, offset).lane(lane); }
  v128Load64Lane(lane: number, offset = 0, align = 3): this { return this.simdMem(87, align, offset).lane(lane); }
  v128Store8Lane(lane: number, offset = 0, align = 0): this { return this.simdMem(88, align, offset).lane(lane); }
  v128Store16Lane(lane: number, offset = 0, align = 1): this { return this.simdMem(89, align, offset).lane(lane); }
  v128Store32Lane(lane: number, offset = 0, align = 2): this { return this.simdMem(90, align, offset).lane(lane); }
  v128Store64Lane(lane: number, offset = 0, align = 3): this { return this.simdMem(91, align, offset).lane(lane); }
  // --- SIMD lanes ---
  i8x16ExtractLaneS(lane: number): this { return this.simd(21).lane(lane); }
  i8x16ExtractLaneU(lane: number): this { return this.simd(22).lane(lane); }
  i8x16ReplaceLane(lane: number): this { return this.simd(23).lane(lane); }
  i16x8ExtractLaneS(lane: number): this { return this.simd(24).lane(lane); }
  i16x8ExtractLaneU(lane: number): this { return this.simd(25).lane(lane); }
  i16x8ReplaceLane(lane: number): this { return this.simd(26).lane(lane); }
  i32x4ExtractLane(lane: number): this { return this.simd(27).lane(lane); }
  i32x4ReplaceLane(lane: number): this { return this.simd(28).lane(lane); }
  i64x2ExtractLane(lane: number): this { return this.simd(29).lane(lane); }
  i64x2ReplaceLane(lane: number): this { return this.simd(30).lane(lane); }
  f32x4ExtractLane(lane: number): this { return this.simd(31).lane(lane); }
  f32x4ReplaceLane(lane: number): this { return this.simd(32).lane(lane); }
  f64x2ExtractLane(lane: number): this { return this.simd(33).lane(lane); }
  f64x2ReplaceLane(lane: number): this { return this.simd(34).lane(lane); }

  // --- numeric: no immediates ---
  i32Eqz(): this { return this.op(0x45); }
  i32Eq(): this { return this.op(0x46); }
  i32Ne(): this { return this.op(0x47); }
  i32LtS(): this { return this.op(0x48); }
  i32LtU(): this { return this.op(0x49); }
  i32GtS(): this { return this.op(0x4a); }
  i32GtU(): this { return this.op(0x4b); }
  i32LeS(): this { return this.op(0x4c); }
  i32LeU(): this { return this.op(0x4d); }
  i32GeS(): this { return this.op(0x4e); }
  i32GeU(): this { return this.op(0x4f); }
  i64Eqz(): this { return this.op(0x50); }
  i64Eq(): this { return this.op(0x51); }
  i64Ne(): this { return this.op(0x52); }
  i64LtS(): this { return this.op(0x53); }
  i64LtU(): this { return this.op(0x54); }
  i64GtS(): this { return this.op(0x55); }
  i64GtU(): this { return this.op(0x56); }
  i64LeS(): this { return this.op(0x57); }
  i64LeU(): this { return this.op(0x58); }
  i64GeS(): this { return this.op(0x59); }
  i64GeU(): this { return this.op(0x5a); }
  f32Eq(): this { return this.op(0x5b); }
  f32Ne(): this { return this.op(0x5c); }
  f32Lt(): this { return this.op(0x5d); }
  f32Gt(): this { return this.op(0x5e); }
  f32Le(): this { return this.op(0x5f); }
  f32Ge(): this { return this.op(0x60); }
  f64Eq(): this { return this.op(0x61); }
  f64Ne(): this { return this.op(0x62); }
  f64Lt(): this { return this.op(0x63); }
  f64Gt(): this { return this.op(0x64); }
  f64Le(): this { return this.op(0x65); }
  f64Ge(): this { return this.op(0x66); }
  i32Clz(): this { return this.op(0x67); }
  i32Ctz(): this { return this.op(0x68); }
  i32Popcnt(): this { return this.op(0x69); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32DivS(): this { return this.op(0x6d); }
  i32DivU(): this { return this.op(0x6e); }
  i32RemS(): this { return this.op(0x6f); }
  i32RemU(): this { return this.op(0x70); }
  i32And(): this { return this.op(0x71); }
  i32Or(): this { return this.op(0x72); }
  i32Xor(): this { return this.op(0x73); }
  i32Shl(): this { return this.op(0x74); }
  i32ShrS(): this { return this.op(0x75); }
  i32ShrU(): this { return this.op(0x76); }
  i32Rotl(): this { return this.op(0x77); }
  i32Rotr(): this { return this.op(0x78); }
  i64Clz(): this { return this.op(0x79); }
  i64Ctz(): this { return this.op(0x7a); }
  i64Popcnt(): this { return this.op(0x7b); }
  i64Add(): this { return this.op(0x7c); }
  i64Sub(): this { return this.op(0x7d); }
  i64Mul(): this { return this.op(0x7e); }
  i64DivS(): this { return this.op(0x7f); }
  i64DivU(): this { return this.op(0x80); }
  i64RemS(): this { return this.op(0x81); }
  i64RemU(): this { return this.op(0x82); }
  i64And(): this { return this.op(0x83); }
  i64Or(): this { return this.op(0x84); }
  i64Xor(): this { return this.op(0x85); }
  i64Shl(): this { return this.op(0x86); }
  i64ShrS(): this { return this.op(0x87); }
  i64ShrU(): this { return this.op(0x88); }
  i64Rotl(): this { return this.op(0x89); }
  i64Rotr(): this { return this.op(0x8a); }
  f32Abs(): this { return this.op(0x8b); }
  f32Neg(): this { return this.op(0x8c); }
  f32Ceil(): this { return this.op(0x8d); }
  f32Floor(): this { return this.op(0x8e); }
  f32Trunc(): this { return this.op(0x8f); }
  f32Nearest(): this { return this.op(0x90); }
  f32Sqrt(): this { return this.op(0x91); }
  f32Add(): this { return this.op(0x92); }
  f32Sub(): this { return this.op(0x93); }
  f32Mul(): this { return this.op(0x94); }
  f32Div(): this { return this.op(0x95); }
  f32Min(): this { return this.op(0x96); }
  f32Max(): this { return this.op(0x97); }
  f32Copysign(): this { return this.op(0x98); }
  f64Abs(): this { return this.op(0x99); }
  f64Neg(): this { return this.op(0x9a); }
  f64Ceil(): this { return this.op(0x9b); }
  f64Floor(): this { return this.op(0x9c); }
  f64Trunc(): this { return this.op(0x9d); }
  f64Nearest(): this { return this.op(0x9e); }
  f64Sqrt(): this { return this.op(0x9f); }
  f64Add(): this { return this.op(0xa0); }
  f64Sub(): this { return this.op(0xa1); }
  f64Mul(): this { return this.op(0xa2); }
  f64Div(): this { return this.op(0xa3); }
  f64Min(): this { return this.op(0xa4); }
  f64Max(): this { return this.op(0xa5); }
  f64Copysign(): this { return this.op(0xa6); }
  i32WrapI64(): this { return this.op(0xa7); }
  i32TruncF32S(): this { return this.op(0xa8); }
  i32TruncF32U(): this { return this.op(0xa9); }
  i32TruncF64S(): this { return this.op(0xaa); }
  i32TruncF64U(): this { return this.op(0xab); }
  i64ExtendI32S(): this { return this.op(0xac); }
  i64ExtendI32U(): this { return this.op(0xad); }
  i64TruncF32S(): this { return this.op(0xae); }
  i64TruncF32U(): this { return this.op(0xaf); }
  i64TruncF64S(): this { return this.op(0xb0); }
  i64TruncF64U(): this { return this.op(0xb1); }
  f32ConvertI32S(): this { return this.op(0xb2); }
  f32ConvertI32U(): this { return this.op(0xb3); }
  f32ConvertI64S(): this { return this.op(0xb4); }
  f32ConvertI64U(): this { return this.op(0xb5); }
  f32DemoteF64(): this { return this.op(0xb6); }
  f64ConvertI32S(): this { return this.op(0xb7); }
  f64ConvertI32U(): this { return this.op(0xb8); }
  f64ConvertI64S(): this { return this.op(0xb9); }
  f64ConvertI64U(): this { return this.op(0xba); }
  f64PromoteF32(): this { return this.op(0xbb); }
  i32ReinterpretF32(): this { return this.op(0xbc); }
  i64ReinterpretF64(): this { return this.op(0xbd); }
  f32ReinterpretI32(): this { return this.op(0xbe); }
  f64ReinterpretI64(): this { return this.op(0xbf); }
  i32Extend8S(): this { return this.op(0xc0); }
  i32Extend16S(): this { return this.op(0xc1); }
  i64Extend8S(): this { return this.op(0xc2); }
  i64Extend16S(): this { return this.op(0xc3); }
  i64Extend32S(): this { return this.op(0xc4); }
  // --- saturating truncation (0xFC prefix) ---
  i32TruncSatF32S(): this { return this.fc(0); }
  i32TruncSatF32U(): this { return this.fc(1); }
  i32TruncSatF64S(): this { return this.fc(2); }
  i32TruncSatF64U(): this { return this.fc(3); }
  i64TruncSatF32S(): this { return this.fc(4); }
  i64TruncSatF32U(): this { return this.fc(5); }
  i64TruncSatF64S(): this { return this.fc(6); }
  i64TruncSatF64U(): this { return this.fc(7); }
}
