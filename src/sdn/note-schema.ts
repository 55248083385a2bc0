import type { NoteSdn } from './note-model.js';
import { CIRCULAR_ERROR_CODES, DEP_KINDS, INSTANTIATION_STATUSES } from './note-model.js';

/** How one note table maps between its SDN columns and the model. Cell kinds drive validation. */
export type CellKind = 'id' | 'string' | 'bool' | { enum: readonly string[] };

export interface ColumnSpec {
  readonly column: string;
  /** Property of the row object; absent for `id`, which is the row index. */
  readonly prop?: string;
  readonly kind: CellKind;
}

export interface TableSpec {
  readonly table: string;
  readonly key: Exclude<keyof NoteSdn, 'extra'>;
  /** The comment line written above the table header, if any. */
  readonly comment?: string;
  readonly columns: readonly ColumnSpec[];
}

const id: ColumnSpec = { column: 'id', kind: 'id' };
const str = (column: string, prop: string): ColumnSpec => ({ column, prop, kind: 'string' });

/** In the order the tables are written. */
export const NOTE_TABLES: readonly TableSpec[] = [
  {
    table: 'instantiations',
    key: 'instantiations',
    comment: '# Template instantiations (what was compiled)',
    columns: [
      id,
      str('template', 'template'),
      str('type_args', 'typeArgs'),
      str('mangled_name', 'mangledName'),
      str('from_file', 'fromFile'),
      str('from_loc', 'fromLoc'),
      str('to_obj', 'toObj'),
      { column: 'status', prop: 'status', kind: { enum: INSTANTIATION_STATUSES } },
    ],
  },
  {
    table: 'possible',
    key: 'possible',
    comment: '# Possible instantiations (can be lazily generated)',
    columns: [
      id,
      str('template', 'template'),
      str('type_args', 'typeArgs'),
      str('mangled_name', 'mangledName'),
      str('required_by', 'requiredBy'),
      { column: 'can_defer', prop: 'canDefer', kind: 'bool' },
    ],
  },
  {
    table: 'type_inferences',
    key: 'typeInferences',
    comment: '# Type inference instantiations',
    columns: [
      id,
      str('inferred_type', 'inferredType'),
      str('expr', 'expr'),
      str('context', 'context'),
      str('from_file', 'fromFile'),
      str('from_loc', 'fromLoc'),
    ],
  },
  {
    table: 'dependencies',
    key: 'dependencies',
    comment: '# Instantiation graph (to/from relationships)',
    columns: [
      str('from_inst', 'fromInst'),
      str('to_inst', 'toInst'),
      { column: 'dep_kind', prop: 'depKind', kind: { enum: DEP_KINDS } },
    ],
  },
  {
    table: 'circular_warnings',
    key: 'circularWarnings',
    comment: '# Circular dependency detection results',
    columns: [id, str('cycle_path', 'cyclePath'), str('severity', 'severity')],
  },
  {
    table: 'circular_errors',
    key: 'circularErrors',
    columns: [id, str('cycle_path', 'cyclePath'), { column: 'error_code', prop: 'errorCode', kind: { enum: CIRCULAR_ERROR_CODES } }],
  },
];

export const NOTE_HEADER = ['# Instantiation To/From Metadata', '# Format version: 1.0'];
