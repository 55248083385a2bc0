import type {
  FieldDecl,
  FnDecl,
  Ident,
  ImplDecl,
  Item,
  Param,
  Receiver,
  StructDecl,
  UseDecl,
} from '../ast.js';
import { ParseBail } from './parser.js';
import type { Parser } from './parser.js';
import { endingWith, parseBlock } from './statements.js';
import { parseType, parseTypeParams } from './types.js';

/**
 * Runs `parseOne` until the end of the enclosing block, resuming at the next line after an
 * error. Shared by the module top level and the bodies of `struct` and `impl`.
 */
function parseRecovering(p: Parser, parseOne: () => void): void {
  while (!p.at('Dedent') && !p.at('EOF') && !p.bag.isFull) {
    if (p.at('Indent')) {
      p.report(p.advance().span, 'unexpected indent');
      parseRecovering(p, parseOne);
      p.eat('Dedent');
      continue;
    }
    const before = p.peek();
    try {
      parseOne();
    } catch (e) {
      if (!(e instanceof ParseBail)) throw e;
      p.recoverLine();
      if (p.peek() === before) p.advance();
    }
  }
}

/** `:` NEWLINE INDENT members DEDENT, with the `:` already consumed. */
function parseMemberBlock(p: Parser, what: string, parseOne: () => void): void {
  if (!p.eat('Newline')) p.failExpected("end of line after ':'");
  if (!p.at('Indent')) {
    p.report(p.errorSpan(), `expected an indented block of ${what}`);
    return;
  }
  p.advance();
  parseRecovering(p, parseOne);
  p.eat('Dedent');
}

function parseParams(p: Parser): Param[] {
  const params: Param[] = [];
  while (!p.at(')')) {
    const name = p.expectIdent('a parameter name');
    p.expect(':', `expected ':' and a type after the parameter '${name.name}'`);
    const type = parseType(p);
    params.push({ kind: 'Param', name, type, span: p.spanFrom(name.span.start) });
    if (!p.eat(',')) break;
  }
  if (!p.eat(')')) p.failExpected("',' or ')' in the parameter list");
  return params;
}

/** A function or method, with its `fn` / `me` keyword current; `start` includes any prefix. */
function parseFn(p: Parser, receiver: Receiver, isExtern: boolean, start: number): FnDecl {
  const kw = p.advance();
  const name = p.expectIdent(`a function name after '${kw.kind}'`);
  const typeParams = p.at('<') ? parseTypeParams(p) : [];
  p.expect('(', `expected '(' to start the parameters of '${name.name}'`);
  const params = parseParams(p);
  const returnType = p.eat('->') ? parseType(p) : null;
  if (isExtern) {
    if (p.at(':')) p.fail(p.peek().span, "an 'extern fn' has no body; the host provides it");
    const span = p.spanFrom(start);
    if (!p.eat('Newline')) p.failExpected('end of line after the extern fn declaration');
    return { kind: 'Fn', name, typeParams, params, returnType, body: null, isExtern, receiver, span };
  }
  p.expect(':', `expected ':' after the signature of '${name.name}'`);
  const body = parseBlock(p, `the signature of '${name.name}'`);
  return { kind: 'Fn', name, typeParams, params, returnType, body, isExtern, receiver, span: endingWith(start, body) };
}

function parseField(p: Parser): FieldDecl {
  const name = p.expectIdent('a field name');
  p.expect(':', `expected ':' and a type after the field '${name.name}'`);
  const type = parseType(p);
  const span = p.spanFrom(name.span.start);
  if (!p.eat('Newline')) p.failExpected('end of line after the field');
  return { kind: 'FieldDecl', name, type, span };
}

function parseStruct(p: Parser): StructDecl {
  const start = p.advance().span.start;
  const name = p.expectIdent("a struct name after 'struct'");
  const typeParams = p.at('<') ? parseTypeParams(p) : [];
  const fields: FieldDecl[] = [];
  // `struct Empty` with no colon declares a struct without fields.
  if (p.eat('Newline')) return { kind: 'Struct', name, typeParams, fields, span: p.spanFrom(start) };
  p.expect(':', `expected ':' after the name of struct '${name.name}'`);
  const header = p.spanFrom(start);
  parseMemberBlock(p, 'fields', () => fields.push(parseField(p)));
  return { kind: 'Struct', name, typeParams, fields, span: endingWith(start, fields[fields.length - 1] ?? { span: header }) };
}

function parseMethod(p: Parser): FnDecl {
  const t = p.peek();
  switch (t.kind) {
    case 'fn':
      return parseFn(p, 'fn', false, t.span.start);
    case 'me':
      return parseFn(p, 'me', false, t.span.start);
    case 'static':
      p.advance();
      if (!p.at('fn')) p.failExpected("'fn' after 'static'");
      return parseFn(p, 'static', false, t.span.start);
    case 'extern':
      return p.fail(t.span, "an 'extern fn' cannot be a method; declare it at the top level");
    default:
      return p.failExpected("a method ('fn', 'me' or 'static fn')");
  }
}

function parseImpl(p: Parser): ImplDecl {
  const start = p.advance().span.start;
  const target = p.expectIdent("a struct name after 'impl'");
  const typeParams = p.at('<') ? parseTypeParams(p) : [];
  p.expect(':', `expected ':' after 'impl ${target.name}'`);
  const header = p.spanFrom(start);
  const methods: FnDecl[] = [];
  parseMemberBlock(p, 'methods', () => methods.push(parseMethod(p)));
  return { kind: 'Impl', target, typeParams, methods, span: endingWith(start, methods[methods.length - 1] ?? { span: header }) };
}

/** `use a.b.{c, d}`, `use a.*`, or `use a.c` (shorthand for `use a.{c}`). */
function parseUse(p: Parser): UseDecl {
  const start = p.advance().span.start;
  const path: Ident[] = [p.expectIdent("a module name after 'use'")];
  let imports: UseDecl['imports'] | null = null;
  while (imports === null && p.eat('.')) {
    const t = p.peek();
    if (t.kind === '*') {
      p.advance();
      imports = { kind: 'UseAll', span: t.span };
    } else if (t.kind === '{') {
      p.advance();
      const names: Ident[] = [];
      while (!p.at('}')) {
        names.push(p.expectIdent('a name to import'));
        if (!p.eat(',')) break;
      }
      if (!p.eat('}')) p.failExpected("',' or '}' in the import list");
      if (names.length === 0) p.report(p.spanFrom(t.span.start), 'empty import list');
      imports = { kind: 'UseNames', names, span: p.spanFrom(t.span.start) };
    } else {
      path.push(p.expectIdent("a name, '{' or '*' after '.'"));
    }
  }
  if (imports === null) {
    if (path.length < 2) p.failHere("expected '.' and the names to import after the module name");
    const last = path.pop() as Ident;
    imports = { kind: 'UseNames', names: [last], span: last.span };
  }
  const span = p.spanFrom(start);
  if (!p.eat('Newline')) p.failExpected('end of line');
  return { kind: 'Use', path, imports, span };
}

function parseTopLevel(p: Parser, uses: UseDecl[], items: Item[]): void {
  const t = p.peek();
  switch (t.kind) {
    case 'use':
      uses.push(parseUse(p));
      return;
    case 'fn':
      items.push(parseFn(p, 'none', false, t.span.start));
      return;
    case 'extern':
      p.advance();
      if (!p.at('fn')) p.failExpected("'fn' after 'extern'");
      items.push(parseFn(p, 'none', true, t.span.start));
      return;
    case 'struct':
      items.push(parseStruct(p));
      return;
    case 'impl':
      items.push(parseImpl(p));
      return;
    case 'me':
    case 'static':
      return p.fail(t.span, `'${t.kind}' methods are only allowed inside an 'impl' block`);
    default:
      return p.failExpected("an item ('fn', 'struct', 'impl', 'extern fn' or 'use')");
  }
}

export function parseModuleBody(p: Parser): { uses: UseDecl[]; items: Item[] } {
  const uses: UseDecl[] = [];
  const items: Item[] = [];
  // A stray DEDENT cannot reach the top level (the lexer balances them); loop until EOF.
  while (!p.at('EOF') && !p.bag.isFull) {
    parseRecovering(p, () => parseTopLevel(p, uses, items));
    if (p.at('Dedent')) p.advance();
  }
  return { uses, items };
}
