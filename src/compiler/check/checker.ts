/**
 * The type checker: turns one function body, with concrete type arguments, into typed IR.
 *
 * Generic code is checked per instance (LANGUAGE.md: "operations on type-parameter values are
 * checked when the template is instantiated"), so the type parameters of the function being
 * checked are always concrete here. What is inferred are the types of bindings, of `[]`, of
 * literals and the type arguments of the generics this body calls: by unification over the
 * whole body (src/types/unify.ts), then literals default (`i64`, `f64`), then the checks that
 * need final types run (operator validity, literal ranges, the instances to request).
 */
import type * as A from '../ast.js';
import type { DiagnosticBag } from '../diagnostics.js';
import type { IrBlockExpr, IrExpr, IrFunction, IrLocal, IrStmt } from '../ir.js';
import { allTypeParams } from '../program.js';
import type { FnDef, Scope, StructTable } from '../program.js';
import type { SourceFile, Span } from '../source.js';
import { resolveTypeExpr } from '../resolve/type-expr.js';
import { suggestion } from '../resolve/suggest.js';
import {
  array,
  isInteger,
  mangle,
  named,
  readableInstanceName,
  substituteParams,
  T,
  tuple,
  typeToString,
} from '../../types/index.js';
import type { Type } from '../../types/index.js';
import { CallChecker, isPrintable, structParamMap } from './calls.js';
import { Inference } from './inference.js';
import { node, unreachable } from './nodes.js';
import { zonkFunction } from './zonk.js';
import { diverges } from './flow.js';
import { checkArith, checkBinary, checkCast, checkUnary } from './operators.js';
import { noteFunctionOrigin, noteStmtLine } from '../source-lines.js';

export interface CheckContext {
  readonly structs: StructTable;
  /**
   * Called once the type arguments of a call are known (after inference); records the callee
   * as needed and returns its symbol (`max$i64`).
   */
  instance(fn: FnDef, typeArgs: readonly Type[], site: CallSite): string;
}

/** Where a call was written, so instantiation errors and note.sdn rows can point at it. */
export interface CallSite {
  readonly source: SourceFile;
  readonly span: Span;
}

interface LocalInfo {
  readonly local: IrLocal & { type: Type };
  readonly mutable: boolean;
  readonly span: Span | null;
}

export function checkFunction(
  fn: FnDef,
  typeArgs: readonly Type[],
  ctx: CheckContext,
  diagnostics: DiagnosticBag,
): IrFunction | null {
  if (!fn.body) throw new Error(`internal: ${fn.symbol} has no body to check`);
  const before = diagnostics.errorCount;
  const ir = new FunctionChecker(fn, typeArgs, ctx, diagnostics).run();
  return diagnostics.errorCount > before ? null : ir;
}

class FunctionChecker {
  private readonly source: SourceFile;
  private readonly scope: Scope;
  private readonly params: Map<string, Type>;
  private readonly inf: Inference;
  private readonly calls: CallChecker;
  private readonly locals: LocalInfo[] = [];
  private readonly env: Array<Map<string, number>> = [];
  private loopDepth = 0;
  private readonly ret: Type;

  constructor(
    private readonly fn: FnDef,
    private readonly typeArgs: readonly Type[],
    private readonly ctx: CheckContext,
    diagnostics: DiagnosticBag,
  ) {
    this.source = fn.body!.source;
    this.scope = fn.body!.scope;
    const names = allTypeParams(fn);
    if (names.length !== typeArgs.length) {
      throw new Error(`internal: ${fn.symbol} takes ${names.length} type arguments, given ${typeArgs.length}`);
    }
    this.params = new Map(names.map((n, i) => [n, typeArgs[i]]));
    this.ret = substituteParams(fn.ret, this.params);
    this.inf = new Inference(this.source, diagnostics, instanceContext(fn, typeArgs));
    this.calls = new CallChecker({
      inf: this.inf,
      ctx: this.ctx,
      scope: this.scope,
      source: this.source,
      expr: (e) => this.expr(e),
      typeExpr: (t) => this.typeExpr(t),
      isLocal: (name) => this.lookupLocal(name) !== undefined,
      didYouMean: (name) => this.didYouMean(name),
    });
  }

  run(): IrFunction {
    const decl = this.fn.body!.decl;
    this.env.push(new Map());
    const params: IrLocal[] = [];
    if (this.fn.receiver === 'fn' || this.fn.receiver === 'me') {
      const owner = this.fn.owner!;
      const selfType = named(owner.name, owner.typeParams.map((p) => this.params.get(p)!));
      params.push(this.declareLocal('self', selfType, false, null));
    }
    for (const p of this.fn.params) {
      const spanOf = decl.params.find((q) => q.name.name === p.name)?.name.span ?? null;
      params.push(this.declareLocal(p.name, substituteParams(p.type, this.params), false, spanOf));
    }
    let body: IrStmt[];
    if (this.ret.kind === 'unit') {
      body = this.stmts(decl.body!.statements);
    } else {
      const block = this.valueBlock(decl.body!, this.ret);
      body = [...block.stmts];
      if (block.result.kind !== 'unreachable') {
        const ret: IrStmt = { kind: 'return', value: block.result };
        const last = decl.body!.statements[decl.body!.statements.length - 1];
        if (last) noteStmtLine(ret, this.source.lineOf(last.span.start));
        body.push(ret);
      }
    }
    this.env.pop();
    this.inf.finish(this.locals);
    this.inf.flushErrors();
    const ir: IrFunction = {
      symbol: mangle(this.fn.symbol, this.typeArgs),
      displayName: readableInstanceName(this.fn.symbol, this.typeArgs),
      params,
      ret: this.ret,
      locals: this.locals.map((l) => l.local),
      body,
    };
    zonkFunction(ir, this.inf.subst);
    noteFunctionOrigin(ir, { file: this.source.path, line: this.source.lineOf(decl.span.start) });
    return ir;
  }

  // ---------------------------------------------------------------------------------------------
  // Locals and spans

  private declareLocal(name: string, type: Type, mutable: boolean, span: Span | null): IrLocal {
    const local = { id: this.locals.length, name, type };
    this.locals.push({ local, mutable, span });
    this.env[this.env.length - 1].set(name, local.id);
    return local;
  }

  private temp(type: Type): IrLocal {
    const local = { id: this.locals.length, name: `$t${this.locals.length}`, type };
    this.locals.push({ local, mutable: true, span: null });
    return local;
  }

  /** A `; did you mean 'x'?` hint from the locals in scope, module-level names and built-ins. */
  private didYouMean(name: string): string {
    const candidates = new Set<string>(['print', 'assert']);
    for (const scope of this.env) for (const n of scope.keys()) if (!n.startsWith('$')) candidates.add(n);
    for (const [n] of this.scope.entries()) candidates.add(n);
    return suggestion(name, [...candidates]);
  }

  private lookupLocal(name: string): LocalInfo | undefined {
    for (let i = this.env.length - 1; i >= 0; i--) {
      const id = this.env[i].get(name);
      if (id !== undefined) return this.locals[id];
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private stmts(list: readonly A.Stmt[]): IrStmt[] {
    const out: IrStmt[] = [];
    for (const s of list) this.stmt(s, out);
    return out;
  }

  private block(b: A.Block): IrStmt[] {
    this.env.push(new Map());
    const out = this.stmts(b.statements);
    this.env.pop();
    return out;
  }

  private stmt(s: A.Stmt, out: IrStmt[]): void {
    const first = out.length;
    this.stmtKind(s, out);
    const line = this.source.lineOf(s.span.start);
    for (let i = first; i < out.length; i++) noteStmtLine(out[i], line);
  }

  private stmtKind(s: A.Stmt, out: IrStmt[]): void {
    switch (s.kind) {
      case 'ExprStmt':
        out.push({ kind: 'expr', expr: this.expr(s.expr) });
        return;
      case 'Let': {
        const value = this.expr(s.value);
        let type = value.type;
        if (s.type) {
          type = this.typeExpr(s.type);
          this.inf.expect(value.type, type, s.value.span, `the value of '${s.name.name}'`);
        }
        const local = this.declareLocal(s.name.name, type, s.mutable, s.name.span);
        out.push({ kind: 'let', local: local.id, value });
        return;
      }
      case 'Assign':
        this.assign(s, out);
        return;
      case 'If':
        out.push(this.ifStmt(s, 0));
        return;
      case 'While': {
        const cond = this.condition(s.condition);
        this.loopDepth++;
        const body = this.block(s.body);
        this.loopDepth--;
        out.push({ kind: 'while', cond, body });
        return;
      }
      case 'For':
        out.push(this.forStmt(s));
        return;
      case 'Break':
      case 'Continue':
        if (this.loopDepth === 0) this.inf.error(s.span, `'${s.kind.toLowerCase()}' outside of a loop`);
        out.push({ kind: s.kind === 'Break' ? 'break' : 'continue' });
        return;
      case 'Return': {
        if (s.value) {
          const value = this.expr(s.value);
          if (this.ret.kind === 'unit') this.inf.error(s.value.span, `this function returns nothing, but a value is returned`);
          else this.inf.expect(value.type, this.ret, s.value.span, 'return value');
          out.push({ kind: 'return', value: this.ret.kind === 'unit' ? null : value });
        } else {
          if (this.ret.kind !== 'unit') this.inf.error(s.span, `this function must return a value of type ${this.inf.show(this.ret)}`);
          out.push({ kind: 'return', value: null });
        }
        return;
      }
    }
  }

  private condition(e: A.Expr): IrExpr {
    const c = this.expr(e);
    this.inf.expect(c.type, T.bool, e.span, 'condition');
    return c;
  }

  private ifStmt(s: A.IfStmt, from: number): IrStmt {
    const branch = s.branches[from];
    const cond = this.condition(branch.condition);
    const then = this.block(branch.body);
    let otherwise: IrStmt[] = [];
    if (from + 1 < s.branches.length) otherwise = [this.ifStmt(s, from + 1)];
    else if (s.elseBody) otherwise = this.block(s.elseBody);
    return { kind: 'if', cond, then, else: otherwise };
  }

  private forStmt(s: A.ForStmt): IrStmt {
    this.env.push(new Map());
    let result: IrStmt;
    if (s.iterable.kind === 'Range') {
      const start = this.expr(s.iterable.start);
      const end = this.expr(s.iterable.end);
      this.inf.expect(end.type, start.type, s.iterable.end.span, 'range end');
      this.inf.later(start.type, (t) => {
        if (!isInteger(t)) this.inf.error(s.iterable.span, `a range needs integer bounds, found ${this.inf.show(t)}`);
      });
      const local = this.declareLocal(s.binding.name, start.type, false, s.binding.span);
      this.loopDepth++;
      const body = this.block(s.body);
      this.loopDepth--;
      result = { kind: 'forRange', local: local.id, start, end, inclusive: s.iterable.inclusive, body };
    } else {
      const iterable = this.expr(s.iterable);
      const elem = this.inf.fresh();
      this.inf.expect(iterable.type, array(elem), s.iterable.span, `'for' iterates over an array`);
      const local = this.declareLocal(s.binding.name, elem, false, s.binding.span);
      this.loopDepth++;
      const body = this.block(s.body);
      this.loopDepth--;
      result = { kind: 'forEach', local: local.id, array: iterable, elemType: elem, body };
    }
    this.env.pop();
    return result;
  }

  private assign(s: A.AssignStmt, out: IrStmt[]): void {
    const op = s.op === '=' ? null : (s.op.slice(0, 1) as '+' | '-' | '*' | '/' | '%');
    const target = s.target;
    const combine = (current: IrExpr, type: Type): IrExpr => {
      const value = this.expr(s.value);
      this.inf.expect(value.type, type, s.value.span, 'assigned value');
      if (!op) return value;
      return checkArith(this.inf, op, current, value, s.span);
    };
    if (target.kind === 'Name') {
      const info = this.lookupLocal(target.name);
      if (!info) {
        this.inf.error(target.span, this.scope.lookup(target.name) ? `cannot assign to '${target.name}'` : `unknown name '${target.name}'${this.didYouMean(target.name)}`);
        this.expr(s.value);
        return;
      }
      if (!info.mutable) {
        this.inf.error(target.span, `cannot assign to '${target.name}': it is not declared with 'var'`);
      }
      const current = node({ kind: 'local', local: info.local.id, type: info.local.type });
      const value = combine(current, info.local.type);
      out.push({ kind: 'expr', expr: node({ kind: 'assign', local: info.local.id, value, type: T.unit }) });
      return;
    }
    if (target.kind === 'Field') {
      if (target.object.kind === 'Self' && this.fn.receiver === 'fn') {
        this.inf.error(target.span, `cannot assign to a field of 'self' in a 'fn' method; declare the method with 'me'`);
      }
      const object = this.stable(this.expr(target.object), out);
      const field = this.fieldOf(object, target.name, target.span);
      if (!field) {
        this.expr(s.value);
        return;
      }
      const current = node({ kind: 'getField', object, objectType: object.type, field: field.index, type: field.type });
      const value = combine(current, field.type);
      out.push({ kind: 'setField', object, objectType: object.type, field: field.index, value });
      return;
    }
    // Index
    const arr = this.stable(this.expr(target.object), out);
    const elem = this.inf.fresh();
    const arrType = this.inf.receiverType(arr.type);
    if (arrType.kind !== 'var' && arrType.kind !== 'array') {
      this.inf.error(target.object.span, `cannot assign to an element of a value of type ${this.inf.show(arrType)}; only array elements can be assigned`);
      this.expr(s.value);
      return;
    }
    if (!this.inf.expect(arr.type, array(elem), target.object.span, 'only array elements can be assigned')) {
      this.expr(s.value);
      return;
    }
    const index = this.stable(this.indexValue(target.index), out);
    const current = node({ kind: 'index', array: arr, index, type: elem });
    const value = combine(current, elem);
    out.push({ kind: 'setIndex', array: arr, elemType: elem, index, value });
  }

  /** Evaluates `e` once into a temporary when it is not already a plain local. */
  private stable(e: IrExpr, out: IrStmt[]): IrExpr {
    if (e.kind === 'local' || e.kind === 'int' || e.kind === 'bool') return e;
    const t = this.temp(e.type);
    out.push({ kind: 'let', local: t.id, value: e });
    return node({ kind: 'local', local: t.id, type: e.type });
  }

  // ---------------------------------------------------------------------------------------------
  // Blocks that yield a value

  /** A block whose last statement gives its value (LANGUAGE.md: the last expression is the result). */
  private valueBlock(b: A.Block, expected: Type): IrBlockExpr {
    this.env.push(new Map());
    const stmts: IrStmt[] = [];
    const list = b.statements;
    for (let i = 0; i < list.length - 1; i++) this.stmt(list[i], stmts);
    const last = list[list.length - 1];
    let result: IrExpr;
    if (!last) {
      this.inf.error(b.span, `expected a value of type ${this.inf.show(expected)}`);
      result = unreachable(expected);
    } else if (last.kind === 'ExprStmt') {
      result = this.expr(last.expr);
      this.inf.expect(result.type, expected, last.expr.span);
    } else if (last.kind === 'If' && last.elseBody && !diverges(last)) {
      result = this.ifValue(last, 0, expected);
    } else {
      this.stmt(last, stmts);
      if (!diverges(last)) {
        this.inf.error(last.span, `expected this block to end with a value of type ${this.inf.show(expected)}`);
      }
      result = unreachable(expected);
    }
    this.env.pop();
    return { stmts, result };
  }

  private ifValue(s: A.IfStmt, from: number, expected: Type): IrExpr {
    const branch = s.branches[from];
    const cond = this.condition(branch.condition);
    const then = this.valueBlock(branch.body, expected);
    const otherwise =
      from + 1 < s.branches.length
        ? { stmts: [], result: this.ifValue(s, from + 1, expected) }
        : this.valueBlock(s.elseBody!, expected);
    return node({ kind: 'ifExpr', cond, then, else: otherwise, type: expected });
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private typeExpr(t: A.TypeExpr): Type {
    return resolveTypeExpr(t, {
      scope: this.scope,
      structs: this.ctx.structs,
      params: this.params,
      error: (span, message) => this.inf.error(span, message),
      errorType: () => this.inf.errorType(),
    });
  }

  private expr(e: A.Expr): IrExpr {
    switch (e.kind) {
      case 'Int':
        return node(this.inf.intLiteral(e.value, e.span));
      case 'Float':
        return node(this.inf.floatLiteral(e.value, e.span));
      case 'Bool':
        return node({ kind: 'bool', value: e.value, type: T.bool });
      case 'Str':
        return this.string(e);
      case 'Unit':
        return node({ kind: 'unit', type: T.unit });
      case 'Name':
        return this.name(e);
      case 'Self': {
        const self = this.lookupLocal('self');
        if (!self || (this.fn.receiver !== 'fn' && this.fn.receiver !== 'me')) {
          this.inf.error(e.span, `'self' is only available in 'fn' and 'me' methods`);
          return unreachable(this.inf.errorType());
        }
        return node({ kind: 'local', local: self.local.id, type: self.local.type });
      }
      case 'GenericName':
        this.inf.error(e.span, `'${e.name.name}<…>' is a type; call a static method on it, as in '${e.name.name}<…>.new()'`);
        return unreachable(this.inf.errorType());
      case 'Unary':
        return this.unary(e);
      case 'Binary':
        return this.binary(e);
      case 'Cast':
        return this.cast(e);
      case 'Call':
        return this.calls.call(e);
      case 'Field':
        return this.field(e);
      case 'TupleField': {
        const object = this.expr(e.object);
        const t = this.inf.receiverType(object.type);
        if (t.kind !== 'tuple') {
          if (!this.inf.isPoisoned(t)) this.inf.error(e.span, t.kind === 'var' ? `the type of this value must be known here` : `${this.inf.show(t)} is not a tuple`);
          return unreachable(this.inf.errorType());
        }
        if (e.index >= t.elems.length) {
          this.inf.error(e.span, `tuple ${this.inf.show(t)} has no field ${e.index}`);
          return unreachable(this.inf.errorType());
        }
        return node({ kind: 'getField', object, objectType: t, field: e.index, type: t.elems[e.index] });
      }
      case 'Index':
        return this.index(e);
      case 'Array': {
        const elem = this.inf.fresh();
        const elems = e.elements.map((x) => {
          const v = this.expr(x);
          this.inf.expect(v.type, elem, x.span, 'array element');
          return v;
        });
        if (e.elements.length === 0) this.inf.emptyArray(elem, e.span);
        return node({ kind: 'newArray', elemType: elem, elems, type: array(elem) });
      }
      case 'Tuple': {
        const elems = e.elements.map((x) => this.expr(x));
        return node({ kind: 'newTuple', elems, type: tuple(elems.map((x) => x.type)) });
      }
    }
  }

  private string(e: A.StrLit): IrExpr {
    if (e.parts.every((p) => p.kind === 'StrText')) {
      const value = e.parts.map((p) => (p as A.StrText).value).join('');
      return node({ kind: 'text', value, type: T.text });
    }
    const parts = e.parts.map((p) => {
      if (p.kind === 'StrText') return node({ kind: 'text', value: p.value, type: T.text });
      const v = this.expr(p.expr);
      this.inf.later(v.type, (t) => {
        if (!isPrintable(t)) this.inf.error(p.span, `cannot put a value of type ${this.inf.show(t)} into text`);
      });
      return v;
    });
    return node({ kind: 'interpolate', parts, type: T.text });
  }

  private name(e: A.NameExpr): IrExpr {
    const local = this.lookupLocal(e.name);
    if (local) return node({ kind: 'local', local: local.local.id, type: local.local.type });
    const def = this.scope.lookup(e.name);
    if (def?.kind === 'fn') this.inf.error(e.span, `'${e.name}' is a function; call it with '${e.name}(…)'`);
    else if (def?.kind === 'struct') this.inf.error(e.span, `'${e.name}' is a struct; construct one with '${e.name}(field: value, …)'`);
    else this.inf.error(e.span, `unknown name '${e.name}'${this.didYouMean(e.name)}`);
    return unreachable(this.inf.errorType());
  }

  private unary(e: A.UnaryExpr): IrExpr {
    return checkUnary(this.inf, e, this.expr(e.operand));
  }

  private binary(e: A.BinaryExpr): IrExpr {
    const left = this.expr(e.left);
    return checkBinary(this.inf, e, left, this.expr(e.right));
  }

  private cast(e: A.CastExpr): IrExpr {
    return checkCast(this.inf, e, this.expr(e.expr), this.typeExpr(e.type));
  }

  private field(e: A.FieldExpr): IrExpr {
    if (e.object.kind === 'Name' && !this.lookupLocal(e.object.name) && this.scope.lookup(e.object.name)?.kind === 'struct') {
      this.inf.error(e.span, `'${e.object.name}.${e.name.name}' is a static method; call it with '(…)'`);
      return unreachable(this.inf.errorType());
    }
    const object = this.expr(e.object);
    const f = this.fieldOf(object, e.name, e.span);
    if (!f) return unreachable(this.inf.errorType());
    return node({ kind: 'getField', object, objectType: object.type, field: f.index, type: f.type });
  }

  private fieldOf(object: IrExpr, name: A.Ident, span: Span): { index: number; type: Type } | null {
    const t = this.inf.receiverType(object.type);
    if (t.kind === 'var') {
      if (!this.inf.isPoisoned(t)) this.inf.error(span, `the type of this value must be known before '.${name.name}'; add a type annotation`);
      return null;
    }
    const struct = t.kind === 'named' ? this.ctx.structs.struct(t.name) : undefined;
    if (!struct || t.kind !== 'named') {
      this.inf.error(name.span, `${this.inf.show(t)} has no field '${name.name}'`);
      return null;
    }
    const index = struct.fields.findIndex((f) => f.name === name.name);
    if (index < 0) {
      const hint = struct.methods.has(name.name) ? `; '${name.name}' is a method, call it with '(…)'` : '';
      this.inf.error(name.span, `struct '${struct.name}' has no field '${name.name}'${hint || suggestion(name.name, struct.fields.map((f) => f.name))}`);
      return null;
    }
    return { index, type: substituteParams(struct.fields[index].type, structParamMap(struct, t.args)) };
  }

  private indexValue(e: A.Expr): IrExpr {
    const index = this.expr(e);
    this.inf.later(index.type, (t) => {
      if (!isInteger(t)) this.inf.error(e.span, `an index must be an integer, found ${this.inf.show(t)}`);
    });
    return index;
  }

  private index(e: A.IndexExpr): IrExpr {
    const object = this.expr(e.object);
    const t = this.inf.receiverType(object.type);
    if (t.kind === 'simd') {
      if (e.index.kind !== 'Int' || e.index.value >= BigInt(t.lanes)) {
        this.inf.error(e.index.span, `a lane of ${this.inf.show(t)} is selected by a constant from 0 to ${t.lanes - 1}`);
        return unreachable(t.elem);
      }
      return node({ kind: 'simdLane', vector: object, lane: Number(e.index.value), type: t.elem });
    }
    const elem = this.inf.fresh();
    if (t.kind !== 'var' && t.kind !== 'array') {
      this.inf.error(e.object.span, `cannot index a value of type ${this.inf.show(t)}; only arrays and SIMD vectors can be indexed`);
      this.expr(e.index);
      return unreachable(elem);
    }
    if (!this.inf.expect(object.type, array(elem), e.object.span, 'only arrays and SIMD vectors can be indexed')) {
      return unreachable(elem);
    }
    const index = this.indexValue(e.index);
    return node({ kind: 'index', array: object, index, type: elem });
  }
}

/** Errors inside an instance of a template name the template and its type arguments. */
function instanceContext(fn: FnDef, typeArgs: readonly Type[]): string {
  const names = allTypeParams(fn);
  if (names.length === 0) return '';
  const args = names.map((n, i) => `${n} = ${typeToString(typeArgs[i])}`).join(', ');
  return `in '${fn.symbol}<${names.join(', ')}>' with ${args}: `;
}
