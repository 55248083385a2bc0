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
import { makeDiagnostic } from '../diagnostics.js';
import type { IrBlockExpr, IrExpr, IrFunction, IrLocal, IrSpan, IrStmt } from '../ir.js';
import { allTypeParams } from '../program.js';
import type { FnDef, Scope, StructDef, StructTable } from '../program.js';
import type { SourceFile, Span } from '../source.js';
import { resolveTypeExpr } from '../resolve/type-expr.js';
import { suggestion } from '../resolve/suggest.js';
import {
  array,
  builtinType,
  containsVars,
  freeVars,
  isFloat,
  isInteger,
  isNumeric,
  mangle,
  mapChildren,
  named,
  readableInstanceName,
  substituteParams,
  Substitution,
  T,
  tryUnify,
  tuple,
  TypeVarSupply,
  typeToString,
} from '../../types/index.js';
import type { Type } from '../../types/index.js';
import { zonkFunction } from './zonk.js';

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

type MutExpr = { type: Type; kind: string; [k: string]: unknown };

interface LocalInfo {
  readonly local: IrLocal & { type: Type };
  readonly mutable: boolean;
  readonly span: Span | null;
}

const SIMD_NAMES = new Set(['f32x4', 'i32x4', 'f64x2', 'i64x2']);

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
  private readonly subst = new Substitution();
  private readonly supply = new TypeVarSupply();
  private readonly locals: LocalInfo[] = [];
  private readonly env: Array<Map<string, number>> = [];
  /** `negated`: the literal is the operand of a unary minus, so a signed type's MIN fits. */
  private readonly intLits: Array<{ id: number; node: MutExpr; span: Span; negated: boolean }> = [];
  private readonly floatLits: Array<{ id: number; span: Span }> = [];
  private readonly deferred: Array<() => void> = [];
  private readonly emptyArrays: Array<{ elem: Type; span: Span }> = [];
  private loopDepth = 0;
  private readonly ret: Type;

  constructor(
    private readonly fn: FnDef,
    private readonly typeArgs: readonly Type[],
    private readonly ctx: CheckContext,
    private readonly diagnostics: DiagnosticBag,
  ) {
    this.source = fn.body!.source;
    this.scope = fn.body!.scope;
    const names = allTypeParams(fn);
    if (names.length !== typeArgs.length) {
      throw new Error(`internal: ${fn.symbol} takes ${names.length} type arguments, given ${typeArgs.length}`);
    }
    this.params = new Map(names.map((n, i) => [n, typeArgs[i]]));
    this.ret = substituteParams(fn.ret, this.params);
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
      if (block.result.kind !== 'unreachable') body.push({ kind: 'return', value: block.result });
    }
    this.env.pop();
    this.finish();
    this.flushErrors();
    const ir: IrFunction = {
      symbol: mangle(this.fn.symbol, this.typeArgs),
      displayName: readableInstanceName(this.fn.symbol, this.typeArgs),
      params,
      ret: this.ret,
      locals: this.locals.map((l) => l.local),
      body,
      span: this.irSpan(decl.name.span),
    };
    zonkFunction(ir, this.subst);
    return ir;
  }

  // ---------------------------------------------------------------------------------------------
  // Inference bookkeeping

  /**
   * Errors wait here until the body is checked, then go out in source order: some checks run
   * only once inference is done and would otherwise be reported after later lines' errors.
   */
  private readonly errors: Array<{ span: Span | null; message: string }> = [];

  private error(span: Span | null, message: string): void {
    this.errors.push({ span, message: this.instanceContext + message });
  }

  /** Errors inside an instance of a template name the template and its type arguments. */
  private get instanceContext(): string {
    const names = allTypeParams(this.fn);
    if (names.length === 0) return '';
    const args = names.map((n, i) => `${n} = ${typeToString(this.typeArgs[i])}`).join(', ');
    return `in '${this.fn.symbol}<${names.join(', ')}>' with ${args}: `;
  }

  private flushErrors(): void {
    const at = (s: Span | null): number => (s ? s.start : -1);
    const sorted = this.errors.map((e, i) => ({ ...e, i })).sort((a, b) => at(a.span) - at(b.span) || a.i - b.i);
    for (const e of sorted) this.diagnostics.add(makeDiagnostic('error', this.source, e.span, e.message));
    this.errors.length = 0;
  }

  private irSpan(span: Span): IrSpan {
    const { line, col } = this.source.lineCol(span.start);
    return { file: this.source.path, line, col };
  }

  /** A type for a message: what is still unknown shows as `_`, or `{integer}` / `{float}` for a literal's. */
  private show(t: Type): string {
    const open = (x: Type): Type => {
      if (x.kind !== 'var') return mapChildren(x, open);
      const kind = this.literalKind(x.id);
      return named(kind === 'int' ? '{integer}' : kind === 'float' ? '{float}' : '_');
    };
    return `'${typeToString(open(this.subst.apply(t)))}'`;
  }

  /** Unifies and reports a mismatch at `span`; returns whether they fit. */
  private expect(actual: Type, expected: Type, span: Span, context?: string): boolean {
    const what = context ? `${context}: ` : '';
    const clash = this.literalClash(actual, expected);
    if (clash) {
      this.error(span, `${what}mismatched types: expected ${clash.expected}, found ${clash.found}`);
      return false;
    }
    const failure = tryUnify(actual, expected, this.subst);
    if (!failure) return true;
    this.error(span, `${what}mismatched types: expected ${this.show(expected)}, found ${this.show(actual)}`);
    return false;
  }

  /**
   * A literal's type stays open until the body is checked, so unifying it with `text` would
   * succeed and the error would surface later, at the literal. Caught here, it is reported
   * where the two meet: `xs.push("a")` on `[1, 2]` is wrong at the push, not at the `1`.
   */
  private literalClash(actual: Type, expected: Type): { expected: string; found: string } | null {
    const a = this.resolved(actual);
    const e = this.resolved(expected);
    const fits = (kind: 'int' | 'float', t: Type): boolean => (kind === 'int' ? isNumeric(t) : isFloat(t));
    const name = (kind: 'int' | 'float'): string => (kind === 'int' ? 'an integer' : 'a float');
    if (a.kind === 'var' && e.kind !== 'var') {
      const kind = this.literalKind(a.id);
      if (kind && !fits(kind, e)) return { expected: this.show(e), found: name(kind) };
    } else if (e.kind === 'var' && a.kind !== 'var') {
      const kind = this.literalKind(e.id);
      if (kind && !fits(kind, a)) return { expected: name(kind), found: this.show(a) };
    }
    return null;
  }

  /** Whether the (root) type variable `id` is the still-open type of a number literal. */
  private literalKind(id: number): 'int' | 'float' | null {
    const same = (lit: number): boolean => {
      const r = this.resolved({ kind: 'var', id: lit });
      return r.kind === 'var' && r.id === id;
    };
    if (this.floatLits.some((l) => same(l.id))) return 'float';
    if (this.intLits.some((l) => same(l.id))) return 'int';
    return null;
  }

  private resolved(t: Type): Type {
    return this.subst.resolve(t);
  }

  /**
   * The type of a value about to be looked into (`.field`, `.method()`, `.0`). A literal's type
   * is still open at this point; it gets its default now, so `3.x` says what `3` is.
   */
  private receiverType(t: Type): Type {
    const r = this.resolved(t);
    if (r.kind !== 'var') return r;
    const kind = this.literalKind(r.id);
    if (kind) tryUnify(r, kind === 'float' ? T.f64 : T.i64, this.subst);
    return this.resolved(r);
  }

  private fresh(): Type {
    return this.supply.fresh();
  }

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

  /** After the body: default literals, run the checks that need final types, find unknowns. */
  private finish(): void {
    // Floats default first: in `2.0 * 3` both literals share one type, which must become f64.
    for (const lit of this.floatLits) {
      const t = this.resolved({ kind: 'var', id: lit.id });
      if (t.kind === 'var') tryUnify(t, T.f64, this.subst);
      else if (!isFloat(t)) this.error(lit.span, `mismatched types: expected ${this.show(t)}, found a float literal`);
    }
    for (const lit of this.intLits) {
      const t = this.resolved({ kind: 'var', id: lit.id });
      if (t.kind === 'var') tryUnify(t, T.i64, this.subst);
    }
    for (const lit of this.intLits) this.checkIntLiteral(lit.node, lit.span, lit.negated);
    for (const run of this.deferred) run();
    const reported = new Set<number>();
    for (const { local, span } of this.locals) {
      const t = this.subst.apply(local.type);
      if (containsVars(t)) {
        freeVars(t, reported);
        this.error(
          span,
          `cannot infer the type of '${local.name}' (it is ${this.show(local.type)}); add a type annotation`,
        );
      }
    }
    // A `[]` that is never bound to a name: its element type has to come from somewhere too.
    for (const { elem, span } of this.emptyArrays) {
      const vars = freeVars(this.subst.apply(elem));
      if (vars.size === 0 || [...vars].some((v) => reported.has(v))) continue;
      vars.forEach((v) => reported.add(v));
      this.error(span, `cannot infer the element type of this empty array; give it a type, as in 'val xs: [i64] = []'`);
    }
  }

  private checkIntLiteral(node: MutExpr, span: Span, negated: boolean): void {
    const t = this.subst.apply(node.type);
    const value = node.value as bigint;
    if (isFloat(t)) return;
    if (t.kind !== 'int') {
      if (t.kind !== 'var') this.error(span, `mismatched types: expected ${this.show(t)}, found an integer literal`);
      return;
    }
    const max = t.signed ? (1n << BigInt(t.bits - 1)) - (negated ? 0n : 1n) : (1n << BigInt(t.bits)) - 1n;
    if (value > max) {
      const min = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
      const hi = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : max;
      this.error(span, `literal ${negated ? '-' : ''}${value} does not fit in ${typeToString(t)} (${min} to ${hi})`);
    }
  }

  /** Runs `check` on the final type of `t` after inference, unless inference left it unknown. */
  private later(t: Type, check: (final: Type) => void): void {
    this.deferred.push(() => {
      const final = this.subst.apply(t);
      if (!containsVars(final)) check(final);
    });
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
    switch (s.kind) {
      case 'ExprStmt':
        out.push({ kind: 'expr', expr: this.expr(s.expr) });
        return;
      case 'Let': {
        const value = this.expr(s.value);
        let type = value.type;
        if (s.type) {
          type = this.typeExpr(s.type);
          this.expect(value.type, type, s.value.span, `the value of '${s.name.name}'`);
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
        if (this.loopDepth === 0) this.error(s.span, `'${s.kind.toLowerCase()}' outside of a loop`);
        out.push({ kind: s.kind === 'Break' ? 'break' : 'continue' });
        return;
      case 'Return': {
        if (s.value) {
          const value = this.expr(s.value);
          if (this.ret.kind === 'unit') this.error(s.value.span, `this function returns nothing, but a value is returned`);
          else this.expect(value.type, this.ret, s.value.span, 'return value');
          out.push({ kind: 'return', value: this.ret.kind === 'unit' ? null : value });
        } else {
          if (this.ret.kind !== 'unit') this.error(s.span, `this function must return a value of type ${this.show(this.ret)}`);
          out.push({ kind: 'return', value: null });
        }
        return;
      }
    }
  }

  private condition(e: A.Expr): IrExpr {
    const c = this.expr(e);
    this.expect(c.type, T.bool, e.span, 'condition');
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
      this.expect(end.type, start.type, s.iterable.end.span, 'range end');
      this.later(start.type, (t) => {
        if (!isInteger(t)) this.error(s.iterable.span, `a range needs integer bounds, found ${this.show(t)}`);
      });
      const local = this.declareLocal(s.binding.name, start.type, false, s.binding.span);
      this.loopDepth++;
      const body = this.block(s.body);
      this.loopDepth--;
      result = { kind: 'forRange', local: local.id, start, end, inclusive: s.iterable.inclusive, body };
    } else {
      const iterable = this.expr(s.iterable);
      const elem = this.fresh();
      this.expect(iterable.type, array(elem), s.iterable.span, `'for' iterates over an array`);
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
      this.expect(value.type, type, s.value.span, 'assigned value');
      if (!op) return value;
      return this.arith(op, current, value, s.span);
    };
    if (target.kind === 'Name') {
      const info = this.lookupLocal(target.name);
      if (!info) {
        this.error(target.span, this.scope.lookup(target.name) ? `cannot assign to '${target.name}'` : `unknown name '${target.name}'${this.didYouMean(target.name)}`);
        this.expr(s.value);
        return;
      }
      if (!info.mutable) {
        this.error(target.span, `cannot assign to '${target.name}': it is not declared with 'var'`);
      }
      const current = this.node({ kind: 'local', local: info.local.id, type: info.local.type });
      const value = combine(current, info.local.type);
      out.push({ kind: 'expr', expr: this.node({ kind: 'assign', local: info.local.id, value, type: T.unit }) });
      return;
    }
    if (target.kind === 'Field') {
      if (target.object.kind === 'Self' && this.fn.receiver === 'fn') {
        this.error(target.span, `cannot assign to a field of 'self' in a 'fn' method; declare the method with 'me'`);
      }
      const object = this.stable(this.expr(target.object), out);
      const field = this.fieldOf(object, target.name, target.span);
      if (!field) {
        this.expr(s.value);
        return;
      }
      const current = this.node({ kind: 'getField', object, objectType: object.type, field: field.index, type: field.type });
      const value = combine(current, field.type);
      out.push({ kind: 'setField', object, objectType: object.type, field: field.index, value });
      return;
    }
    // Index
    const arr = this.stable(this.expr(target.object), out);
    const elem = this.fresh();
    const arrType = this.receiverType(arr.type);
    if (arrType.kind !== 'var' && arrType.kind !== 'array') {
      this.error(target.object.span, `cannot assign to an element of a value of type ${this.show(arrType)}; only array elements can be assigned`);
      this.expr(s.value);
      return;
    }
    if (!this.expect(arr.type, array(elem), target.object.span, 'only array elements can be assigned')) {
      this.expr(s.value);
      return;
    }
    const index = this.stable(this.indexValue(target.index), out);
    const span = this.irSpan(target.span);
    const current = this.node({ kind: 'index', array: arr, index, span, type: elem });
    const value = combine(current, elem);
    out.push({ kind: 'setIndex', array: arr, elemType: elem, index, value, span });
  }

  /** Evaluates `e` once into a temporary when it is not already a plain local. */
  private stable(e: IrExpr, out: IrStmt[]): IrExpr {
    if (e.kind === 'local' || e.kind === 'int' || e.kind === 'bool') return e;
    const t = this.temp(e.type);
    out.push({ kind: 'let', local: t.id, value: e });
    return this.node({ kind: 'local', local: t.id, type: e.type });
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
      this.error(b.span, `expected a value of type ${this.show(expected)}`);
      result = this.unreachable(expected);
    } else if (last.kind === 'ExprStmt') {
      result = this.expr(last.expr);
      this.expect(result.type, expected, last.expr.span);
    } else if (last.kind === 'If' && last.elseBody && !diverges(last)) {
      result = this.ifValue(last, 0, expected);
    } else {
      this.stmt(last, stmts);
      if (!diverges(last)) {
        this.error(last.span, `expected this block to end with a value of type ${this.show(expected)}`);
      }
      result = this.unreachable(expected);
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
    return this.node({ kind: 'ifExpr', cond, then, else: otherwise, type: expected });
  }

  private unreachable(type: Type): IrExpr {
    return this.node({ kind: 'unreachable', type });
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private node(n: MutExpr): IrExpr {
    return n as unknown as IrExpr;
  }

  private typeExpr(t: A.TypeExpr): Type {
    return resolveTypeExpr(t, {
      scope: this.scope,
      structs: this.ctx.structs,
      params: this.params,
      error: (span, message) => this.error(span, message),
    });
  }

  private expr(e: A.Expr): IrExpr {
    switch (e.kind) {
      case 'Int': {
        const v = this.supply.fresh();
        const node: MutExpr = { kind: 'int', value: e.value, type: v };
        this.intLits.push({ id: v.id, node, span: e.span, negated: false });
        return this.node(node);
      }
      case 'Float': {
        const v = this.supply.fresh();
        this.floatLits.push({ id: v.id, span: e.span });
        return this.node({ kind: 'float', value: e.value, type: v });
      }
      case 'Bool':
        return this.node({ kind: 'bool', value: e.value, type: T.bool });
      case 'Str':
        return this.string(e);
      case 'Unit':
        return this.node({ kind: 'unit', type: T.unit });
      case 'Name':
        return this.name(e);
      case 'Self': {
        const self = this.lookupLocal('self');
        if (!self || (this.fn.receiver !== 'fn' && this.fn.receiver !== 'me')) {
          this.error(e.span, `'self' is only available in 'fn' and 'me' methods`);
          return this.unreachable(this.fresh());
        }
        return this.node({ kind: 'local', local: self.local.id, type: self.local.type });
      }
      case 'GenericName':
        this.error(e.span, `'${e.name.name}<…>' is a type; call a static method on it, as in '${e.name.name}<…>.new()'`);
        return this.unreachable(this.fresh());
      case 'Unary':
        return this.unary(e);
      case 'Binary':
        return this.binary(e);
      case 'Cast':
        return this.cast(e);
      case 'Call':
        return this.call(e);
      case 'Field':
        return this.field(e);
      case 'TupleField': {
        const object = this.expr(e.object);
        const t = this.receiverType(object.type);
        if (t.kind !== 'tuple') {
          this.error(e.span, t.kind === 'var' ? `the type of this value must be known here` : `${this.show(t)} is not a tuple`);
          return this.unreachable(this.fresh());
        }
        if (e.index >= t.elems.length) {
          this.error(e.span, `tuple ${this.show(t)} has no field ${e.index}`);
          return this.unreachable(this.fresh());
        }
        return this.node({ kind: 'getField', object, objectType: t, field: e.index, type: t.elems[e.index] });
      }
      case 'Index':
        return this.index(e);
      case 'Array': {
        const elem = this.fresh();
        const elems = e.elements.map((x) => {
          const v = this.expr(x);
          this.expect(v.type, elem, x.span, 'array element');
          return v;
        });
        if (e.elements.length === 0) this.emptyArrays.push({ elem, span: e.span });
        return this.node({ kind: 'newArray', elemType: elem, elems, type: array(elem) });
      }
      case 'Tuple': {
        const elems = e.elements.map((x) => this.expr(x));
        return this.node({ kind: 'newTuple', elems, type: tuple(elems.map((x) => x.type)) });
      }
    }
  }

  private string(e: A.StrLit): IrExpr {
    if (e.parts.every((p) => p.kind === 'StrText')) {
      const value = e.parts.map((p) => (p as A.StrText).value).join('');
      return this.node({ kind: 'text', value, type: T.text });
    }
    const parts = e.parts.map((p) => {
      if (p.kind === 'StrText') return this.node({ kind: 'text', value: p.value, type: T.text });
      const v = this.expr(p.expr);
      this.later(v.type, (t) => {
        if (!isPrintable(t)) this.error(p.span, `cannot put a value of type ${this.show(t)} into text`);
      });
      return v;
    });
    return this.node({ kind: 'interpolate', parts, type: T.text });
  }

  private name(e: A.NameExpr): IrExpr {
    const local = this.lookupLocal(e.name);
    if (local) return this.node({ kind: 'local', local: local.local.id, type: local.local.type });
    const def = this.scope.lookup(e.name);
    if (def?.kind === 'fn') this.error(e.span, `'${e.name}' is a function; call it with '${e.name}(…)'`);
    else if (def?.kind === 'struct') this.error(e.span, `'${e.name}' is a struct; construct one with '${e.name}(field: value, …)'`);
    else this.error(e.span, `unknown name '${e.name}'${this.didYouMean(e.name)}`);
    return this.unreachable(this.fresh());
  }

  private unary(e: A.UnaryExpr): IrExpr {
    const operand = this.expr(e.operand);
    if (e.op === '-' && e.operand.kind === 'Int') this.intLits[this.intLits.length - 1].negated = true;
    if (e.op === 'not') {
      this.expect(operand.type, T.bool, e.operand.span, `'not' needs a bool`);
      return this.node({ kind: 'unary', op: 'not', operand, type: T.bool });
    }
    this.later(operand.type, (t) => {
      if (!isNumeric(t) && !(t.kind === 'simd')) this.error(e.span, `cannot negate a value of type ${this.show(t)}`);
    });
    return this.node({ kind: 'unary', op: 'neg', operand, type: operand.type });
  }

  private binary(e: A.BinaryExpr): IrExpr {
    const left = this.expr(e.left);
    const right = this.expr(e.right);
    switch (e.op) {
      case 'and':
      case 'or':
        this.expect(left.type, T.bool, e.left.span, `'${e.op}' needs bool operands`);
        this.expect(right.type, T.bool, e.right.span, `'${e.op}' needs bool operands`);
        return this.node({ kind: 'logic', op: e.op, left, right, type: T.bool });
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        this.expect(right.type, left.type, e.span, `operands of '${e.op}'`);
        const equality = e.op === '==' || e.op === '!=';
        this.later(left.type, (t) => {
          const ok = isNumeric(t) || t.kind === 'string' || (equality && t.kind === 'bool');
          if (!ok) this.error(e.span, `cannot compare values of type ${this.show(t)} with '${e.op}'`);
        });
        const op = COMPARE_OPS[e.op];
        return this.node({ kind: 'compare', op, operandType: left.type, left, right, type: T.bool });
      }
      default:
        return this.arith(e.op, left, right, e.span);
    }
  }

  private arith(op: string, left: IrExpr, right: IrExpr, span: Span): IrExpr {
    this.expect(right.type, left.type, span, `operands of '${op}'`);
    const irOp = ARITH_OPS[op];
    this.later(left.type, (t) => {
      let ok: boolean;
      if (irOp === 'add') ok = isNumeric(t) || t.kind === 'string' || t.kind === 'simd';
      else if (irOp === 'sub' || irOp === 'mul') ok = isNumeric(t) || t.kind === 'simd';
      else if (irOp === 'div') ok = isNumeric(t) || (t.kind === 'simd' && t.elem.kind === 'float');
      else if (irOp === 'rem') ok = isNumeric(t);
      else ok = isInteger(t);
      if (!ok) this.error(span, `operator '${op}' cannot be applied to values of type ${this.show(t)}`);
    });
    return this.node({ kind: 'arith', op: irOp, left, right, span: this.irSpan(span), type: left.type });
  }

  private cast(e: A.CastExpr): IrExpr {
    const value = this.expr(e.expr);
    const target = this.typeExpr(e.type);
    if (!isNumeric(target)) this.error(e.type.span, `'as' converts between numeric types; ${this.show(target)} is not one`);
    this.later(value.type, (t) => {
      if (!isNumeric(t)) this.error(e.expr.span, `'as' converts between numeric types; ${this.show(t)} is not one`);
    });
    return this.node({ kind: 'cast', value, type: target });
  }

  private field(e: A.FieldExpr): IrExpr {
    if (e.object.kind === 'Name' && !this.lookupLocal(e.object.name) && this.scope.lookup(e.object.name)?.kind === 'struct') {
      this.error(e.span, `'${e.object.name}.${e.name.name}' is a static method; call it with '(…)'`);
      return this.unreachable(this.fresh());
    }
    const object = this.expr(e.object);
    const f = this.fieldOf(object, e.name, e.span);
    if (!f) return this.unreachable(this.fresh());
    return this.node({ kind: 'getField', object, objectType: object.type, field: f.index, type: f.type });
  }

  private fieldOf(object: IrExpr, name: A.Ident, span: Span): { index: number; type: Type } | null {
    const t = this.receiverType(object.type);
    if (t.kind === 'var') {
      this.error(span, `the type of this value must be known before '.${name.name}'; add a type annotation`);
      return null;
    }
    const struct = t.kind === 'named' ? this.ctx.structs.struct(t.name) : undefined;
    if (!struct || t.kind !== 'named') {
      this.error(name.span, `${this.show(t)} has no field '${name.name}'`);
      return null;
    }
    const index = struct.fields.findIndex((f) => f.name === name.name);
    if (index < 0) {
      const hint = struct.methods.has(name.name) ? `; '${name.name}' is a method, call it with '(…)'` : '';
      this.error(name.span, `struct '${struct.name}' has no field '${name.name}'${hint || suggestion(name.name, struct.fields.map((f) => f.name))}`);
      return null;
    }
    return { index, type: substituteParams(struct.fields[index].type, structParamMap(struct, t.args)) };
  }

  private indexValue(e: A.Expr): IrExpr {
    const index = this.expr(e);
    this.later(index.type, (t) => {
      if (!isInteger(t)) this.error(e.span, `an index must be an integer, found ${this.show(t)}`);
    });
    return index;
  }

  private index(e: A.IndexExpr): IrExpr {
    const object = this.expr(e.object);
    const t = this.receiverType(object.type);
    if (t.kind === 'simd') {
      if (e.index.kind !== 'Int' || e.index.value >= BigInt(t.lanes)) {
        this.error(e.index.span, `a lane of ${this.show(t)} is selected by a constant from 0 to ${t.lanes - 1}`);
        return this.unreachable(t.elem);
      }
      return this.node({ kind: 'simdLane', vector: object, lane: Number(e.index.value), type: t.elem });
    }
    const elem = this.fresh();
    if (t.kind !== 'var' && t.kind !== 'array') {
      this.error(e.object.span, `cannot index a value of type ${this.show(t)}; only arrays and SIMD vectors can be indexed`);
      this.expr(e.index);
      return this.unreachable(elem);
    }
    if (!this.expect(object.type, array(elem), e.object.span, 'only arrays and SIMD vectors can be indexed')) {
      return this.unreachable(elem);
    }
    const index = this.indexValue(e.index);
    return this.node({ kind: 'index', array: object, index, span: this.irSpan(e.span), type: elem });
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  private call(e: A.CallExpr): IrExpr {
    const callee = e.callee;
    if (callee.kind === 'Name' && !this.lookupLocal(callee.name)) {
      const def = this.scope.lookup(callee.name);
      if (def?.kind === 'fn') return this.callFn(def, e, null, []);
      if (def?.kind === 'struct') return this.construct(def, e, e.typeArgs.length ? e.typeArgs.map((t) => this.typeExpr(t)) : null);
      if (callee.name === 'print' || callee.name === 'assert') return this.builtinCall(callee.name, e);
      if (SIMD_NAMES.has(callee.name)) return this.simdNew(builtinType(callee.name)!, e);
      this.error(callee.span, `unknown name '${callee.name}'${this.didYouMean(callee.name)}`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(this.fresh());
    }
    if (callee.kind === 'Field') {
      const object = callee.object;
      if (object.kind === 'Name' && !this.lookupLocal(object.name)) {
        const def = this.scope.lookup(object.name);
        if (def?.kind === 'struct') return this.staticCall(def, null, callee.name, e);
        if (SIMD_NAMES.has(object.name)) return this.simdStatic(builtinType(object.name)!, callee.name, e);
        if (!def) {
          this.error(object.span, `unknown name '${object.name}'${this.didYouMean(object.name)}`);
          return this.unreachable(this.fresh());
        }
      }
      if (object.kind === 'GenericName') {
        const def = this.scope.lookup(object.name.name);
        if (def?.kind !== 'struct') {
          this.error(object.name.span, `unknown struct '${object.name.name}'`);
          return this.unreachable(this.fresh());
        }
        return this.staticCall(def, object.typeArgs.map((t) => this.typeExpr(t)), callee.name, e);
      }
      const receiver = this.expr(object);
      return this.methodCall(receiver, callee.name, e);
    }
    this.error(callee.span, `this expression cannot be called`);
    return this.unreachable(this.fresh());
  }

  private positional(e: A.CallExpr, what: string): boolean {
    const named = e.args.find((a) => a.name);
    if (named) this.error(named.span, `named arguments are only for constructing structs, not for ${what}`);
    return !named;
  }

  /** Calls `fn` with its type parameters bound: the owner's from `ownerArgs`, its own fresh or explicit. */
  private callFn(fn: FnDef, e: A.CallExpr, receiver: IrExpr | null, ownerArgs: readonly Type[]): IrExpr {
    const what = `a call to '${fn.symbol}'`;
    this.positional(e, 'function calls');
    let own: Type[];
    if (e.typeArgs.length > 0) {
      if (e.typeArgs.length !== fn.typeParams.length) {
        const hint = fn.owner && fn.owner.typeParams.length > 0 && e.typeArgs.length === allTypeParams(fn).length
          ? `; the struct's type arguments go on the struct, as in '${fn.owner.name}<…>.${fn.name}<…>(…)'`
          : '';
        this.error(e.span, `'${fn.symbol}' takes ${fn.typeParams.length} type argument(s), found ${e.typeArgs.length}${hint}`);
        // Inferred instead, so the wrong count is the only error.
        own = fn.typeParams.map(() => this.fresh());
      } else {
        own = fn.typeParams.map((_, i) => this.typeExpr(e.typeArgs[i]));
      }
    } else {
      own = fn.typeParams.map(() => this.fresh());
    }
    const typeArgs = [...ownerArgs, ...own];
    const map = new Map(allTypeParams(fn).map((p, i) => [p, typeArgs[i]]));
    if (e.args.length !== fn.params.length) {
      this.error(e.span, `${what} needs ${fn.params.length} argument(s), found ${e.args.length}`);
    }
    const args: IrExpr[] = receiver ? [receiver] : [];
    e.args.forEach((a, i) => {
      const v = this.expr(a.value);
      const p = fn.params[i];
      if (p) this.expect(v.type, substituteParams(p.type, map), a.value.span, `argument '${p.name}' of '${fn.symbol}'`);
      args.push(v);
    });
    const node: MutExpr = { kind: 'call', symbol: '', args, type: substituteParams(fn.ret, map) };
    const site: CallSite = { source: this.source, span: e.span };
    if (typeArgs.length === 0) node.symbol = this.ctx.instance(fn, [], site);
    else {
      this.deferred.push(() => {
        const final = typeArgs.map((t) => this.subst.apply(t));
        const unknown = allTypeParams(fn).filter((_, i) => containsVars(final[i]));
        if (unknown.length > 0) {
          this.error(e.span, `cannot infer type argument ${unknown.join(', ')} of '${fn.symbol}'; write it as '${fn.name}<…>(…)'`);
          return;
        }
        node.symbol = this.ctx.instance(fn, final, site);
      });
    }
    return this.node(node);
  }

  private methodCall(receiver: IrExpr, name: A.Ident, e: A.CallExpr): IrExpr {
    const t = this.receiverType(receiver.type);
    if (t.kind === 'var') {
      this.error(name.span, `the type of this value must be known before calling '.${name.name}()'; add a type annotation`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(this.fresh());
    }
    if (t.kind === 'array' || t.kind === 'string' || t.kind === 'simd') return this.builtinMethod(receiver, t, name, e);
    const struct = t.kind === 'named' ? this.ctx.structs.struct(t.name) : undefined;
    const method = struct?.methods.get(name.name);
    if (!struct || !method || t.kind !== 'named') {
      const isField = struct?.fields.some((f) => f.name === name.name);
      this.error(name.span, isField ? `'${name.name}' is a field, not a method` : `${this.show(t)} has no method '${name.name}'${suggestion(name.name, [...(struct?.methods.keys() ?? [])])}`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(this.fresh());
    }
    if (method.receiver === 'static') {
      this.error(name.span, `'${name.name}' is a static method; call it as '${struct.name}.${name.name}(…)'`);
    }
    return this.callFn(method, e, method.receiver === 'static' ? null : receiver, t.args);
  }

  private staticCall(struct: StructDef, structArgs: Type[] | null, name: A.Ident, e: A.CallExpr): IrExpr {
    const method = struct.methods.get(name.name);
    if (!method) {
      this.error(name.span, `struct '${struct.name}' has no method '${name.name}'${suggestion(name.name, [...struct.methods.keys()])}`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(this.fresh());
    }
    if (method.receiver !== 'static') {
      this.error(name.span, `'${name.name}' is called on a value of '${struct.name}', not on the struct itself`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(this.fresh());
    }
    if (structArgs && structArgs.length !== struct.typeParams.length) {
      this.error(e.span, `struct '${struct.name}' takes ${struct.typeParams.length} type argument(s), found ${structArgs.length}`);
      structArgs = null;
    }
    return this.callFn(method, e, null, structArgs ?? struct.typeParams.map(() => this.fresh()));
  }

  private construct(struct: StructDef, e: A.CallExpr, explicit: Type[] | null): IrExpr {
    if (explicit && explicit.length !== struct.typeParams.length) {
      this.error(e.span, `struct '${struct.name}' takes ${struct.typeParams.length} type argument(s), found ${explicit.length}`);
      explicit = null;
    }
    const args = explicit ?? struct.typeParams.map(() => this.fresh());
    const map = structParamMap(struct, args);
    const values: Array<IrExpr | undefined> = new Array(struct.fields.length);
    let positionalReported = false;
    for (const a of e.args) {
      if (!a.name) {
        if (!positionalReported) {
          this.error(a.span, `construct a '${struct.name}' with named fields, as in '${struct.name}(${struct.fields.map((f) => `${f.name}: …`).join(', ')})'`);
        }
        positionalReported = true;
        this.expr(a.value);
        continue;
      }
      const i = struct.fields.findIndex((f) => f.name === a.name!.name);
      const v = this.expr(a.value);
      if (i < 0) this.error(a.name.span, `struct '${struct.name}' has no field '${a.name.name}'${suggestion(a.name.name, struct.fields.map((f) => f.name))}`);
      else if (values[i]) this.error(a.name.span, `field '${a.name.name}' is given twice`);
      else {
        this.expect(v.type, substituteParams(struct.fields[i].type, map), a.value.span, `field '${a.name.name}'`);
        values[i] = v;
      }
    }
    const missing = struct.fields.filter((_, i) => !values[i]).map((f) => f.name);
    if (missing.length > 0 && e.args.every((a) => a.name)) {
      this.error(e.span, `missing field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} of '${struct.name}'`);
    }
    const fields = values.map((v, i) => v ?? this.unreachable(substituteParams(struct.fields[i].type, map)));
    return this.node({ kind: 'newStruct', fields, type: named(struct.name, args) });
  }

  private builtinCall(name: 'print' | 'assert', e: A.CallExpr): IrExpr {
    this.positional(e, `'${name}'`);
    if (e.args.length !== 1) {
      this.error(e.span, `'${name}' takes one argument, found ${e.args.length}`);
      e.args.forEach((a) => this.expr(a.value));
      return this.node({ kind: 'unit', type: T.unit });
    }
    const v = this.expr(e.args[0].value);
    if (name === 'assert') this.expect(v.type, T.bool, e.args[0].value.span, `'assert' needs a bool`);
    else {
      this.later(v.type, (t) => {
        if (!isPrintable(t)) this.error(e.args[0].value.span, `'print' prints numbers, bool and text, not ${this.show(t)}`);
      });
    }
    return this.node({ kind: 'builtin', name, args: [v], span: this.irSpan(e.span), type: T.unit });
  }

  private builtinMethod(receiver: IrExpr, t: Type, name: A.Ident, e: A.CallExpr): IrExpr {
    this.positional(e, 'method calls');
    const span = this.irSpan(e.span);
    const arity = (n: number): boolean => {
      if (e.args.length === n) return true;
      this.error(e.span, `'${name.name}' takes ${n} argument(s), found ${e.args.length}`);
      return false;
    };
    if (t.kind === 'array') {
      if (name.name === 'len' && arity(0)) return this.node({ kind: 'builtin', name: 'array.len', args: [receiver], span, type: T.i64 });
      if (name.name === 'pop' && arity(0)) return this.node({ kind: 'builtin', name: 'array.pop', args: [receiver], span, type: t.elem });
      if (name.name === 'push' && arity(1)) {
        const v = this.expr(e.args[0].value);
        this.expect(v.type, t.elem, e.args[0].value.span, `'push'`);
        return this.node({ kind: 'builtin', name: 'array.push', args: [receiver, v], span, type: T.unit });
      }
    } else if (t.kind === 'string') {
      if (name.name === 'len' && arity(0)) return this.node({ kind: 'builtin', name: 'text.len', args: [receiver], span, type: T.i64 });
    } else if (t.kind === 'simd') {
      if (name.name === 'sum' && arity(0)) return this.node({ kind: 'builtin', name: 'simd.sum', args: [receiver], span, type: t.elem });
    }
    if (!['len', 'push', 'pop', 'sum'].includes(name.name)) this.error(name.span, `${this.show(t)} has no method '${name.name}'`);
    e.args.forEach((a) => this.expr(a.value));
    return this.unreachable(this.fresh());
  }

  private simdNew(t: Type, e: A.CallExpr): IrExpr {
    if (t.kind !== 'simd') throw new Error('internal: not a SIMD type');
    this.positional(e, 'SIMD vectors');
    if (e.args.length !== t.lanes) this.error(e.span, `${typeToString(t)} needs ${t.lanes} lanes, found ${e.args.length}`);
    const lanes = e.args.map((a) => {
      const v = this.expr(a.value);
      this.expect(v.type, t.elem, a.value.span, 'lane');
      return v;
    });
    return this.node({ kind: 'simdNew', lanes, type: t });
  }

  private simdStatic(t: Type, name: A.Ident, e: A.CallExpr): IrExpr {
    if (t.kind !== 'simd') throw new Error('internal: not a SIMD type');
    this.positional(e, 'SIMD vectors');
    if (name.name !== 'splat' || e.args.length !== 1) {
      this.error(e.span, name.name === 'splat' ? `'splat' takes one argument` : `${typeToString(t)} has no static method '${name.name}'`);
      e.args.forEach((a) => this.expr(a.value));
      return this.unreachable(t);
    }
    const v = this.expr(e.args[0].value);
    this.expect(v.type, t.elem, e.args[0].value.span, `'splat'`);
    return this.node({ kind: 'builtin', name: 'simd.splat', args: [v], span: this.irSpan(e.span), type: t });
  }
}

const COMPARE_OPS = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;
const ARITH_OPS: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
  '<<': 'shl',
  '>>': 'shr',
};

function isPrintable(t: Type): boolean {
  return isNumeric(t) || t.kind === 'bool' || t.kind === 'string';
}

function structParamMap(struct: StructDef, args: readonly Type[]): Map<string, Type> {
  return new Map(struct.typeParams.map((p, i) => [p, args[i]]));
}

/** Whether control can never fall off the end of this statement. */
function diverges(s: A.Stmt): boolean {
  if (s.kind === 'Return') return true;
  // `while true:` without a `break` of its own only ever leaves through `return`.
  if (s.kind === 'While') return s.condition.kind === 'Bool' && s.condition.value && !breaksOut(s.body);
  if (s.kind !== 'If' || !s.elseBody) return false;
  const ends = (b: A.Block): boolean => {
    const last = b.statements[b.statements.length - 1];
    return last !== undefined && diverges(last);
  };
  return s.branches.every((b) => ends(b.body)) && ends(s.elseBody);
}

/** Whether a `break` in `b` leaves the loop `b` is the body of (breaks of nested loops do not). */
function breaksOut(b: A.Block): boolean {
  return b.statements.some((s) => {
    switch (s.kind) {
      case 'Break':
        return true;
      case 'If':
        return s.branches.some((br) => breaksOut(br.body)) || (s.elseBody !== null && breaksOut(s.elseBody));
      default:
        return false;
    }
  });
}
