// Shared helpers for the lexer / parser tests: span-free AST comparison and tiny AST builders.
import type { Diagnostic } from '../../src/compiler/diagnostics.js';
import { formatDiagnostic } from '../../src/compiler/diagnostics.js';
import { tokenize } from '../../src/compiler/lexer/index.js';
import type { Token } from '../../src/compiler/lexer/index.js';
import { parseExpression, parseModule, parseTypeExpr } from '../../src/compiler/parser/index.js';
import { SourceFile } from '../../src/compiler/source.js';

/** Deep copy without `span` keys, so expected trees can be written by hand. */
export function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'span') out[k] = strip(v);
    return out;
  }
  return value;
}

export function src(text: string, path = 'test.spl'): SourceFile {
  return new SourceFile(path, text);
}

export function lex(text: string): { tokens: Token[]; diagnostics: readonly Diagnostic[] } {
  return tokenize(src(text));
}

export function kinds(text: string): string[] {
  return lex(text).tokens.map((t) => t.kind);
}

/** `line:col message` of each diagnostic, for compact assertions. */
export function where(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => {
    if (d.span === null || typeof d.file === 'string') return `- ${d.message}`;
    const { line, col } = d.file.lineCol(d.span.start);
    return `${line}:${col} ${d.message}`;
  });
}

function fail(ds: readonly Diagnostic[]): never {
  throw new Error('unexpected diagnostics:\n' + ds.map(formatDiagnostic).join('\n'));
}

/** Parses a module that must be error-free and returns it without spans. */
export function mod(text: string): any {
  const { module, diagnostics } = parseModule(src(text));
  if (diagnostics.length > 0) fail(diagnostics);
  return strip(module);
}

/** The statements of `fn main():` whose body is `body` (lines indented by the caller or not). */
export function stmts(body: string): any[] {
  const indented = body
    .split('\n')
    .map((l) => (l === '' ? l : '    ' + l))
    .join('\n');
  return mod(`fn main():\n${indented}\n`).items[0].body.statements;
}

export function expr(text: string): any {
  const { expr: e, diagnostics } = parseExpression(text);
  if (diagnostics.length > 0) fail(diagnostics);
  return strip(e);
}

export function type(text: string): any {
  const { type: t, diagnostics } = parseTypeExpr(text);
  if (diagnostics.length > 0) fail(diagnostics);
  return strip(t);
}

// Builders for expected (span-free) trees.
export const id = (name: string) => ({ kind: 'Ident', name });
export const nm = (name: string) => ({ kind: 'Name', name });
export const int = (v: number | bigint, raw = String(v)) => ({ kind: 'Int', value: BigInt(v), raw });
export const flt = (value: number, raw: string) => ({ kind: 'Float', value, raw });
export const bool = (value: boolean) => ({ kind: 'Bool', value });
export const str = (...parts: unknown[]) => ({
  kind: 'Str',
  parts: parts.map((p) => (typeof p === 'string' ? { kind: 'StrText', value: p } : { kind: 'StrInterp', expr: p })),
});
export const self = { kind: 'Self' };
export const ty = (name: string, ...args: unknown[]) => ({ kind: 'NamedType', name: id(name), args });
export const arrTy = (element: unknown) => ({ kind: 'ArrayType', element });
export const tupTy = (...elements: unknown[]) => ({ kind: 'TupleType', elements });
export const unitTy = { kind: 'UnitType' };
export const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'Binary', op, left, right });
export const un = (op: string, operand: unknown) => ({ kind: 'Unary', op, operand });
export const cast = (e: unknown, t: unknown) => ({ kind: 'Cast', expr: e, type: t });
export const arg = (value: unknown, name?: string) => ({ kind: 'Arg', name: name === undefined ? null : id(name), value });
export const call = (callee: unknown, args: unknown[], typeArgs: unknown[] = []) => ({
  kind: 'Call',
  callee,
  typeArgs,
  args: args.map((a) => (a !== null && typeof a === 'object' && (a as { kind?: string }).kind === 'Arg' ? a : arg(a))),
});
export const field = (object: unknown, name: string) => ({ kind: 'Field', object, name: id(name) });
export const tfield = (object: unknown, index: number) => ({ kind: 'TupleField', object, index });
export const index = (object: unknown, i: unknown) => ({ kind: 'Index', object, index: i });
export const generic = (name: string, ...typeArgs: unknown[]) => ({ kind: 'GenericName', name: id(name), typeArgs });
export const exprStmt = (e: unknown) => ({ kind: 'ExprStmt', expr: e });
