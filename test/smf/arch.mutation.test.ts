import { describe, expect, it } from 'vitest';
import { UnsupportedArchError, archName, describeCode, isWasmBinary, requireWasm32 } from '../../src/smf/arch.js';
import { Arch } from '../../src/smf/format.js';
import { HeaderField } from '../../src/smf/header.js';
import { PREFETCH_COUNT_SATURATED, hintedImportCount, prefetchHintFor } from '../../src/smf/prefetch-hint.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import { SectionType } from '../../src/smf/format.js';

// The arch byte's names and checks and the prefetch fields, which only the CLI and loader tests
// reached (a per-folder mutation run leaves those out): every name, the edges of the wasm magic
// check, the exact wording of the refusal, and the prefetch count at its saturation edge.

const WASM = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];

describe('arch names and code descriptions', () => {
  it('names every arch the format defines, and says which number is unknown', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(archName)).toEqual(['x86_64', 'aarch64', 'x86', 'arm', 'riscv64', 'riscv32', 'wasm32', 'wasm64']);
    expect(archName(8)).toBe('unknown arch 8');
    expect(archName(255)).toBe('unknown arch 255');
  });

  it('takes 8 bytes starting with the wasm magic as WebAssembly, and nothing shorter or different', () => {
    expect(isWasmBinary(Uint8Array.from(WASM))).toBe(true);
    expect(isWasmBinary(Uint8Array.from(WASM.slice(0, 7)))).toBe(false);
    for (let i = 0; i < 4; i++) {
      const b = Uint8Array.from(WASM);
      b[i] ^= 0x01;
      expect(isWasmBinary(b), `magic byte ${i} changed`).toBe(false);
    }
  });

  it('describes code by arch, with the byte count and its plural', () => {
    expect(describeCode(Arch.Wasm32, Uint8Array.from(WASM))).toBe('WebAssembly module, 8 bytes');
    expect(describeCode(Arch.Wasm64, Uint8Array.from(WASM))).toBe('WebAssembly module, 8 bytes');
    expect(describeCode(Arch.Wasm32, new Uint8Array(1))).toBe('wasm32 code, 1 byte, not a WebAssembly module');
    expect(describeCode(Arch.Wasm64, new Uint8Array(0))).toBe('wasm64 code, 0 bytes, not a WebAssembly module');
    expect(describeCode(Arch.X86_64, new Uint8Array(16))).toBe('x86_64 machine code, 16 bytes');
    // Arch 0 is a real arch: its name must not be taken as missing.
    expect(describeCode(Arch.X86_64, new Uint8Array(1))).toBe('x86_64 machine code, 1 byte');
    expect(describeCode(Arch.RiscV32, Uint8Array.from(WASM))).toBe('riscv32 machine code, 8 bytes');
    expect(describeCode(9, new Uint8Array(2))).toBe('code for unknown arch 9, 2 bytes');
  });
});

describe('requireWasm32', () => {
  const moduleFor = (arch: number) =>
    SmfReader.fromBytes(writeSmf({ arch, sections: [{ type: SectionType.Code, name: 'code', data: Uint8Array.from(WASM) }] }), { file: 'm.smf' });

  it('accepts a wasm32 module', () => {
    expect(() => requireWasm32(moduleFor(Arch.Wasm32))).not.toThrow();
  });

  it('refuses every other arch naming the file, the arch and the byte of the arch field', () => {
    for (const arch of [Arch.X86_64, Arch.Wasm64, 200]) {
      const r = moduleFor(arch);
      let caught: unknown;
      try {
        requireWasm32(r);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UnsupportedArchError);
      const err = caught as UnsupportedArchError;
      const at = r.headerOffset + HeaderField.arch;
      expect(err.code).toBe('SMF_UNSUPPORTED_ARCH');
      expect(err.file).toBe('m.smf');
      expect(err.arch).toBe(arch);
      expect(err.offset).toBe(at);
      expect(err.archName).toBe(archName(arch));
      expect(err.message).toBe(
        `m.smf: header.arch: the module is built for ${archName(arch)} (arch ${arch}) at byte 0x${at.toString(16)}; only wasm32 modules can be loaded and run (smf inspect shows it)`,
      );
    }
  });
});

describe('prefetch fields', () => {
  it('sets the hint for a module that imports, and saturates the count at 255', () => {
    expect(PREFETCH_COUNT_SATURATED).toBe(255);
    expect(prefetchHintFor(0)).toEqual({ prefetchHint: 0, prefetchFileCount: 0 });
    expect(prefetchHintFor(-1)).toEqual({ prefetchHint: 0, prefetchFileCount: 0 });
    expect(prefetchHintFor(1)).toEqual({ prefetchHint: 1, prefetchFileCount: 1 });
    expect(prefetchHintFor(254)).toEqual({ prefetchHint: 1, prefetchFileCount: 254 });
    expect(prefetchHintFor(255)).toEqual({ prefetchHint: 1, prefetchFileCount: 255 });
    expect(prefetchHintFor(256)).toEqual({ prefetchHint: 1, prefetchFileCount: 255 });
  });

  it('asks for the first imports up to the count; a saturated count means all of them', () => {
    expect(hintedImportCount({ prefetchHint: 0, prefetchFileCount: 3 }, 5)).toBe(0);
    expect(hintedImportCount({ prefetchHint: 1, prefetchFileCount: 3 }, 5)).toBe(3);
    expect(hintedImportCount({ prefetchHint: 1, prefetchFileCount: 5 }, 3)).toBe(3);
    expect(hintedImportCount({ prefetchHint: 1, prefetchFileCount: 254 }, 300)).toBe(254);
    expect(hintedImportCount({ prefetchHint: 1, prefetchFileCount: 255 }, 300)).toBe(300);
    expect(hintedImportCount({ prefetchHint: 2, prefetchFileCount: 255 }, 7)).toBe(7);
  });
});
