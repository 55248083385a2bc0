/**
 * Constants of the SMF binary format (v1.1, packed 128-byte trailer header).
 *
 * Numeric enums are plain const objects so that values read from a file stay numbers:
 * a reader must be able to carry values it does not know (a newer writer's section type or
 * relocation kind) without failing, and a TS `enum` would suggest the set is closed.
 */

/** `SMF\0` */
export const SMF_MAGIC = new Uint8Array([0x53, 0x4d, 0x46, 0x00]);
export const SMF_VERSION_MAJOR = 1;
/** Version we write: 1.1 (trailer header, template fields). */
export const SMF_VERSION_MINOR = 1;

export const HEADER_SIZE = 128;
export const SECTION_ENTRY_SIZE = 64;
export const SYMBOL_ENTRY_SIZE = 56;
export const RELOC_ENTRY_SIZE = 24;
/** Bytes of the NUL-padded section name inside a section entry. */
export const SECTION_NAME_SIZE = 16;

/** Stub that lets a linked program run as `./app.smf` through an `smf` launcher on PATH. */
export const DEFAULT_STUB = '#!/usr/bin/env smf\n';

/** Largest section alignment we accept; a wasm page, far above any real payload's need. */
export const MAX_ALIGNMENT = 65536;

export const SectionType = {
  Code: 1,
  Data: 2,
  RoData: 3,
  Bss: 4,
  Reloc: 5,
  SymTab: 6,
  StrTab: 7,
  Debug: 8,
  TypeInfo: 9,
  Version: 10,
  SrcMap: 11,
  TemplateCode: 12,
  TemplateMeta: 13,
} as const;
export type SectionType = (typeof SectionType)[keyof typeof SectionType];

export const SectionFlags = {
  READ: 0x01,
  WRITE: 0x02,
  EXEC: 0x04,
  COMPRESSED: 0x08,
} as const;

export const HeaderFlags = {
  EXECUTABLE: 0x01,
  RELOADABLE: 0x02,
  DEBUG_INFO: 0x04,
  PIC: 0x08,
  HAS_STUB: 0x10,
} as const;

/**
 * The header's `entry_point` for a module whose code exports `exports`, in order: one more than
 * the export ordinal of `main` (the `value` of its symbol), so that 0 keeps meaning a library.
 */
export function entryPointOf(exports: readonly string[]): number {
  return exports.indexOf('main') + 1;
}

export const SymbolType = {
  None: 0,
  Function: 1,
  Data: 2,
  Type: 3,
  Trait: 4,
  Actor: 5,
  Constant: 6,
} as const;
export type SymbolType = (typeof SymbolType)[keyof typeof SymbolType];

export const Binding = {
  Local: 0,
  Global: 1,
  Weak: 2,
} as const;
export type Binding = (typeof Binding)[keyof typeof Binding];

export const SymbolFlags = {
  /** Bits 0-1: layout phase, see {@link LayoutPhase}. */
  LAYOUT_PHASE_MASK: 0x03,
  EVENT_LOOP_ANCHOR: 0x04,
  LAYOUT_PINNED: 0x08,
  GENERIC_TEMPLATE: 0x10,
  SPECIALIZED: 0x20,
} as const;

export const LayoutPhase = {
  Startup: 0,
  FirstFrame: 1,
  Steady: 2,
  Cold: 3,
} as const;
export type LayoutPhase = (typeof LayoutPhase)[keyof typeof LayoutPhase];

export const Platform = {
  Any: 0,
  Linux: 1,
  Windows: 2,
  MacOS: 3,
  FreeBSD: 4,
  None: 5,
} as const;
export type Platform = (typeof Platform)[keyof typeof Platform];

export const Arch = {
  X86_64: 0,
  AArch64: 1,
  X86: 2,
  Arm: 3,
  RiscV64: 4,
  RiscV32: 5,
  Wasm32: 6,
  Wasm64: 7,
} as const;
export type Arch = (typeof Arch)[keyof typeof Arch];

export const Compression = {
  None: 0,
  Zstd: 1,
  Lz4: 2,
} as const;
export type Compression = (typeof Compression)[keyof typeof Compression];

export const AppType = {
  Cli: 0,
  Tui: 1,
  Gui: 2,
  Service: 3,
  Repl: 4,
} as const;
export type AppType = (typeof AppType)[keyof typeof AppType];

/**
 * Relocation kinds. Values above 5 are reserved for wasm-specific kinds to be added later;
 * the reader hands unknown kinds through unchanged so that an older reader can still list
 * them (only the code that applies relocations decides what it supports).
 */
export const RelocType = {
  None: 0,
  Abs64: 1,
  Pc32: 2,
  Plt32: 3,
  GotPcRel: 4,
  Trampoline: 5,
} as const;
export type RelocType = (typeof RelocType)[keyof typeof RelocType];

/** `section_index` value in a symbol entry meaning "not tied to a section". */
export const NO_SECTION = 0xffff;

/** Name and type of the note section (§2.1 of the notes: the type is shared, the name decides). */
export const NOTE_SECTION_NAME = 'note.sdn';
export const NOTE_SECTION_TYPE = SectionType.TemplateMeta;
export const NOTE_TERMINATOR = '\n# END_NOTE\n';
/**
 * Readers refuse notes longer than this (terminator included). The original loader's 1 MiB did
 * not hold a program of ~4,000 instances (about 250 bytes of rows each); 16 MiB is the SDN
 * parser's input limit, and holds some 60,000.
 */
export const MAX_NOTE_SIZE = 16 * 1024 * 1024;

/** Name of the relocation section the writer emits. */
export const RELOC_SECTION_NAME = 'rela';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bit, over the UTF-8 bytes of a string or over raw bytes. */
export function fnv1a32(input: Uint8Array | string): number {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}
