import { HEADER_SIZE, SMF_MAGIC } from './format.js';

/**
 * Byte offsets inside the packed 128-byte header. Shared by the encoder, the decoder and
 * error messages (which report where a bad field sits).
 */
export const HeaderField = {
  magic: 0,
  version_major: 4,
  version_minor: 5,
  platform: 6,
  arch: 7,
  flags: 8,
  compression: 12,
  compression_level: 13,
  section_count: 16,
  section_table_offset: 20,
  symbol_table_offset: 28,
  symbol_count: 36,
  exported_count: 40,
  entry_point: 44,
  stub_size: 52,
  smf_data_offset: 56,
  module_hash: 60,
  source_hash: 68,
  app_type: 76,
  window_width: 77,
  window_height: 79,
  prefetch_hint: 81,
  prefetch_file_count: 82,
} as const;

/** The header as stored; u64 fields stay bigint because a file may hold any 64-bit value. */
export interface SmfHeader {
  versionMajor: number;
  versionMinor: number;
  platform: number;
  arch: number;
  flags: number;
  compression: number;
  compressionLevel: number;
  sectionCount: number;
  sectionTableOffset: bigint;
  symbolTableOffset: bigint;
  symbolCount: number;
  exportedCount: number;
  entryPoint: bigint;
  stubSize: number;
  smfDataOffset: number;
  moduleHash: bigint;
  sourceHash: bigint;
  appType: number;
  windowWidth: number;
  windowHeight: number;
  prefetchHint: number;
  prefetchFileCount: number;
}

/** Whether the SMF magic starts at `at`. Four compares, no loop: every module opened asks this. */
export function hasMagicAt(bytes: Uint8Array, at: number): boolean {
  if (at < 0 || at + SMF_MAGIC.length > bytes.length) return false;
  return bytes[at] === SMF_MAGIC[0] && bytes[at + 1] === SMF_MAGIC[1] && bytes[at + 2] === SMF_MAGIC[2] && bytes[at + 3] === SMF_MAGIC[3];
}

/** Decodes the 128 bytes at `at`; the caller guarantees they exist. Does not validate. */
export function decodeHeader(view: DataView, at: number): SmfHeader {
  const u8 = (f: number) => view.getUint8(at + f);
  const u16 = (f: number) => view.getUint16(at + f, true);
  const u32 = (f: number) => view.getUint32(at + f, true);
  const u64 = (f: number) => view.getBigUint64(at + f, true);
  const F = HeaderField;
  return {
    versionMajor: u8(F.version_major),
    versionMinor: u8(F.version_minor),
    platform: u8(F.platform),
    arch: u8(F.arch),
    flags: u32(F.flags),
    compression: u8(F.compression),
    compressionLevel: u8(F.compression_level),
    sectionCount: u32(F.section_count),
    sectionTableOffset: u64(F.section_table_offset),
    symbolTableOffset: u64(F.symbol_table_offset),
    symbolCount: u32(F.symbol_count),
    exportedCount: u32(F.exported_count),
    entryPoint: u64(F.entry_point),
    stubSize: u32(F.stub_size),
    smfDataOffset: u32(F.smf_data_offset),
    moduleHash: u64(F.module_hash),
    sourceHash: u64(F.source_hash),
    appType: u8(F.app_type),
    windowWidth: u16(F.window_width),
    windowHeight: u16(F.window_height),
    prefetchHint: u8(F.prefetch_hint),
    prefetchFileCount: u8(F.prefetch_file_count),
  };
}

/** Encodes into 128 fresh bytes; every reserved byte is zero so output is deterministic. */
export function encodeHeader(h: SmfHeader): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  const view = new DataView(out.buffer);
  const F = HeaderField;
  out.set(SMF_MAGIC, F.magic);
  view.setUint8(F.version_major, h.versionMajor);
  view.setUint8(F.version_minor, h.versionMinor);
  view.setUint8(F.platform, h.platform);
  view.setUint8(F.arch, h.arch);
  view.setUint32(F.flags, h.flags, true);
  view.setUint8(F.compression, h.compression);
  view.setUint8(F.compression_level, h.compressionLevel);
  view.setUint32(F.section_count, h.sectionCount, true);
  view.setBigUint64(F.section_table_offset, h.sectionTableOffset, true);
  view.setBigUint64(F.symbol_table_offset, h.symbolTableOffset, true);
  view.setUint32(F.symbol_count, h.symbolCount, true);
  view.setUint32(F.exported_count, h.exportedCount, true);
  view.setBigUint64(F.entry_point, h.entryPoint, true);
  view.setUint32(F.stub_size, h.stubSize, true);
  view.setUint32(F.smf_data_offset, h.smfDataOffset, true);
  view.setBigUint64(F.module_hash, h.moduleHash, true);
  view.setBigUint64(F.source_hash, h.sourceHash, true);
  view.setUint8(F.app_type, h.appType);
  view.setUint16(F.window_width, h.windowWidth, true);
  view.setUint16(F.window_height, h.windowHeight, true);
  view.setUint8(F.prefetch_hint, h.prefetchHint);
  view.setUint8(F.prefetch_file_count, h.prefetchFileCount);
  return out;
}
