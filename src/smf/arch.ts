/**
 * The header's `arch` byte: names for it, a description of code in a section that cannot be
 * decoded here (native machine code from the original toolchain), and the check a loader makes
 * before it treats a module's code as WebAssembly.
 */
import { SimpleError } from '../errors.js';
import { Arch } from './format.js';
import { HeaderField } from './header.js';
import { hex } from './errors.js';
import type { SmfReader } from './reader.js';

const ARCH_NAMES: Record<number, string> = {
  [Arch.X86_64]: 'x86_64',
  [Arch.AArch64]: 'aarch64',
  [Arch.X86]: 'x86',
  [Arch.Arm]: 'arm',
  [Arch.RiscV64]: 'riscv64',
  [Arch.RiscV32]: 'riscv32',
  [Arch.Wasm32]: 'wasm32',
  [Arch.Wasm64]: 'wasm64',
};

/** `x86_64`, `wasm32`, … or `unknown arch 9` for a value the format does not define. */
export function archName(arch: number): string {
  return ARCH_NAMES[arch] ?? `unknown arch ${arch}`;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function isWasmBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * What a code section holds, said without decoding it: "x86_64 machine code, 16 bytes",
 * "WebAssembly module, 2048 bytes", or "wasm32 code, 12 bytes, not a WebAssembly module".
 */
export function describeCode(arch: number, bytes: Uint8Array): string {
  const n = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`;
  if (arch === Arch.Wasm32 || arch === Arch.Wasm64) {
    return isWasmBinary(bytes) ? `WebAssembly module, ${n}` : `${archName(arch)} code, ${n}, not a WebAssembly module`;
  }
  return ARCH_NAMES[arch] ? `${archName(arch)} machine code, ${n}` : `code for ${archName(arch)}, ${n}`;
}

/** A module built for another machine: this toolchain runs only wasm32 code. */
export class UnsupportedArchError extends SimpleError {
  readonly code = 'SMF_UNSUPPORTED_ARCH';
  readonly archName: string;
  constructor(
    readonly file: string,
    readonly arch: number,
    /** Absolute offset of the header's arch byte. */
    readonly offset: number,
  ) {
    const name = archName(arch);
    super(`${file}: header.arch: the module is built for ${name} (arch ${arch}) at byte ${hex(offset)}; only wasm32 modules can be loaded and run (smf inspect shows it)`);
    this.archName = name;
  }
}

/** Throws UnsupportedArchError unless the module's code is for wasm32. */
export function requireWasm32(reader: SmfReader): void {
  // The byte itself: decoding the whole header (BigInt fields) cost more than the check.
  const arch = reader.bytes[reader.headerOffset + HeaderField.arch];
  if (arch !== Arch.Wasm32) throw new UnsupportedArchError(reader.file, arch, reader.headerOffset + HeaderField.arch);
}
