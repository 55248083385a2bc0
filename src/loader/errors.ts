import { SimpleError } from '../errors.js';

export type LoadErrorCode =
  | 'LOAD_UNDEFINED_SYMBOL'
  | 'LOAD_MISSING_HOST_FUNCTION'
  | 'LOAD_MISSING_MODULE'
  | 'LOAD_DUPLICATE_SYMBOL'
  | 'LOAD_INSTANTIATE'
  /** Code compiled for another code ABI (before the garbage collector, say): compile it again. */
  | 'LOAD_CODE_ABI'
  /** Code the verifier refused (docs/trust-model.md): a CodeVerifyError names the rule, function and byte. */
  | 'LOAD_CODE_VERIFY'
  /** A trust domain misused, or a heap value offered across domains (trust-domain.ts). */
  | 'LOAD_DOMAIN'
  | 'LOAD_TABLE_FULL'
  | 'LOAD_LIMIT'
  | 'LOAD_SIGNATURE_CHANGED'
  | 'LOAD_NOT_LOADED'
  | 'LOAD_WRITE_BACK'
  /** The compiler's bundle, loaded on the first load-time JIT, could not be loaded. */
  | 'LOAD_COMPILER_UNAVAILABLE';

/**
 * An instantiation cycle met at load time (E0420): a chain of instances that goes round a
 * template with ever larger type arguments. Said as the linker says it, at the call that goes
 * round again.
 */
export class InstantiationCycleError extends SimpleError {
  readonly code = 'E0420';
  constructor(
    /** The template-level path, `grow->grow`: the `circular_errors` row's `cycle_path`. */
    readonly cyclePath: string,
    /** The message without its location. */
    readonly detail: string,
    /** `file:line:col` of the call inside the template that goes round again. */
    readonly at: string | undefined,
    /** The instance whose instantiation ran into it (the first of the chain). */
    readonly symbol: string,
  ) {
    super(at ? `${at}: ${detail}` : detail);
  }
}

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
