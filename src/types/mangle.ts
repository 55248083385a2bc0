/**
 * Symbol names of generic instances.
 *
 * Scheme (fixed by the project lead; every layer must produce byte-identical names):
 *
 *   mangle(base, [])   = base
 *   mangle(base, args) = base + '$' + args.map(compact).join('$')
 *
 * where `compact(t)` is the type in surface syntax with no spaces at all: `i64`,
 * `Pair<i64,text>`, `[i64]`, `(i64,text)`, `(i64,)`, `f32x4`, `()`. Examples: `max$i64`,
 * `Pair$i64$text`, `Stack$Pair<i64,text>`, `sum$[i64]`. A method instance has a dotted base
 * and lists the struct's type arguments first, then the method's own: `Stack.push$i64`,
 * `Pair.map$i64$text$bool`.
 *
 * A base is made of letters, digits, `_` and `.`; it never contains `$`, `<` or `>`, and no
 * type's compact form contains `$`. So the first `$` ends the base and every later `$`
 * separates two arguments, which makes demangling unambiguous without a bracket count.
 *
 * The readable form `max<i64>`, `Stack.push<Pair<i64, text>>` is what users write and what
 * messages show; `normalizeSymbolName` turns it (or a mangled name) into the mangled form.
 */
import { ManglingError, TypeSyntaxError } from './errors.js';
import { parseTypeListIn, typeToCompactString, typeToString } from './syntax.js';
import type { ParseTypeOptions } from './syntax.js';
import { containsVars, isTypeName, isValidSimd, someType } from './type.js';
import type { Type } from './type.js';
import { namePartAt } from './name-chars.js';

export interface DemangledName {
  readonly base: string;
  readonly args: Type[];
}

/**
 * The instance name of `base` at `args`. Args may mention params (a template referring to one
 * of its own instances); they print by name and come back as params only when `demangle` is
 * given the same names. Unification variables are rejected: they mean nothing outside the
 * checker that made them.
 */
export function mangle(base: string, args: readonly Type[]): string {
  checkBase(base, base, 0);
  if (args.length === 0) return base;
  let out = base;
  for (const a of args) {
    if (containsVars(a)) {
      throw new ManglingError(base, base.length, `type argument ${typeToString(a)} is not fully inferred`);
    }
    // A hand-built type with a malformed part would print as a name that no one can parse back.
    const malformed = findMalformed(a);
    if (malformed !== undefined) {
      throw new ManglingError(base, base.length, `type argument ${typeToString(a)} contains ${malformed}`);
    }
    out += '$' + typeToCompactString(a);
  }
  return out;
}

/** Whether `symbol` names an instance (`base$args`): cheap, no parsing. */
export function isInstanceSymbol(symbol: string): boolean {
  return symbol.includes('$');
}

/** The base of a mangled name: `max` of `max$i64`, the name itself when it is no instance. */
export function symbolBase(symbol: string): string {
  const dollar = symbol.indexOf('$');
  return dollar < 0 ? symbol : symbol.slice(0, dollar);
}

export function demangle(symbol: string, options: ParseTypeOptions = {}): DemangledName {
  const dollar = symbol.indexOf('$');
  if (dollar < 0) {
    checkBase(symbol, symbol, 0);
    return { base: symbol, args: [] };
  }
  const base = symbol.slice(0, dollar);
  checkBase(base, symbol, 0);
  const args: Type[] = [];
  let start = dollar + 1;
  for (;;) {
    const next = symbol.indexOf('$', start);
    const end = next < 0 ? symbol.length : next;
    args.push(parseArg(symbol, start, end, options));
    if (next < 0) break;
    start = next + 1;
  }
  return { base, args };
}

/**
 * The mangled form of a mangled, readable or plain name: `max<i64>` → `max$i64`,
 * `Pair<i64, text>` → `Pair$i64$text`, `max$i64` → `max$i64`, `add` → `add`.
 */
export function normalizeSymbolName(symbol: string, options: ParseTypeOptions = {}): string {
  const { base, args } = parseAnySymbol(symbol, options);
  return mangle(base, args);
}

/**
 * Whether `symbol` is certainly already in mangled form, so normalizing it would give it back:
 * a plain name, or `base$…` with no `<` before the first `$`. A cheap test for hot paths that
 * receive mangled names almost always; anything else still goes through normalizeSymbolName.
 */
export function isMangledForm(symbol: string): boolean {
  const dollar = symbol.indexOf('$');
  const angle = symbol.indexOf('<');
  if (dollar < 0) return angle < 0 && symbol.indexOf('>') < 0 && symbol.indexOf(' ') < 0 && symbol.length > 0;
  return angle < 0 || angle > dollar;
}

/** The readable form of a mangled (or already readable) name: `Stack.push$i64` → `Stack.push<i64>`. */
export function readableName(symbol: string, options: ParseTypeOptions = {}): string {
  const { base, args } = parseAnySymbol(symbol, options);
  return args.length === 0 ? base : `${base}<${args.map((a) => typeToString(a)).join(', ')}>`;
}

/** Builds the readable form directly, without going through a mangled string. */
export function readableInstanceName(base: string, args: readonly Type[]): string {
  checkBase(base, base, 0);
  return args.length === 0 ? base : `${base}<${args.map((a) => typeToString(a)).join(', ')}>`;
}

function parseAnySymbol(symbol: string, options: ParseTypeOptions): DemangledName {
  if (symbol.includes('$')) return demangle(symbol, options);
  const open = symbol.indexOf('<');
  if (open < 0) {
    checkBase(symbol, symbol, 0);
    return { base: symbol, args: [] };
  }
  const base = symbol.slice(0, open);
  checkBase(base, symbol, 0);
  const close = symbol.trimEnd().length - 1;
  if (close <= open || symbol[close] !== '>') {
    throw new ManglingError(symbol, symbol.length, "expected '>' at the end of the type arguments");
  }
  let args: Type[];
  try {
    args = parseTypeListIn(symbol, open + 1, close, options);
  } catch (e) {
    throw asManglingError(e, symbol);
  }
  if (args.length === 0) throw new ManglingError(symbol, open + 1, 'expected a type');
  return { base, args };
}

function parseArg(symbol: string, start: number, end: number, options: ParseTypeOptions): Type {
  if (start === end) throw new ManglingError(symbol, start, 'expected a type');
  try {
    const list = parseTypeListIn(symbol, start, end, options);
    // A `,` at the top level means the name was joined with the wrong separator.
    if (list.length !== 1) throw new ManglingError(symbol, start, "type arguments are separated by '$', not ','");
    return list[0];
  } catch (e) {
    throw asManglingError(e, symbol);
  }
}

function findMalformed(t: Type): string | undefined {
  let found: string | undefined;
  someType(t, (x) => {
    if ((x.kind === 'named' || x.kind === 'param') && !isTypeName(x.name)) found = `the invalid name ${JSON.stringify(x.name)}`;
    else if (x.kind === 'tuple' && x.elems.length === 0) found = 'an empty tuple';
    else if (x.kind === 'simd' && !isValidSimd(x.lanes, x.elem)) found = 'an invalid SIMD type';
    return found !== undefined;
  });
  return found;
}

function asManglingError(e: unknown, symbol: string): unknown {
  return e instanceof TypeSyntaxError ? new ManglingError(symbol, e.offset, e.reason) : e;
}

function checkBase(base: string, symbol: string, offset: number): void {
  if (base.length === 0) throw new ManglingError(symbol, offset, 'expected a name');
  for (let i = 0; i < base.length; ) {
    const n = base.charCodeAt(i) === 0x2e ? 1 : namePartAt(base, i);
    if (n === 0) {
      const ch = String.fromCodePoint(base.codePointAt(i)!);
      throw new ManglingError(symbol, offset + i, `character ${JSON.stringify(ch)} is not allowed in a symbol name`);
    }
    i += n;
  }
}
