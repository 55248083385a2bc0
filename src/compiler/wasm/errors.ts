import { SimpleError } from '../../errors.js';

/**
 * Why an encoding request was refused. Only misuse that would otherwise produce a silently wrong
 * binary is reported here; typing mistakes inside function bodies are left to
 * `WebAssembly.validate` / compilation, which reports them precisely and costs nothing on the hot
 * path.
 */
export type WasmEncodeErrorCode =
  /** A number does not fit the immediate it was given for (e.g. 2^32 as a u32 LEB). */
  | 'WASM_RANGE'
  /** An import was added after a definition of the same kind, which would shift its indices. */
  | 'WASM_IMPORT_AFTER_DEFINITION'
  /** `block`/`loop`/`if` and `end` do not pair up in a function body. */
  | 'WASM_UNBALANCED_BLOCKS'
  /** A ModuleBuilder call referred to something that does not exist. */
  | 'WASM_BAD_REFERENCE';

export class WasmEncodeError extends SimpleError {
  readonly code: WasmEncodeErrorCode;

  constructor(code: WasmEncodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
