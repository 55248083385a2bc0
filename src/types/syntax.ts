/**
 * The surface syntax of types: `i64`, `text`, `f32x4`, `[text]`, `(i64, text)`, `()`,
 * `Pair<i64, [text]>`, type parameters by name, and, for diagnostics, `fn(i64) -> bool` and
 * unification variables `?3`.
 *
 * Two notations exist for the same grammar: the readable one (`Pair<i64, text>`, used in
 * messages) and the compact one (`Pair<i64,text>`, used inside mangled symbol names). The
 * parser accepts any whitespace between tokens, so it reads both.
 *
 * A one-element tuple is written `(i64,)` because `(i64)` is just a parenthesized `i64`, and
 * `()` is unit: this keeps printing and parsing exact inverses.
 */
import { TypeSyntaxError } from './errors.js';
import { MAX_TYPE_DEPTH } from './json.js';
import { builtinType } from './type.js';
import type { Type } from './type.js';
import { COMPACT, printType, SURFACE } from './print.js';
import { nameEnd } from './name-chars.js';

export interface ParseTypeOptions {
  /** Names that denote type parameters of the enclosing generic; all other names are structs. */
  readonly params?: ReadonlySet<string>;
  /** Accept `?N` (unification variables). Off by default: they never appear in files. */
  readonly allowVars?: boolean;
}

export interface PrintTypeOptions {
  /** No spaces at all: `Pair<i64,text>`, `fn(i64)->bool`. The form used in symbol names. */
  readonly compact?: boolean;
}

/** Parses exactly one type spanning all of `src` (surrounding whitespace allowed). */
export function parseType(src: string, options: ParseTypeOptions = {}): Type {
  const p = new Parser(src, 0, src.length, options);
  const t = p.type(1);
  p.end();
  return t;
}

/** Parses a comma-separated list such as `i64, Pair<i64, text>`; an empty string gives `[]`. */
export function parseTypeList(src: string, options: ParseTypeOptions = {}): Type[] {
  return parseTypeListIn(src, 0, src.length, options);
}

/**
 * Parses a type list found between `start` and `end` of a larger string, so that error offsets
 * point into that larger string (used for the `<…>` part of readable symbol names).
 */
export function parseTypeListIn(src: string, start: number, end: number, options: ParseTypeOptions = {}): Type[] {
  const p = new Parser(src, start, end, options);
  if (p.atEnd()) return [];
  const list = [p.type(1)];
  while (p.eat(',')) list.push(p.type(1));
  p.end();
  return list;
}

export function typeToString(t: Type, options: PrintTypeOptions = {}): string {
  return printType(t, options.compact ? COMPACT : SURFACE);
}

/** Shorthand for the compact notation used in mangled names. */
export function typeToCompactString(t: Type): string {
  return printType(t, COMPACT);
}

const DIGITS = /[0-9]+/y;

class Parser {
  private pos: number;

  constructor(
    private readonly src: string,
    start: number,
    private readonly limit: number,
    private readonly options: ParseTypeOptions,
  ) {
    this.pos = start;
  }

  type(depth: number): Type {
    this.skipSpace();
    const start = this.pos;
    if (depth > MAX_TYPE_DEPTH) this.fail(`type nested deeper than ${MAX_TYPE_DEPTH} levels`, start);
    const c = this.peekChar();
    if (c === '[') {
      this.pos++;
      const elem = this.type(depth + 1);
      this.expect(']');
      return { kind: 'array', elem };
    }
    if (c === '(') return this.parenthesized(depth);
    if (c === '?') return this.variable(start);
    const name = this.identifier();
    if (name === undefined) this.fail('expected a type', start);
    if (name === 'fn') return this.fnType(depth);
    const builtin = builtinType(name);
    if (builtin !== undefined) {
      this.refuseArgs(`built-in type ${name}`);
      return builtin;
    }
    if (this.options.params?.has(name)) {
      this.refuseArgs(`type parameter ${name}`);
      return { kind: 'param', name };
    }
    if (!this.eat('<')) return { kind: 'named', name, args: [] };
    const args = [this.type(depth + 1)];
    while (this.eat(',')) args.push(this.type(depth + 1));
    this.expect('>');
    return { kind: 'named', name, args };
  }

  private parenthesized(depth: number): Type {
    this.pos++;
    if (this.eat(')')) return { kind: 'unit' };
    const first = this.type(depth + 1);
    if (this.eat(')')) return first;
    this.expect(',');
    const elems = [first];
    while (!this.eat(')')) {
      elems.push(this.type(depth + 1));
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return { kind: 'tuple', elems };
  }

  private fnType(depth: number): Type {
    this.expect('(');
    const params: Type[] = [];
    if (!this.eat(')')) {
      params.push(this.type(depth + 1));
      while (this.eat(',')) params.push(this.type(depth + 1));
      this.expect(')');
    }
    // A fn without `-> R` returns unit, as in declarations.
    const ret = this.eat('->') ? this.type(depth + 1) : { kind: 'unit' as const };
    return { kind: 'fn', params, ret };
  }

  private variable(start: number): Type {
    if (!this.options.allowVars) this.fail('unification variables are not allowed here', start);
    this.pos++;
    DIGITS.lastIndex = this.pos;
    const m = DIGITS.exec(this.src);
    if (m === null || this.pos + m[0].length > this.limit) this.fail('expected a variable number', this.pos);
    this.pos += m[0].length;
    const id = Number(m[0]);
    if (!Number.isSafeInteger(id)) this.fail('variable number too large', start + 1);
    return { kind: 'var', id };
  }

  private refuseArgs(what: string): void {
    this.skipSpace();
    if (this.peekChar() === '<') this.fail(`${what} takes no type arguments`, this.pos);
  }

  private identifier(): string | undefined {
    // The identifier may run past `limit` when parsing a slice; it is cut there.
    const end = nameEnd(this.src, this.pos, this.limit);
    if (end === this.pos) return undefined;
    const text = this.src.slice(this.pos, end);
    this.pos = end;
    return text;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.limit;
  }

  end(): void {
    if (!this.atEnd()) this.fail('expected end of input', this.pos);
  }

  eat(token: string): boolean {
    this.skipSpace();
    if (this.pos + token.length > this.limit || !this.src.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected '${token}'`, this.pos);
  }

  private peekChar(): string | undefined {
    return this.pos < this.limit ? this.src[this.pos] : undefined;
  }

  private skipSpace(): void {
    while (this.pos < this.limit) {
      const c = this.src.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  private fail(reason: string, offset: number): never {
    throw new TypeSyntaxError(this.src, offset, reason);
  }
}
