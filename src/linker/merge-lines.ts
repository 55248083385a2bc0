/**
 * The merged module's `simple.lines` table (docs/code-model.md, "Line table"), built from the
 * units' tables byte by byte: a function's record moves with its body, so only its index, its
 * file and its body offset change — its marks are deltas from the body's start and are copied as
 * they are. Decoding every mark into numbers and encoding it again cost more than the rest of
 * the code merge for a program of many small modules.
 *
 * A unit whose table cannot be read (a version this code does not know, a table cut short)
 * contributes no lines; the other units' lines are kept.
 */
import { ByteWriter } from '../compiler/wasm/bytes.js';
import { appendCustomSection, codePayloadStart } from '../compiler/wasm/custom-section.js';
import { LebReader, LINES_SECTION, LINES_VERSION } from '../compiler/wasm/line-section.js';

export class LineTableMerger {
  private readonly files = new Map<string, number>();
  private readonly records = new ByteWriter(1024);
  private readonly unit = new ByteWriter(256);
  private count = 0;

  /**
   * Adds a unit's table: `functionMap` maps its function indices to the merged module's,
   * `bodyShift[i]` is how far its defined function i's body moved in the code section's payload.
   */
  add(lines: Uint8Array | undefined, importedFunctions: number, functionMap: Int32Array, bodyShift: readonly number[]): void {
    if (!lines) return;
    const out = this.unit.reset();
    let added = 0;
    const newFiles: string[] = [];
    try {
      const r = new LebReader(lines);
      if (r.u8() !== LINES_VERSION) return;
      r.u32(); // where the unit's code section payload was: its offsets are relative to it already
      const fileIds: number[] = [];
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        let id = this.files.get(name);
        if (id === undefined) {
          let k = newFiles.indexOf(name);
          if (k < 0) k = newFiles.push(name) - 1;
          id = this.files.size + k;
        }
        fileIds.push(id);
      }
      for (let n = r.u32(); n > 0; n--) {
        const index = r.u32();
        const file = r.u32();
        const line = r.u32();
        const codeStart = r.u32();
        const codeSize = r.u32();
        const marksAt = r.pos;
        for (let k = r.u32(); k > 0; k--) {
          r.u32();
          r.s32();
        }
        const defined = index - importedFunctions;
        // A record of a function the unit does not define has nowhere to go.
        if (defined < 0 || defined >= bodyShift.length || file >= fileIds.length) continue;
        out.u32leb(functionMap[index]).u32leb(fileIds[file]).u32leb(line).u32leb(codeStart + bodyShift[defined]).u32leb(codeSize);
        out.bytes(lines.subarray(marksAt, r.pos));
        added++;
      }
    } catch {
      return; // cut short: the unit's lines are lost, nothing else
    }
    for (const name of newFiles) this.files.set(name, this.files.size);
    this.records.append(out);
    this.count += added;
  }

  /** `module` with the merged table appended; `module` itself when no unit had lines. */
  appendTo(module: Uint8Array): Uint8Array {
    if (this.count === 0) return module;
    const payloadStart = codePayloadStart(module);
    if (payloadStart < 0) return module;
    const w = new ByteWriter(this.records.len + 64);
    w.u8(LINES_VERSION).u32leb(payloadStart).u32leb(this.files.size);
    for (const name of this.files.keys()) w.name(name);
    w.u32leb(this.count).append(this.records);
    return appendCustomSection(module, LINES_SECTION, w.finish());
  }
}
