/**
 * Whole modules. Every section is encoded into its own reusable writer as soon as an entry is
 * added, so `finish()` only measures (every size prefix, including the name section's, is known
 * before writing: no placeholders, no shifting) and concatenates into one exact-size array.
 *
 * Index spaces: imports come first in the function, table, memory and global index spaces, and
 * every add/import method returns the final index immediately so a compiler can emit calls before
 * the callee's body exists. Because of that, importing something after defining something of the
 * same kind would renumber the definitions; it throws `WASM_IMPORT_AFTER_DEFINITION` instead.
 * Import everything first.
 *
 * Reuse: `reset()` keeps all buffers, including the FunctionBuilders handed out by `addFunction`,
 * so a builder driven in a loop allocates only the output array. Builders obtained before a
 * `reset()` must not be used after it.
 */
import { ByteWriter, nameSize, u32lebSize } from './bytes.js';
import { FunctionBuilder } from './code.js';
import { writeConstExpr } from './const-expr.js';
import type { ConstExpr } from './const-expr.js';
import { WasmEncodeError } from './errors.js';
import { ExternalKind, SectionId, writeFuncType, writeLimits, writeTableType } from './types.js';
import type { FuncType, Limits, RefType, TableType, ValType } from './types.js';

export interface ModuleBuilderOptions {
  /** Module name for the name section (shown by engines in stack traces). */
  readonly name?: string;
}

export class ModuleBuilder {
  /** Module name for the name section; undefined to omit it. */
  moduleName: string | undefined;

  private readonly typeSec = new ByteWriter(0);
  // Dedupe without building string keys: a numeric signature hash maps to the newest type with
  // that hash, `typeNext` chains older ones, and candidates are compared against their encoded
  // bytes in `typeSec` (found via `typeOffsets`).
  private readonly typeByHash = new Map<number, number>();
  private readonly typeNext: number[] = [];
  private readonly typeOffsets: number[] = [];
  private readonly typeParamCounts: number[] = [];
  private nTypes = 0;

  private readonly importSec = new ByteWriter(0);
  private importCount = 0;
  private funcImports = 0;
  private tableImports = 0;
  private memoryImports = 0;
  private globalImports = 0;

  private readonly funcSec = new ByteWriter(0);
  private readonly bodies: (FunctionBuilder | Uint8Array)[] = [];
  private bodyCount = 0;
  private readonly builderPool: FunctionBuilder[] = [];
  private poolUsed = 0;
  private readonly bodySizes: number[] = [];

  private readonly tableSec = new ByteWriter(0);
  private nTables = 0;
  private readonly memorySec = new ByteWriter(0);
  private nMemories = 0;
  private readonly globalSec = new ByteWriter(0);
  private nGlobals = 0;
  private readonly exportSec = new ByteWriter(0);
  private exportCount = 0;
  private start = -1;
  private readonly elemSec = new ByteWriter(0);
  private elemCount = 0;
  private readonly dataSec = new ByteWriter(0);
  private dataCount = 0;

  private readonly funcNames: (string | undefined)[] = [];
  private readonly customs: { name: string; bytes: Uint8Array }[] = [];
  private readonly out = new ByteWriter(0);

  constructor(options: ModuleBuilderOptions = {}) {
    this.moduleName = options.name;
  }

  /** Empty the builder for another module, keeping every buffer. */
  reset(options: ModuleBuilderOptions = {}): this {
    this.moduleName = options.name;
    this.typeSec.reset();
    this.typeByHash.clear();
    this.nTypes = 0;
    this.importSec.reset();
    this.importCount = this.funcImports = this.tableImports = this.memoryImports = this.globalImports = 0;
    this.funcSec.reset();
    // Clear by overwriting rather than `length = 0`, which would drop the arrays' capacity.
    for (let i = 0; i < this.bodyCount; i++) this.bodies[i] = EMPTY_BODY;
    this.bodyCount = 0;
    this.poolUsed = 0;
    this.tableSec.reset();
    this.nTables = 0;
    this.memorySec.reset();
    this.nMemories = 0;
    this.globalSec.reset();
    this.nGlobals = 0;
    this.exportSec.reset();
    this.exportCount = 0;
    this.start = -1;
    this.elemSec.reset();
    this.elemCount = 0;
    this.dataSec.reset();
    this.dataCount = 0;
    const names = this.funcNames;
    for (let i = 0; i < names.length; i++) names[i] = undefined;
    if (this.customs.length > 0) this.customs.length = 0;
    return this;
  }

  // --- index spaces ---

  get functionCount(): number {
    return this.funcImports + this.bodyCount;
  }
  get importedFunctionCount(): number {
    return this.funcImports;
  }
  get tableCount(): number {
    return this.tableImports + this.nTables;
  }
  get memoryCount(): number {
    return this.memoryImports + this.nMemories;
  }
  get globalCount(): number {
    return this.globalImports + this.nGlobals;
  }
  get typeCount(): number {
    return this.nTypes;
  }

  // --- types ---

  /** The index of the function type `params -> results`, adding it only if it is new. */
  addType(params: readonly ValType[], results: readonly ValType[]): number {
    let h = params.length * 0x3b + results.length;
    for (let i = 0; i < params.length; i++) h = Math.imul(h ^ params[i], 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
    for (let i = 0; i < results.length; i++) h = Math.imul(h ^ results[i], 0x01000193);
    h &= 0x3fffffff; // stays a small integer key
    const newest = this.typeByHash.get(h);
    for (let t = newest ?? -1; t >= 0; t = this.typeNext[t]) {
      if (this.typeMatches(t, params, results)) return t;
    }
    const index = this.nTypes++;
    this.typeOffsets[index] = this.typeSec.len;
    this.typeParamCounts[index] = params.length;
    this.typeNext[index] = newest ?? -1;
    this.typeByHash.set(h, index);
    writeFuncType(this.typeSec, params, results);
    return index;
  }

  private typeMatches(t: number, params: readonly ValType[], results: readonly ValType[]): boolean {
    const buf = this.typeSec.buf;
    // Entry layout: 0x60, vec(params), vec(results). Value types are single bytes, and a vector
    // length below 128 is a single LEB byte; longer lists are rare enough to compare via decode.
    let p = this.typeOffsets[t] + 1;
    const np = params.length;
    const nr = results.length;
    if (np >= 0x80 || nr >= 0x80) return this.typeMatchesSlow(t, params, results);
    if (buf[p++] !== np) return false;
    for (let i = 0; i < np; i++) if (buf[p++] !== params[i]) return false;
    if (buf[p++] !== nr) return false;
    for (let i = 0; i < nr; i++) if (buf[p++] !== results[i]) return false;
    return true;
  }

  private typeMatchesSlow(t: number, params: readonly ValType[], results: readonly ValType[]): boolean {
    const w = new ByteWriter(params.length + results.length + 11);
    writeFuncType(w, params, results);
    const start = this.typeOffsets[t];
    const end = t + 1 < this.nTypes ? this.typeOffsets[t + 1] : this.typeSec.len;
    if (end - start !== w.len) return false;
    const buf = this.typeSec.buf;
    for (let i = 0; i < w.len; i++) if (buf[start + i] !== w.buf[i]) return false;
    return true;
  }

  private resolveType(type: number | FuncType): number {
    if (typeof type !== 'number') return this.addType(type.params, type.results);
    if (type >>> 0 !== type || type >= this.nTypes) {
      throw new WasmEncodeError('WASM_BAD_REFERENCE', `no function type ${type}`);
    }
    return type;
  }

  // --- imports ---

  private beginImport(module: string, field: string, kind: ExternalKind, definedOfKind: number): void {
    if (definedOfKind > 0) {
      throw new WasmEncodeError(
        'WASM_IMPORT_AFTER_DEFINITION',
        `import ${module}.${field}: imports must precede definitions of the same kind`,
      );
    }
    this.importSec.name(module).name(field).u8(kind);
    this.importCount++;
  }

  /** Returns the function index. `debugName` goes to the name section. */
  importFunction(module: string, field: string, type: number | FuncType, debugName?: string): number {
    const typeIndex = this.resolveType(type);
    this.beginImport(module, field, ExternalKind.func, this.bodyCount);
    this.importSec.u32leb(typeIndex);
    const index = this.funcImports++;
    if (debugName !== undefined) this.funcNames[index] = debugName;
    return index;
  }

  importTable(module: string, field: string, type: TableType): number {
    this.beginImport(module, field, ExternalKind.table, this.nTables);
    writeTableType(this.importSec, type);
    return this.tableImports++;
  }

  importMemory(module: string, field: string, limits: Limits): number {
    this.beginImport(module, field, ExternalKind.memory, this.nMemories);
    writeLimits(this.importSec, limits);
    return this.memoryImports++;
  }

  importGlobal(module: string, field: string, type: ValType, mutable = false): number {
    this.beginImport(module, field, ExternalKind.global, this.nGlobals);
    this.importSec.u8(type).u8(mutable ? 1 : 0);
    return this.globalImports++;
  }

  // --- definitions ---

  /**
   * Define a function and return its (pooled) body builder; `builder.index` is its function index.
   * Bodies may be filled in any order before `finish()`.
   */
  addFunction(type: number | FuncType, debugName?: string): FunctionBuilder {
    const typeIndex = this.resolveType(type);
    let fb = this.builderPool[this.poolUsed];
    if (fb === undefined) this.builderPool[this.poolUsed] = fb = new FunctionBuilder();
    this.poolUsed++;
    fb.reset(this.typeParamCounts[typeIndex]);
    fb.typeIndex = typeIndex;
    fb.index = this.defineFunction(typeIndex, fb, debugName);
    return fb;
  }

  /**
   * Define a function from an already encoded body (locals declaration, instructions, final `end`;
   * no size prefix), e.g. one cached from `FunctionBuilder.finishBody()`. The array is not copied.
   */
  addRawFunction(type: number | FuncType, body: Uint8Array, debugName?: string): number {
    return this.defineFunction(this.resolveType(type), body, debugName);
  }

  private defineFunction(typeIndex: number, body: FunctionBuilder | Uint8Array, debugName?: string): number {
    this.funcSec.u32leb(typeIndex);
    this.bodies[this.bodyCount++] = body;
    const index = this.funcImports + this.bodyCount - 1;
    if (debugName !== undefined) this.funcNames[index] = debugName;
    return index;
  }

  addTable(element: RefType, limits: Limits): number {
    this.tableSec.u8(element);
    writeLimits(this.tableSec, limits);
    return this.tableImports + this.nTables++;
  }

  addMemory(limits: Limits): number {
    writeLimits(this.memorySec, limits);
    return this.memoryImports + this.nMemories++;
  }

  /** A bare number/bigint `init` is a constant of the global's own type. */
  addGlobal(type: ValType, mutable: boolean, init: ConstExpr | number | bigint): number {
    this.globalSec.u8(type).u8(mutable ? 1 : 0);
    writeConstExpr(this.globalSec, init, type);
    return this.globalImports + this.nGlobals++;
  }

  // --- exports and start ---

  addExport(name: string, kind: ExternalKind, index: number): this {
    this.exportSec.name(name).u8(kind).u32leb(index);
    this.exportCount++;
    return this;
  }
  exportFunction(name: string, func: number): this {
    return this.addExport(name, ExternalKind.func, func);
  }
  exportTable(name: string, table: number): this {
    return this.addExport(name, ExternalKind.table, table);
  }
  exportMemory(name: string, memory: number): this {
    return this.addExport(name, ExternalKind.memory, memory);
  }
  exportGlobal(name: string, global: number): this {
    return this.addExport(name, ExternalKind.global, global);
  }

  setStart(func: number): this {
    if (func >>> 0 !== func) throw new WasmEncodeError('WASM_BAD_REFERENCE', `bad start function ${func}`);
    this.start = func;
    return this;
  }

  // --- element segments (function indices only); each returns the segment index ---

  /**
   * Place `funcs` into `table` at `offset` on instantiation. A number offset is `i32.const`; for
   * dynamic linking pass `ConstExpr.globalGet(tableBaseGlobal)`.
   */
  addActiveElements(table: number, offset: ConstExpr | number, funcs: readonly number[]): number {
    const w = this.elemSec;
    // Form 0 (implicit table 0) is what other tools emit for table 0; form 2 names the table.
    if (table === 0) {
      w.u8(0);
      writeConstExpr(w, offset);
    } else {
      w.u8(2).u32leb(table);
      writeConstExpr(w, offset);
      w.u8(0x00);
    }
    writeIndexVec(w, funcs);
    return this.elemCount++;
  }

  /** A segment only used by `table.init`. */
  addPassiveElements(funcs: readonly number[]): number {
    this.elemSec.u8(1).u8(0x00);
    writeIndexVec(this.elemSec, funcs);
    return this.elemCount++;
  }

  /** Declares `funcs` as referenceable, which `ref.func` in a body requires. */
  addDeclarativeElements(funcs: readonly number[]): number {
    this.elemSec.u8(3).u8(0x00);
    writeIndexVec(this.elemSec, funcs);
    return this.elemCount++;
  }

  // --- data segments; each returns the segment index ---

  /** A number offset is `i32.const`; for dynamic linking pass `ConstExpr.globalGet(memoryBase)`. */
  addActiveData(offset: ConstExpr | number, bytes: ArrayLike<number>, memory = 0): number {
    const w = this.dataSec;
    if (memory === 0) w.u8(0);
    else w.u8(2).u32leb(memory);
    writeConstExpr(w, offset);
    w.u32leb(bytes.length).bytes(bytes);
    return this.dataCount++;
  }

  /** A segment only used by `memory.init`. */
  addPassiveData(bytes: ArrayLike<number>): number {
    this.dataSec.u8(1).u32leb(bytes.length).bytes(bytes);
    return this.dataCount++;
  }

  // --- names and custom sections ---

  setFunctionName(func: number, name: string): this {
    this.funcNames[func] = name;
    return this;
  }

  /** Appended after the name section, in the order added. `bytes` is not copied. */
  addCustomSection(name: string, bytes: Uint8Array): this {
    this.customs.push({ name, bytes });
    return this;
  }

  // --- output ---

  /** The module as a fresh exact-length array; it is encoded straight into it, with no copy. */
  finish(): Uint8Array<ArrayBuffer> {
    const w = new ByteWriter(this.measure());
    this.encode(w);
    // `measure` is exact; this only keeps a sizing bug from returning trailing zeros.
    return w.len === w.buf.length ? w.buf : w.finish();
  }

  /**
   * The module in the builder's own reusable buffer: no allocation once the buffer is large
   * enough, but only valid until the builder is next used. Enough for `new WebAssembly.Module(...)`,
   * which copies synchronously.
   */
  finishView(): Uint8Array<ArrayBuffer> {
    const out = this.out.reset();
    out.reserve(this.measure());
    this.encode(out);
    return out.view();
  }

  // Computed by `measure`, reused by `encode`, so every size prefix is known before writing.
  private codePayload = 0;
  private withDataCount = false;
  private namePayload = 0;
  private nameModulePayload = 0;
  private nameFuncsPayload = 0;
  private nameFuncsCount = 0;
  private nameLocalsPayload = 0;
  private nameLocalsCount = 0;

  private measure(): number {
    let n = 8;
    n += sectionSize(this.nTypes, this.typeSec);
    n += sectionSize(this.importCount, this.importSec);
    n += sectionSize(this.bodyCount, this.funcSec);
    n += sectionSize(this.nTables, this.tableSec);
    n += sectionSize(this.nMemories, this.memorySec);
    n += sectionSize(this.nGlobals, this.globalSec);
    n += sectionSize(this.exportCount, this.exportSec);
    if (this.start >= 0) n += 2 + u32lebSize(this.start);
    n += sectionSize(this.elemCount, this.elemSec);
    this.withDataCount = this.needsDataCount();
    if (this.withDataCount) n += 2 + u32lebSize(this.dataCount);
    n += this.measureCode();
    n += sectionSize(this.dataCount, this.dataSec);
    n += this.measureNames();
    for (const c of this.customs) {
      const payload = nameSize(c.name) + c.bytes.length;
      n += 1 + u32lebSize(payload) + payload;
    }
    return n;
  }

  private encode(out: ByteWriter): void {
    // "\0asm", version 1
    out.u32le(0x6d736100).u32le(1);
    section(out, SectionId.type, this.nTypes, this.typeSec);
    section(out, SectionId.import, this.importCount, this.importSec);
    section(out, SectionId.function, this.bodyCount, this.funcSec);
    section(out, SectionId.table, this.nTables, this.tableSec);
    section(out, SectionId.memory, this.nMemories, this.memorySec);
    section(out, SectionId.global, this.nGlobals, this.globalSec);
    section(out, SectionId.export, this.exportCount, this.exportSec);
    if (this.start >= 0) out.u8(SectionId.start).u32leb(u32lebSize(this.start)).u32leb(this.start);
    section(out, SectionId.element, this.elemCount, this.elemSec);
    if (this.withDataCount) {
      out.u8(SectionId.dataCount).u32leb(u32lebSize(this.dataCount)).u32leb(this.dataCount);
    }
    this.encodeCode(out);
    section(out, SectionId.data, this.dataCount, this.dataSec);
    this.encodeNames(out);
    for (const c of this.customs) {
      out.u8(SectionId.custom).u32leb(nameSize(c.name) + c.bytes.length).name(c.name).bytes(c.bytes);
    }
  }

  // Only `memory.init` / `data.drop` make the DataCount section mandatory.
  private needsDataCount(): boolean {
    for (let i = 0; i < this.bodyCount; i++) {
      const b = this.bodies[i];
      if (b instanceof FunctionBuilder && b.usesDataIndex) return true;
    }
    return false;
  }

  private measureCode(): number {
    const n = this.bodyCount;
    if (n === 0) return 0;
    const sizes = this.bodySizes;
    let payload = u32lebSize(n);
    for (let i = 0; i < n; i++) {
      const b = this.bodies[i];
      const s = b instanceof FunctionBuilder ? b.bodySize() : b.length;
      sizes[i] = s;
      payload += u32lebSize(s) + s;
    }
    this.codePayload = payload;
    return 1 + u32lebSize(payload) + payload;
  }

  private encodeCode(out: ByteWriter): void {
    const n = this.bodyCount;
    if (n === 0) return;
    out.u8(SectionId.code).u32leb(this.codePayload).u32leb(n);
    for (let i = 0; i < n; i++) {
      const b = this.bodies[i];
      out.u32leb(this.bodySizes[i]);
      if (b instanceof FunctionBuilder) b.writeBody(out);
      else out.bytes(b);
    }
  }

  private measureNames(): number {
    const names = this.funcNames;
    const limit = Math.min(names.length, this.functionCount);
    let count = 0;
    let size = 0;
    for (let i = 0; i < limit; i++) {
      const name = names[i];
      if (name === undefined) continue;
      count++;
      size += u32lebSize(i) + nameSize(name);
    }
    this.nameFuncsCount = count;
    this.nameFuncsPayload = count > 0 ? u32lebSize(count) + size : 0;

    count = 0;
    size = 0;
    for (let i = 0; i < this.bodyCount; i++) {
      const b = this.bodies[i];
      if (!(b instanceof FunctionBuilder) || b.localNames === undefined) continue;
      const locals = b.localNames;
      let localCount = 0;
      let localSize = 0;
      for (let j = 0; j < locals.length; j++) {
        const name = locals[j];
        if (name === undefined) continue;
        localCount++;
        localSize += u32lebSize(j) + nameSize(name);
      }
      count++;
      size += u32lebSize(b.index) + u32lebSize(localCount) + localSize;
    }
    this.nameLocalsCount = count;
    this.nameLocalsPayload = count > 0 ? u32lebSize(count) + size : 0;

    this.nameModulePayload = this.moduleName !== undefined ? nameSize(this.moduleName) : 0;
    if (this.moduleName === undefined && this.nameFuncsCount === 0 && this.nameLocalsCount === 0) {
      this.namePayload = 0;
      return 0;
    }
    let payload = nameSize('name');
    if (this.moduleName !== undefined) payload += subsectionSize(this.nameModulePayload);
    if (this.nameFuncsCount > 0) payload += subsectionSize(this.nameFuncsPayload);
    if (this.nameLocalsCount > 0) payload += subsectionSize(this.nameLocalsPayload);
    this.namePayload = payload;
    return 1 + u32lebSize(payload) + payload;
  }

  private encodeNames(out: ByteWriter): void {
    if (this.namePayload === 0) return;
    out.u8(SectionId.custom).u32leb(this.namePayload).name('name');
    if (this.moduleName !== undefined) {
      out.u8(0).u32leb(this.nameModulePayload).name(this.moduleName);
    }
    if (this.nameFuncsCount > 0) {
      out.u8(1).u32leb(this.nameFuncsPayload).u32leb(this.nameFuncsCount);
      const names = this.funcNames;
      const limit = Math.min(names.length, this.functionCount);
      for (let i = 0; i < limit; i++) {
        const name = names[i];
        if (name !== undefined) out.u32leb(i).name(name);
      }
    }
    if (this.nameLocalsCount > 0) {
      out.u8(2).u32leb(this.nameLocalsPayload).u32leb(this.nameLocalsCount);
      for (let i = 0; i < this.bodyCount; i++) {
        const b = this.bodies[i];
        if (!(b instanceof FunctionBuilder) || b.localNames === undefined) continue;
        const locals = b.localNames;
        let count = 0;
        for (let j = 0; j < locals.length; j++) if (locals[j] !== undefined) count++;
        out.u32leb(b.index).u32leb(count);
        for (let j = 0; j < locals.length; j++) {
          const name = locals[j];
          if (name !== undefined) out.u32leb(j).name(name);
        }
      }
    }
  }
}

const EMPTY_BODY = new Uint8Array(0);

function sectionSize(count: number, body: ByteWriter): number {
  if (count === 0) return 0;
  const payload = u32lebSize(count) + body.len;
  return 1 + u32lebSize(payload) + payload;
}

function subsectionSize(payload: number): number {
  return 1 + u32lebSize(payload) + payload;
}

function section(out: ByteWriter, id: number, count: number, body: ByteWriter): void {
  if (count === 0) return;
  out.u8(id).u32leb(u32lebSize(count) + body.len).u32leb(count).append(body);
}

function writeIndexVec(w: ByteWriter, indices: readonly number[]): void {
  w.u32leb(indices.length);
  for (let i = 0; i < indices.length; i++) w.u32leb(indices[i]);
}
