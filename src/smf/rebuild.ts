import { Compression } from './format.js';
import type { SmfReader } from './reader.js';
import type { CompressionName, SmfModuleSpec, SmfSectionSpec, SmfSymbolSpec } from './writer.js';

const COMPRESSION_NAMES: Record<number, CompressionName> = {
  [Compression.None]: 'none',
  [Compression.Zstd]: 'zstd',
  [Compression.Lz4]: 'lz4',
};

/**
 * A writer spec that reproduces the module read by `reader`: same stub, header fields,
 * sections (inflated, and recompressed where they were compressed), relocation section and
 * symbols. The note section is left out (pass a new `note`); the writer appends it last, so
 * symbol section indices are remapped. The result is always a v1.1 trailer file.
 */
export function moduleSpecFromReader(reader: SmfReader): SmfModuleSpec {
  const h = reader.header;
  const noteIndex = reader.noteSection()?.index;
  const sections: SmfSectionSpec[] = [];
  for (const s of reader.sections) {
    if (s.index === noteIndex) continue;
    const data = reader.sectionData(s.index);
    sections.push({
      type: s.type,
      name: s.name,
      flags: s.flags,
      alignment: s.alignment,
      data,
      compress: s.compressed,
      virtualSize: !s.compressed && s.virtualSize > data.length ? s.virtualSize : undefined,
    });
  }
  const remap = (i: number | undefined): number | undefined => {
    if (i === undefined || noteIndex === undefined || i < noteIndex) return i;
    // The writer appends the note after every other section.
    return i === noteIndex ? sections.length : i - 1;
  };
  const symbols: SmfSymbolSpec[] = [];
  for (const s of reader.symbols()) {
    symbols.push({
      name: s.name,
      type: s.type,
      binding: s.binding,
      visibility: s.visibility,
      flags: s.flags,
      value: s.value,
      size: s.size,
      typeId: s.typeId,
      version: s.version,
      templateParamCount: s.templateParamCount,
      templateOffset: s.templateOffset,
      sectionIndex: remap(s.sectionIndex),
    });
  }
  return {
    platform: h.platform,
    arch: h.arch,
    flags: h.flags,
    entryPoint: h.entryPoint,
    appType: h.appType,
    windowWidth: h.windowWidth,
    windowHeight: h.windowHeight,
    prefetchHint: h.prefetchHint,
    prefetchFileCount: h.prefetchFileCount,
    sourceHash: h.sourceHash,
    sections,
    symbols,
    compression: COMPRESSION_NAMES[h.compression] ?? 'none',
    compressionLevel: h.compression === Compression.Zstd ? Math.min(h.compressionLevel, 22) : undefined,
    stub: reader.dataOffset > 0 ? reader.bytes.slice(0, reader.dataOffset) : undefined,
  };
}
