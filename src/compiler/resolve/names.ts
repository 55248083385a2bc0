/**
 * Name resolution inside the body of a generic function (LANGUAGE.md, "Generics are
 * templates": a template's names are resolved when its module is compiled, even if nothing
 * instantiates it; only operations on type-parameter values wait for the instantiation).
 *
 * Concrete functions do not need this pass: the checker resolves their names as it types them.
 * What is checked here is exactly what does not depend on the type arguments: every name a
 * body uses is a local in scope, a module-level definition or a built-in, and every written
 * type exists.
 */
import type * as A from '../ast.js';
import type { DiagnosticBag } from '../diagnostics.js';
import { makeDiagnostic } from '../diagnostics.js';
import { allTypeParams } from '../program.js';
import type { FnDef, StructTable } from '../program.js';
import type { Span } from '../source.js';
import { builtinType, param } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import { suggestion } from './suggest.js';
import { resolveTypeExpr } from './type-expr.js';

const BUILTIN_CALLS = ['print', 'assert'];

/** Reports the unknown names and types in `fn`'s body; returns how many errors it found. */
export function resolveTemplateNames(fn: FnDef, structs: StructTable, diagnostics: DiagnosticBag): number {
  const body = fn.body;
  if (!body) return 0;
  const { decl, scope, source } = body;
  const params = new Map<string, Type>(allTypeParams(fn).map((p) => [p, param(p)]));
  const locals: Array<Set<string>> = [new Set(fn.params.map((p) => p.name))];
  if (fn.receiver === 'fn' || fn.receiver === 'me') locals[0].add('self');
  let errors = 0;

  const error = (span: Span, message: string): void => {
    errors++;
    diagnostics.add(makeDiagnostic('error', source, span, message));
  };
  const isLocal = (name: string): boolean => locals.some((s) => s.has(name));
  const declare = (name: string): void => void locals[locals.length - 1].add(name);
  const unknown = (name: string, span: Span): void => {
    const candidates = new Set<string>(BUILTIN_CALLS);
    for (const s of locals) for (const n of s) candidates.add(n);
    for (const [n] of scope.entries()) candidates.add(n);
    error(span, `unknown name '${name}'${suggestion(name, candidates)}`);
  };
  const type = (t: A.TypeExpr): void => void resolveTypeExpr(t, { scope, structs, params, error });
  const known = (name: string): boolean => scope.has(name) || builtinType(name) !== undefined || BUILTIN_CALLS.includes(name);

  // `self` is a `Struct<T>` whatever T is, so its members are known before any instantiation.
  const selfMember = (name: A.Ident, as: 'field' | 'method'): void => {
    const owner = fn.owner;
    if (!owner || owner.fields.some((f) => f.name === name.name) || owner.methods.has(name.name)) return;
    const names = [...owner.fields.map((f) => f.name), ...owner.methods.keys()];
    error(name.span, `struct '${owner.name}' has no ${as} '${name.name}'${suggestion(name.name, names)}`);
  };

  const block = (b: A.Block): void => {
    locals.push(new Set());
    b.statements.forEach(stmt);
    locals.pop();
  };

  const stmt = (s: A.Stmt): void => {
    switch (s.kind) {
      case 'ExprStmt':
        return expr(s.expr);
      case 'Let':
        if (s.type) type(s.type);
        expr(s.value);
        return declare(s.name.name);
      case 'Assign':
        if (s.target.kind === 'Name') {
          if (!isLocal(s.target.name) && !scope.has(s.target.name)) unknown(s.target.name, s.target.span);
        } else {
          expr(s.target);
        }
        return expr(s.value);
      case 'If':
        for (const b of s.branches) {
          expr(b.condition);
          block(b.body);
        }
        if (s.elseBody) block(s.elseBody);
        return;
      case 'While':
        expr(s.condition);
        return block(s.body);
      case 'For':
        if (s.iterable.kind === 'Range') {
          expr(s.iterable.start);
          expr(s.iterable.end);
        } else {
          expr(s.iterable);
        }
        locals.push(new Set([s.binding.name]));
        block(s.body);
        locals.pop();
        return;
      case 'Return':
        if (s.value) expr(s.value);
        return;
      case 'Break':
      case 'Continue':
        return;
    }
  };

  const expr = (e: A.Expr): void => {
    switch (e.kind) {
      case 'Int':
      case 'Float':
      case 'Bool':
      case 'Self':
      case 'Unit':
        return;
      case 'Str':
        for (const p of e.parts) if (p.kind === 'StrInterp') expr(p.expr);
        return;
      case 'Name':
        if (!isLocal(e.name) && !known(e.name)) unknown(e.name, e.span);
        return;
      case 'GenericName':
        if (!scope.has(e.name.name)) unknown(e.name.name, e.name.span);
        e.typeArgs.forEach(type);
        return;
      case 'Unary':
        return expr(e.operand);
      case 'Binary':
        expr(e.left);
        return expr(e.right);
      case 'Cast':
        expr(e.expr);
        return type(e.type);
      case 'Call':
        e.typeArgs.forEach(type);
        if (e.callee.kind === 'Field' && e.callee.object.kind === 'Self') selfMember(e.callee.name, 'method');
        else expr(e.callee);
        for (const a of e.args) expr(a.value);
        return;
      case 'Field':
        if (e.object.kind === 'Self') return selfMember(e.name, 'field');
        return expr(e.object);
      case 'TupleField':
        return expr(e.object);
      case 'Index':
        expr(e.object);
        return expr(e.index);
      case 'Array':
      case 'Tuple':
        return e.elements.forEach(expr);
    }
  };

  block(decl.body ?? { kind: 'Block', statements: [], span: decl.span });
  return errors;
}
