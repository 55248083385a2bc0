export * from './format.js';
export { SmfFormatError, SmfWriteError, MEMORY_FILE, type SmfErrorCode } from './errors.js';
export { HeaderField, type SmfHeader } from './header.js';
export { type SmfRelocation } from './entries.js';
export { type SmfSection, type SmfReaderLimits, type HeaderLocation, DEFAULT_LIMITS } from './layout.js';
export { SmfReader, type SmfReaderOptions, type SmfSymbol } from './reader.js';
export {
  writeSmf,
  type SmfModuleSpec,
  type SmfSectionSpec,
  type SmfSymbolSpec,
  type SmfRelocationSpec,
  type CompressionName,
  type WriteSmfOptions,
} from './writer.js';
export { computeModuleHash } from './hash.js';
export { moduleSpecFromReader } from './rebuild.js';
export { prefetchHintFor, hintedImportCount, PREFETCH_COUNT_SATURATED } from './prefetch-hint.js';
export { rewriteNoteInPlace, rewriteNote, replaceNote, type NoteRewriteResult } from './note-rewrite.js';
export { atomicWriteFile, atomicWriteFileSync, ReadOnlyFileError, type AtomicWriteOptions } from './atomic-write.js';
export { archName, describeCode, isWasmBinary, requireWasm32, UnsupportedArchError } from './arch.js';
export {
  decodeOriginalTemplates,
  decodeOriginalTemplateMeta,
  originalTemplateSignature,
  OriginalTemplateError,
  type OriginalTemplate,
  type OriginalTemplateMeta,
} from './original-templates.js';
