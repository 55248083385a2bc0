/**
 * A strict reader for the WebAssembly modules this compiler emits (docs/code-model.md): one
 * compiled module or one instance. The linker merges such units, and it reads them out of SMF
 * files, which are untrusted: every length, count, index and LEB is checked, and a defect is a
 * WasmReadError that names the byte offset, never a crash or a silent misread.
 *
 * It reads what merging needs — types, imports, function declarations, exports, the byte range
 * of each body, active data segments, function names and the `reloc.CODE` section — and checks
 * that each relocation points at a padded immediate that currently holds the value it claims.
 * It does not validate instructions: the engine does that when the merged module is compiled.
 */
import { SimpleError } from '../../errors.js';
import { RELOC_SECTION, RelocKind } from '../lower/unit-abi.js';
import { CODE_ABI_SECTION } from '../runtime-abi.js';
import { LINES_SECTION } from './line-section.js';
import { ExternalKind, SectionId, ValType } from './types.js';

export class WasmReadError extends SimpleError {
  readonly code = 'WASM_MALFORMED';
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${file}: invalid WebAssembly at byte 0x${offset.toString(16)}: ${detail}`);
  }
}

export interface WasmFuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export type WasmImport =
  | { readonly module: string; readonly field: string; readonly kind: 'func'; readonly type: number }
  | { readonly module: string; readonly field: string; readonly kind: 'table'; readonly element: ValType; readonly min: number; readonly max?: number }
  | { readonly module: string; readonly field: string; readonly kind: 'memory'; readonly min: number; readonly max?: number }
  | { readonly module: string; readonly field: string; readonly kind: 'global'; readonly valType: ValType; readonly mutable: boolean };

export interface WasmExport {
  readonly name: string;
  readonly kind: ExternalKind;
  readonly index: number;
}

/** A body's place in the code section payload (the bytes after the section's size field). */
export interface WasmBody {
  /** Offset of the body's first byte (its locals declaration), after its size prefix. */
  readonly start: number;
  /** Offset of the first instruction. */
  readonly code: number;
  /** Offset just past the body's final `end`. */
  readonly end: number;
}

export interface WasmDataSegment {
  /** The offset expression: `i32.const n` or `global.get g`. */
  readonly offset: { readonly kind: 'i32.const'; readonly value: number } | { readonly kind: 'global.get'; readonly global: number };
  readonly bytes: Uint8Array;
}

export interface WasmReloc {
  readonly kind: RelocKind;
  /** Offset of the 5-byte immediate in the code section payload. */
  readonly offset: number;
  readonly value: number;
}

export interface WasmModuleInfo {
  readonly types: readonly WasmFuncType[];
  readonly imports: readonly WasmImport[];
  readonly importedFunctions: number;
  readonly importedGlobals: number;
  /** Type index of each defined function, in order. */
  readonly functions: readonly number[];
  readonly exports: readonly WasmExport[];
  /** The code section payload (a view into the input). */
  readonly code: Uint8Array;
  readonly bodies: readonly WasmBody[];
  readonly data: readonly WasmDataSegment[];
  /** Function names from the `name` section, by function index. */
  readonly names: ReadonlyMap<number, string>;
  /** The `reloc.CODE` entries, sorted by offset; undefined when the module has none. */
  readonly relocs: readonly WasmReloc[] | undefined;
  /** The payload of its `simple.lines` section (line-section.ts), a view; undefined without one. */
  readonly lines?: Uint8Array;
  /** The code ABI version its `simple.abi` section states; undefined without one. */
  readonly codeAbi: number | undefined;
  /** Counts of definitions the units we emit never have; merging refuses them. */
  readonly definedTables: number;
  readonly definedMemories: number;
  readonly definedGlobals: number;
  readonly elementSegments: number;
  readonly hasStart: boolean;
}

const VAL_TYPES = new Set<number>([ValType.i32, ValType.i64, ValType.f32, ValType.f64, ValType.v128, ValType.funcref, ValType.externref]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Cursor {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    start: number,
    /** Absolute end of what this cursor may read. */
    readonly end: number,
    /** Added to positions in messages, so offsets are in the whole module. */
    readonly base = 0,
  ) {
    this.pos = start;
  }

  fail(detail: string, at = this.pos): never {
    throw new WasmReadError(this.file, this.base + at, detail);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      if (i === 4 && (b & 0xf0) !== 0) this.fail('u32 LEB out of range', start);
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    return this.fail('u32 LEB too long', start);
  }

  s32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      result |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        if (i === 4) {
          // The unused high bits of the last byte must all equal the sign bit.
          const high = b & 0x70;
          if (high !== 0 && high !== 0x70) this.fail('s32 LEB out of range', start);
          return result | 0;
        }
        return shift < 32 && (b & 0x40) !== 0 ? result | (-1 << shift) : result;
      }
    }
    return this.fail('s32 LEB too long', start);
  }

  /** A count of items each taking at least `minSize` bytes: bounded by what is left. */
  count(minSize: number, what: string): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minSize > this.end - this.pos) this.fail(`${what} count ${n} does not fit in the section`, at);
    return n;
  }

  take(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail(`${n} bytes run past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    const at = this.pos;
    const bytes = this.take(this.u32());
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail('name is not valid UTF-8', at);
    }
  }

  valType(): ValType {
    const at = this.pos;
    const t = this.u8();
    if (!VAL_TYPES.has(t)) this.fail(`unknown value type 0x${t.toString(16)}`, at);
    return t as ValType;
  }

  limits(): { min: number; max?: number } {
    const at = this.pos;
    const flag = this.u8();
    if (flag === 0) return { min: this.u32() };
    if (flag === 1) {
      const min = this.u32();
      const max = this.u32();
      if (max < min) this.fail('limits maximum is below the minimum', at);
      return { min, max };
    }
    return this.fail(`unsupported limits flag ${flag}`, at);
  }

  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`${this.end - this.pos} unexpected bytes at the end of ${what}`);
  }
}

/** Reads and checks a module. `file` names the input in errors (e.g. `lib.smf: code`). */
export function readWasmModule(bytes: Uint8Array, file = '<memory>'): WasmModuleInfo {
  const c = new Cursor(bytes, file, 0, bytes.length);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) c.fail('missing \\0asm magic', 0);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) c.fail('unsupported version', 4);
  c.pos = 8;

  const types: WasmFuncType[] = [];
  const imports: WasmImport[] = [];
  const functions: number[] = [];
  const exports: WasmExport[] = [];
  const bodies: WasmBody[] = [];
  const data: WasmDataSegment[] = [];
  const names = new Map<number, string>();
  let importedFunctions = 0;
  let importedGlobals = 0;
  let definedTables = 0;
  let definedMemories = 0;
  let definedGlobals = 0;
  let elementSegments = 0;
  let hasStart = false;
  let code: Uint8Array = new Uint8Array(0);
  let codeSeen = false;
  let relocSection: { start: number; end: number } | undefined;
  let nameSection: { start: number; end: number } | undefined;
  let codeAbi: number | undefined;
  let lines: Uint8Array | undefined;
  let lastId = 0;

  while (c.pos < bytes.length) {
    const idAt = c.pos;
    const id = c.u8();
    const size = c.u32();
    const start = c.pos;
    if (size > bytes.length - start) c.fail(`section ${id} of ${size} bytes runs past the end of the module`, idAt);
    const end = start + size;
    const s = new Cursor(bytes, file, start, end);
    if (id !== SectionId.custom) {
      // DataCount (12) sits between Element (9) and Code (10) in the binary order.
      const rank = id === SectionId.dataCount ? 9.5 : id;
      if (id > SectionId.dataCount) s.fail(`unknown section id ${id}`, idAt);
      if (rank <= lastId) s.fail(`section ${id} is out of order or repeated`, idAt);
      lastId = rank;
    }
    switch (id) {
      case SectionId.custom: {
        const name = s.name();
        if (name === RELOC_SECTION) {
          if (relocSection) s.fail(`a second ${RELOC_SECTION} section`, idAt);
          relocSection = { start: s.pos, end };
        } else if (name === 'name') {
          nameSection = { start: s.pos, end };
        } else if (name === CODE_ABI_SECTION) {
          codeAbi = s.u32();
        } else if (name === LINES_SECTION) {
          lines = bytes.subarray(s.pos, end);
        }
        s.pos = end;
        break;
      }
      case SectionId.type: {
        const n = s.count(3, 'type');
        for (let i = 0; i < n; i++) {
          const formAt = s.pos;
          if (s.u8() !== 0x60) s.fail('expected a function type (0x60)', formAt);
          const params: ValType[] = [];
          for (let k = s.count(1, 'parameter'); k > 0; k--) params.push(s.valType());
          const results: ValType[] = [];
          for (let k = s.count(1, 'result'); k > 0; k--) results.push(s.valType());
          types.push({ params, results });
        }
        break;
      }
      case SectionId.import: {
        const n = s.count(4, 'import');
        for (let i = 0; i < n; i++) {
          const module = s.name();
          const field = s.name();
          const kindAt = s.pos;
          const kind = s.u8();
          if (kind === ExternalKind.func) {
            const typeAt = s.pos;
            const type = s.u32();
            if (type >= types.length) s.fail(`import ${module}.${field}: type ${type} does not exist`, typeAt);
            imports.push({ module, field, kind: 'func', type });
            importedFunctions++;
          } else if (kind === ExternalKind.table) {
            const element = s.valType();
            if (element !== ValType.funcref && element !== ValType.externref) s.fail('table element is not a reference type', kindAt + 1);
            imports.push({ module, field, kind: 'table', element, ...s.limits() });
          } else if (kind === ExternalKind.memory) {
            imports.push({ module, field, kind: 'memory', ...s.limits() });
          } else if (kind === ExternalKind.global) {
            const valType = s.valType();
            const mutAt = s.pos;
            const mut = s.u8();
            if (mut > 1) s.fail(`bad mutability flag ${mut}`, mutAt);
            imports.push({ module, field, kind: 'global', valType, mutable: mut === 1 });
            importedGlobals++;
          } else {
            s.fail(`unknown import kind ${kind}`, kindAt);
          }
        }
        break;
      }
      case SectionId.function: {
        const n = s.count(1, 'function');
        for (let i = 0; i < n; i++) {
          const at = s.pos;
          const t = s.u32();
          if (t >= types.length) s.fail(`function ${i}: type ${t} does not exist`, at);
          functions.push(t);
        }
        break;
      }
      case SectionId.table:
        definedTables = s.count(2, 'table');
        s.pos = end;
        break;
      case SectionId.memory:
        definedMemories = s.count(2, 'memory');
        s.pos = end;
        break;
      case SectionId.global:
        definedGlobals = s.count(3, 'global');
        s.pos = end;
        break;
      case SectionId.export: {
        const n = s.count(3, 'export');
        const seen = new Set<string>();
        for (let i = 0; i < n; i++) {
          const at = s.pos;
          const name = s.name();
          if (seen.has(name)) s.fail(`export '${name}' appears twice`, at);
          seen.add(name);
          const kindAt = s.pos;
          const kind = s.u8();
          if (kind > ExternalKind.global) s.fail(`unknown export kind ${kind}`, kindAt);
          exports.push({ name, kind: kind as ExternalKind, index: s.u32() });
        }
        break;
      }
      case SectionId.start:
        hasStart = true;
        s.u32();
        break;
      case SectionId.element:
        elementSegments = s.count(1, 'element segment');
        s.pos = end;
        break;
      case SectionId.dataCount:
        s.u32();
        break;
      case SectionId.code: {
        codeSeen = true;
        code = bytes.subarray(start, end);
        const p = new Cursor(code, file, 0, code.length, start);
        const n = p.count(2, 'body');
        if (n !== functions.length) p.fail(`${n} bodies for ${functions.length} declared functions`, 0);
        for (let i = 0; i < n; i++) {
          const sizeAt = p.pos;
          const len = p.u32();
          const bodyStart = p.pos;
          if (len === 0 || len > code.length - bodyStart) p.fail(`body ${i} of ${len} bytes runs past the section`, sizeAt);
          const b = new Cursor(code, file, bodyStart, bodyStart + len, start);
          let locals = 0;
          for (let k = b.count(2, 'local group'); k > 0; k--) {
            locals += b.u32();
            if (locals > 50_000) b.fail(`body ${i} declares more than 50000 locals`);
            b.valType();
          }
          if (code[bodyStart + len - 1] !== 0x0b) b.fail(`body ${i} does not end with 'end'`, bodyStart + len - 1);
          bodies.push({ start: bodyStart, code: b.pos, end: bodyStart + len });
          p.pos = bodyStart + len;
        }
        p.expectEnd('the code section');
        s.pos = end;
        break;
      }
      case SectionId.data: {
        const n = s.count(3, 'data segment');
        for (let i = 0; i < n; i++) {
          const flagAt = s.pos;
          const flag = s.u32();
          if (flag !== 0) s.fail(`data segment ${i}: only active segments of memory 0 are supported (flag ${flag})`, flagAt);
          const opAt = s.pos;
          const op = s.u8();
          let offset: WasmDataSegment['offset'];
          if (op === 0x41) offset = { kind: 'i32.const', value: s.s32() };
          else if (op === 0x23) offset = { kind: 'global.get', global: s.u32() };
          else return s.fail(`data segment ${i}: unsupported offset expression 0x${op.toString(16)}`, opAt);
          const endAt = s.pos;
          if (s.u8() !== 0x0b) s.fail(`data segment ${i}: offset expression does not end`, endAt);
          data.push({ offset, bytes: s.take(s.u32()) });
        }
        break;
      }
      default:
        s.fail(`unknown section id ${id}`, idAt);
    }
    s.expectEnd(`section ${id}`);
    c.pos = end;
  }
  if (!codeSeen && functions.length > 0) c.fail(`${functions.length} functions are declared but there is no code section`, bytes.length);

  const totalFunctions = importedFunctions + functions.length;
  const totalGlobals = importedGlobals + definedGlobals;
  for (const e of exports) {
    const limit = e.kind === ExternalKind.func ? totalFunctions : e.kind === ExternalKind.global ? totalGlobals : Infinity;
    if (e.index >= limit) c.fail(`export '${e.name}' refers to ${e.index}, which does not exist`, 8);
  }
  for (const d of data) {
    if (d.offset.kind === 'global.get' && d.offset.global >= totalGlobals) c.fail(`data segment reads global ${d.offset.global}, which does not exist`, 8);
  }
  if (nameSection) readFunctionNames(new Cursor(bytes, file, nameSection.start, nameSection.end), names, totalFunctions);
  const info = {
    types,
    imports,
    importedFunctions,
    importedGlobals,
    functions,
    exports,
    code,
    bodies,
    data,
    names,
    relocs: undefined as WasmReloc[] | undefined,
    codeAbi,
    lines,
    definedTables,
    definedMemories,
    definedGlobals,
    elementSegments,
    hasStart,
  };
  if (relocSection) {
    const r = new Cursor(bytes, file, relocSection.start, relocSection.end);
    info.relocs = readRelocs(r, info);
  }
  return info;
}

/** The function-names subsection; other subsections are skipped. */
function readFunctionNames(c: Cursor, names: Map<number, string>, totalFunctions: number): void {
  while (c.pos < c.end) {
    const id = c.u8();
    const size = c.u32();
    if (size > c.end - c.pos) c.fail(`name subsection ${id} runs past the section`);
    const end = c.pos + size;
    if (id === 1) {
      const sub = new Cursor(c.bytes, c.file, c.pos, end);
      for (let n = sub.count(2, 'function name'); n > 0; n--) {
        const at = sub.pos;
        const index = sub.u32();
        if (index >= totalFunctions) sub.fail(`a name for function ${index}, which does not exist`, at);
        names.set(index, sub.name());
      }
      sub.expectEnd('the function names');
    }
    c.pos = end;
  }
}

/**
 * `reloc.CODE`: u32 count, then (u8 kind, u32 offset, u32 value) per entry. Each entry must point
 * inside a body's instructions at a 5-byte padded LEB holding `value`, and `value` must exist in
 * its index space — so rewriting it in place can never corrupt the code.
 */
function readRelocs(c: Cursor, m: Omit<WasmModuleInfo, 'relocs'>): WasmReloc[] {
  const out: WasmReloc[] = [];
  const n = c.count(3, 'relocation');
  const functionCount = m.importedFunctions + m.functions.length;
  const globalCount = m.importedGlobals + m.definedGlobals;
  const dataSize = m.data.reduce((s, d) => s + d.bytes.length, 0);
  let body = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const kind = c.u8();
    const offset = c.u32();
    const value = c.u32();
    if (kind > RelocKind.data) c.fail(`relocation ${i}: unknown kind ${kind}`, at);
    if (offset < last + 5 && last >= 0) c.fail(`relocation ${i}: offsets must increase and not overlap`, at);
    last = offset;
    while (body < m.bodies.length && m.bodies[body].end <= offset) body++;
    const b = m.bodies[body];
    if (!b || offset < b.code || offset + 5 > b.end) c.fail(`relocation ${i}: offset ${offset} is not inside a function body`, at);
    const limit = kind === RelocKind.function ? functionCount : kind === RelocKind.type ? m.types.length : kind === RelocKind.global ? globalCount : dataSize + 1;
    if (value >= limit) c.fail(`relocation ${i}: value ${value} is outside its index space (${limit})`, at);
    const held = readPadded(m.code, offset, kind === RelocKind.data);
    if (held !== value) {
      c.fail(`relocation ${i}: the immediate at code offset ${offset} holds ${held}, not ${value}`, at);
    }
    out.push({ kind: kind as RelocKind, offset, value });
  }
  c.expectEnd(`the ${RELOC_SECTION} section`);
  return out;
}

/** The value of a 5-byte padded LEB, or -1 when the bytes are not one. */
function readPadded(code: Uint8Array, at: number, signed: boolean): number {
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const b = code[at + i];
    if ((b & 0x80) === 0) return -1;
    v |= (b & 0x7f) << (7 * i);
  }
  const last = code[at + 4];
  if ((last & 0x80) !== 0) return -1;
  if (signed) return (v | ((last & 0x7f) << 28)) | 0;
  if (last > 0x0f) return -1;
  return (v | (last << 28)) >>> 0;
}
