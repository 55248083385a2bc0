/**
 * Errors of the type layer. Each carries the input and the place in it, so a caller that
 * reads a type from a file (note.sdn, a symbol table, a CLI argument) can point at the culprit.
 */
import { SimpleError } from '../errors.js';

/** A JSON type description that is not a valid type; `path` is like `$.args[1].bits`. */
export class TypeJsonError extends SimpleError {
  readonly code = 'TYPE_JSON_INVALID';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`invalid type JSON at ${path}: ${reason}`);
  }
}

/** Surface type syntax that does not parse; `offset` is 0-based, in UTF-16 code units. */
export class TypeSyntaxError extends SimpleError {
  readonly code = 'TYPE_SYNTAX';

  constructor(
    readonly input: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${reason} at offset ${offset} in ${JSON.stringify(input)}`);
  }
}

/** A symbol name that is not a valid plain, mangled or readable instance name. */
export class ManglingError extends SimpleError {
  readonly code = 'SYMBOL_MANGLING';

  constructor(
    readonly symbol: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${reason} at offset ${offset} in symbol ${JSON.stringify(symbol)}`);
  }
}
