import { SimpleError } from '../errors.js';

export type LoadErrorCode =
  | 'LOAD_UNDEFINED_SYMBOL'
  | 'LOAD_MISSING_HOST_FUNCTION'
  | 'LOAD_MISSING_MODULE'
  | 'LOAD_DUPLICATE_SYMBOL'
  | 'LOAD_INSTANTIATE'
  | 'LOAD_TABLE_FULL'
  | 'LOAD_LIMIT'
  | 'LOAD_SIGNATURE_CHANGED'
  | 'LOAD_NOT_LOADED';

/** A module or symbol that could not be loaded, with what and where. */
export class LoadError extends SimpleError {
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly file?: string,
    readonly symbol?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}
