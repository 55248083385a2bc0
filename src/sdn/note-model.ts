import type { SdnDict } from './value.js';

/**
 * The note.sdn metadata of an SMF module (the id-column dialect).
 *
 * A row's id is its index in its array: ids are not stored, they are renumbered from 0 whenever
 * the note is written, and they are ignored on read. Cross-references between tables go through
 * mangled names (`dependencies.fromInst/toInst`), never through ids, so renumbering is lossless.
 */
export const NOTE_SDN_TERMINATOR = '\n# END_NOTE\n';

export const INSTANTIATION_STATUSES = ['compiled', 'deferred', 'jit_compiled'] as const;
export type InstantiationStatus = (typeof INSTANTIATION_STATUSES)[number];

/** `type_param`: List<T> → T; `inner_type`: Option<T> wraps T. */
export const DEP_KINDS = ['type_param', 'field_type', 'inner_type', 'method_dep'] as const;
export type DepKind = (typeof DEP_KINDS)[number];

/** E0420: hard instantiation cycle; E0421: type-inference cycle. */
export const CIRCULAR_ERROR_CODES = ['E0420', 'E0421'] as const;
export type CircularErrorCode = (typeof CIRCULAR_ERROR_CODES)[number];

/**
 * `typeArgs` is the raw cell: type names separated by commas, where commas inside brackets
 * belong to a type (`"Pair<i64, text>, i64"`). The types layer splits it.
 */
export interface InstantiationRow {
  template: string;
  typeArgs: string;
  mangledName: string;
  fromFile: string;
  /** `file:line:col`, or `<smf path>:0:0:jit` for load-time instances. */
  fromLoc: string;
  toObj: string;
  status: InstantiationStatus;
}

export interface PossibleRow {
  template: string;
  typeArgs: string;
  mangledName: string;
  requiredBy: string;
  canDefer: boolean;
}

export interface TypeInferenceRow {
  /** May be a placeholder such as `?T`. */
  inferredType: string;
  expr: string;
  /** e.g. `literal`, `var_init`, `depends_on_x`. */
  context: string;
  fromFile: string;
  fromLoc: string;
}

export interface DependencyRow {
  fromInst: string;
  toInst: string;
  depKind: DepKind;
}

/** `cyclePath`: node names joined by `->`, the first repeated at the end. */
export interface CircularWarningRow {
  cyclePath: string;
  severity: string;
}

export interface CircularErrorRow {
  cyclePath: string;
  errorCode: CircularErrorCode;
}

export interface NoteSdn {
  instantiations: InstantiationRow[];
  possible: PossibleRow[];
  typeInferences: TypeInferenceRow[];
  dependencies: DependencyRow[];
  circularWarnings: CircularWarningRow[];
  circularErrors: CircularErrorRow[];
  /**
   * Top-level entries other than the six tables (e.g. another producer's `build:` block), kept
   * so that rewriting a note after a JIT instantiation does not drop them. Written after the six
   * tables. Absent when there are none.
   */
  extra?: SdnDict;
}

export function emptyNote(): NoteSdn {
  return {
    instantiations: [],
    possible: [],
    typeInferences: [],
    dependencies: [],
    circularWarnings: [],
    circularErrors: [],
  };
}
