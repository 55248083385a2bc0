/**
 * The strict WebAssembly reader: it reads what the compiler emits (and what the linker merges),
 * and rejects malformed input with a WasmReadError — never another exception — since it reads
 * untrusted SMF content.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { RelocKind } from '../../src/compiler/lower/unit.js';
import { readWasmModule, WasmReadError } from '../../src/compiler/wasm/reader.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { PROGRAMS } from './helpers.js';

const compiled = new CompileSession().compileFiles([join(PROGRAMS, 'shapes/app.spl')]);
const app = compiled.find((c) => c.declared.name === 'app')!;
const geometry = compiled.find((c) => c.declared.name === 'geometry')!;

function reject(bytes: Uint8Array, message?: RegExp): WasmReadError {
  try {
    readWasmModule(bytes, 'test');
  } catch (e) {
    expect(e).toBeInstanceOf(WasmReadError);
    if (message) expect((e as Error).message).toMatch(message);
    return e as WasmReadError;
  }
  throw new Error('expected a WasmReadError');
}

describe('reading units the compiler emits', () => {
  it('finds imports, functions, exports, bodies, data, names and relocations', () => {
    const m = readWasmModule(app.unit.wasm);
    expect(m.imports.slice(0, 3).map((i) => `${i.module}.${i.field}`)).toEqual(['env.memory', 'env.table', 'env.__memory_base']);
    expect(m.imports.filter((i) => i.module === 'GOT.func').map((i) => i.field)).toEqual([...app.unit.imports.got]);
    expect(m.imports.filter((i) => i.module === 'rt').map((i) => i.field)).toEqual([...app.unit.imports.runtime]);
    expect(m.exports.map((e) => e.name)).toEqual([...app.unit.exports]);
    expect(m.functions).toHaveLength(app.unit.exports.length);
    expect(m.bodies).toHaveLength(m.functions.length);
    for (const b of m.bodies) expect(b.start).toBeLessThan(b.code);
    expect(m.data[0].offset).toEqual({ kind: 'global.get', global: 0 });
    expect(m.data[0].bytes.length).toBe(app.unit.dataSize);
    expect(m.names.get(m.importedFunctions)).toBe('main');
    expect(m.relocs!.length).toBeGreaterThan(0);
    const kinds = new Set(m.relocs!.map((r) => r.kind));
    for (const k of [RelocKind.function, RelocKind.type, RelocKind.global, RelocKind.data]) expect(kinds.has(k)).toBe(true);
  });

  it('reads a unit without GOT imports (no table import)', () => {
    const m = readWasmModule(geometry.unit.wasm);
    expect(m.imports.some((i) => i.kind === 'table')).toBe(false);
  });

  it('reads a module without a reloc section or code', () => {
    const mb = new ModuleBuilder();
    mb.importGlobal('env', 'g', ValType.i32);
    const m = readWasmModule(mb.finish());
    expect(m.relocs).toBeUndefined();
    expect(m.bodies).toEqual([]);
  });
});

describe('rejecting malformed input', () => {
  const good = app.unit.wasm;

  it('every truncation inside a section is a WasmReadError', () => {
    // Cutting between two sections leaves a shorter, well-formed module.
    const boundaries = new Set<number>();
    for (let at = 8; at < good.length; ) {
      boundaries.add(at);
      let size = 0;
      let shift = 0;
      let p = at + 1;
      for (;;) {
        const b = good[p++];
        size |= (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) === 0) break;
      }
      at = p + size;
    }
    for (let n = 0; n < good.length; n++) {
      if (!boundaries.has(n)) reject(good.subarray(0, n));
      else {
        try {
          readWasmModule(good.subarray(0, n));
        } catch (e) {
          // Between the function and code sections: declared bodies are missing.
          expect((e as Error).message).toMatch(/functions are declared but there is no code section/);
        }
      }
    }
  });

  it('names the defect and its byte offset', () => {
    const badMagic = good.slice();
    badMagic[1] = 0x62;
    expect(reject(badMagic, /missing \\0asm magic/).offset).toBe(0);
    const badVersion = good.slice();
    badVersion[4] = 2;
    reject(badVersion, /unsupported version/);
    const extra = new Uint8Array([...good, 0x01, 0x00]);
    reject(extra, /out of order or repeated/);
  });

  it('a relocation whose immediate does not hold its value is refused', () => {
    const m = readWasmModule(good);
    const r = m.relocs![0];
    const bytes = good.slice();
    const at = m.code.byteOffset - good.byteOffset + r.offset;
    bytes[at] ^= 0x01;
    reject(bytes, /relocation 0: the immediate at code offset \d+ holds \d+, not \d+/);
  });

  it('random corruption never escapes as another exception', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (edits) => {
          const bytes = good.slice();
          for (const [at, v] of edits) bytes[at] = v;
          try {
            readWasmModule(bytes);
          } catch (e) {
            if (!(e instanceof WasmReadError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
