/**
 * The `simple.lines` custom section: where the code of each source line starts, per function
 * (docs/code-model.md). Written by the lowering (src/compiler/lower/line-table.ts) and carried
 * over by the linker; read when a trap's backtrace is shown (src/runtime/backtrace.ts).
 *
 * Layout (integers LEB128): u8 version (1); u32 the module offset of the code section's payload;
 * u32 file count, then each file name (u32 length, UTF-8); u32 function count, then per function:
 * u32 function index, u32 file, u32 declaration line, u32 offset of its body (after the body's
 * size), u32 size of its body, u32 mark count, then per mark u32 offset delta and s32 line delta. Offsets are in the code section's payload (as `reloc.CODE`'s are):
 * the first mark's from its start, each later one from the mark before; the first line is a
 * delta from the declaration line, each later one from the line before.
 */
import { ByteWriter } from './bytes.js';
import { appendCustomSection, codePayloadStart } from './custom-section.js';

export const LINES_SECTION = 'simple.lines';
export const LINES_VERSION = 1;

export interface LineFunction {
  /** Index in the module's function space. */
  readonly index: number;
  readonly file: string;
  /** The line of the function's declaration. */
  readonly line: number;
  /** Where its body is (locals and instructions, after its size): code-section-payload offset and size in bytes. */
  readonly codeStart: number;
  readonly codeSize: number;
  /** Pairs: code-section-payload offset where a line's code starts, that line; ascending offsets. */
  readonly marks: readonly number[];
}

export interface LineTable {
  /** The module offset of the code section's payload, when the table was written. */
  readonly payloadStart: number;
  readonly functions: readonly LineFunction[];
}

/** `module` with a `simple.lines` section for `fns` appended; `module` itself when `fns` is empty. */
export function appendLineTable(module: Uint8Array, fns: readonly LineFunction[]): Uint8Array {
  if (fns.length === 0) return module;
  const payloadStart = codePayloadStart(module);
  if (payloadStart < 0) return module;
  const files = new Map<string, number>();
  for (const f of fns) if (!files.has(f.file)) files.set(f.file, files.size);
  const w = new ByteWriter(64);
  w.u8(LINES_VERSION).u32leb(payloadStart).u32leb(files.size);
  for (const name of files.keys()) w.name(name);
  w.u32leb(fns.length);
  for (const f of fns) {
    w.u32leb(f.index).u32leb(files.get(f.file)!).u32leb(f.line).u32leb(f.codeStart).u32leb(f.codeSize).u32leb(f.marks.length / 2);
    let offset = f.codeStart;
    let line = f.line;
    for (let i = 0; i < f.marks.length; i += 2) {
      w.u32leb(f.marks[i] - offset).s32leb(f.marks[i + 1] - line);
      offset = f.marks[i];
      line = f.marks[i + 1];
    }
  }
  return appendCustomSection(module, LINES_SECTION, w.finish());
}

/** The table in a `simple.lines` payload; null for a version this code does not know. Throws on a cut table. */
export function readLineTable(payload: Uint8Array): LineTable | null {
  const r = new LebReader(payload);
  if (r.u8() !== LINES_VERSION) return null;
  const payloadStart = r.u32();
  const files: string[] = [];
  for (let n = r.u32(); n > 0; n--) files.push(r.name());
  const functions: LineFunction[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const index = r.u32();
    const file = files[r.u32()] ?? '?';
    const line = r.u32();
    const codeStart = r.u32();
    const codeSize = r.u32();
    const marks: number[] = [];
    let offset = codeStart;
    let at = line;
    for (let k = r.u32(); k > 0; k--) {
      offset += r.u32();
      at += r.s32();
      marks.push(offset, at);
    }
    functions.push({ index, file, line, codeStart, codeSize, marks });
  }
  return { payloadStart, functions };
}

/** One decoder for every name: making a TextDecoder costs more than decoding a short name. */
const UTF8 = new TextDecoder();

/** A small LEB128 reader over a custom section's payload. */
export class LebReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  u8(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('custom section cut short');
    return this.bytes[this.pos++];
  }

  u32(): number {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.u8();
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
  }

  s32(): number {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? v | (-1 << shift) : v;
  }

  name(): string {
    const n = this.u32();
    const s = UTF8.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}
