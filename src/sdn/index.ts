// Public API of the SDN layer: the generic SDN reader/writer and the note.sdn model.
export type { SdnDict, SdnScalar, SdnTable, SdnValue } from './value.js';
export { isSdnDict, isSdnTable, tableWidth } from './value.js';
export type { SdnLimits } from './limits.js';
export { DEFAULT_SDN_LIMITS, HARD_MAX_DEPTH } from './limits.js';
export type { NoteSdnCell, SdnLimitName, SdnLocation } from './errors.js';
export { NoteSdnError, NoteSdnTerminatorError, SdnError, SdnLimitError, SdnSerializeError } from './errors.js';
export type { SdnPosition } from './positions.js';
export { SdnPositions } from './positions.js';
export type { SdnParseOptions, SdnParseResult } from './parse.js';
export { parseSdn, parseSdnWithPositions } from './parse.js';
export { formatSdnInline, stringifySdn } from './stringify.js';
export { formatSdnKey, formatSdnString, quoteSdnString } from './quote.js';
export type {
  CircularErrorCode,
  CircularErrorRow,
  CircularWarningRow,
  DependencyRow,
  DepKind,
  InstantiationRow,
  InstantiationStatus,
  NoteSdn,
  PossibleRow,
  TypeInferenceRow,
} from './note-model.js';
export {
  CIRCULAR_ERROR_CODES,
  DEP_KINDS,
  emptyNote,
  INSTANTIATION_STATUSES,
  NOTE_SDN_TERMINATOR,
} from './note-model.js';
export type { NoteParseOptions } from './note-parse.js';
export { parseNoteSdn } from './note-parse.js';
export { serializeNoteSdn } from './note-serialize.js';
export {
  addCircularError,
  addInstantiation,
  addPossible,
  findInstantiation,
  findPossible,
  jitFromLoc,
  markJitCompiled,
  mergeNotes,
} from './note-ops.js';
export type { NoteFit } from './note-fit.js';
export { fitNoteInPlace } from './note-fit.js';
export type { DependencyCycle, RecordedCycles, TopologicalOrder } from './cycles.js';
export { addDependency, DependencyGraph, recordCycles, TYPE_DEP_KINDS, typeGraph } from './cycles.js';
