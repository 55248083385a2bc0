/**
 * Checking of calls: functions and methods (with the type arguments they are instantiated
 * with), struct construction, and the built-ins (`print`, `assert`, array, text and SIMD
 * operations).
 */
import type * as A from '../ast.js';
import type { IrExpr } from '../ir.js';
import { allTypeParams } from '../program.js';
import type { FnDef, Scope, StructDef } from '../program.js';
import type { SourceFile } from '../source.js';
import { suggestion } from '../resolve/suggest.js';
import { builtinType, containsVars, isNumeric, named, substituteParams, T, typeToString } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import type { CallSite, CheckContext } from './checker.js';
import type { Inference } from './inference.js';
import { node, unreachable } from './nodes.js';
import type { MutExpr } from './nodes.js';

/** What call checking needs from the checker of the enclosing body. */
export interface CallHost {
  readonly inf: Inference;
  readonly ctx: CheckContext;
  readonly scope: Scope;
  readonly source: SourceFile;
  expr(e: A.Expr): IrExpr;
  typeExpr(t: A.TypeExpr): Type;
  /** Whether `name` is a local in scope, which shadows module-level names. */
  isLocal(name: string): boolean;
  didYouMean(name: string): string;
}

const SIMD_NAMES = new Set(['f32x4', 'i32x4', 'f64x2', 'i64x2']);
/** The methods of the built-in types, for "did you mean". */
const BUILTIN_METHODS: Partial<Record<Type['kind'], readonly string[]>> = { array: ['len', 'push', 'pop'], string: ['len'], simd: ['sum'] };

export class CallChecker {
  private readonly inf: Inference;

  constructor(private readonly host: CallHost) {
    this.inf = host.inf;
  }

  call(e: A.CallExpr): IrExpr {
    const callee = e.callee;
    if (callee.kind === 'Name' && !this.host.isLocal(callee.name)) {
      const def = this.host.scope.lookup(callee.name);
      if (def?.kind === 'fn') return this.callFn(def, e, null, []);
      if (def?.kind === 'struct') return this.construct(def, e, e.typeArgs.length ? e.typeArgs.map((t) => this.host.typeExpr(t)) : null);
      if (callee.name === 'print' || callee.name === 'assert') return this.builtinCall(callee.name, e);
      if (SIMD_NAMES.has(callee.name)) return this.simdNew(builtinType(callee.name)!, e);
      this.inf.error(callee.span, `unknown name '${callee.name}'${this.host.didYouMean(callee.name)}`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(this.inf.errorType());
    }
    if (callee.kind === 'Field') {
      const object = callee.object;
      if (object.kind === 'Name' && !this.host.isLocal(object.name)) {
        const def = this.host.scope.lookup(object.name);
        if (def?.kind === 'struct') return this.staticCall(def, null, callee.name, e);
        if (SIMD_NAMES.has(object.name)) return this.simdStatic(builtinType(object.name)!, callee.name, e);
        if (!def) {
          this.inf.error(object.span, `unknown name '${object.name}'${this.host.didYouMean(object.name)}`);
          return unreachable(this.inf.errorType());
        }
      }
      if (object.kind === 'GenericName') {
        const def = this.host.scope.lookup(object.name.name);
        if (def?.kind !== 'struct') {
          this.inf.error(object.name.span, `unknown struct '${object.name.name}'`);
          return unreachable(this.inf.errorType());
        }
        return this.staticCall(def, object.typeArgs.map((t) => this.host.typeExpr(t)), callee.name, e);
      }
      const receiver = this.host.expr(object);
      return this.methodCall(receiver, callee.name, e);
    }
    this.inf.error(callee.span, `this expression cannot be called`);
    return unreachable(this.inf.errorType());
  }

  private positional(e: A.CallExpr, what: string): boolean {
    const named = e.args.find((a) => a.name);
    if (named) this.inf.error(named.span, `named arguments are only for constructing structs, not for ${what}`);
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
        this.inf.error(e.span, `'${fn.symbol}' takes ${fn.typeParams.length} type argument(s), found ${e.typeArgs.length}${hint}`);
        // Inferred instead, so the wrong count is the only error.
        own = fn.typeParams.map(() => this.inf.fresh());
      } else {
        own = fn.typeParams.map((_, i) => this.host.typeExpr(e.typeArgs[i]));
      }
    } else {
      own = fn.typeParams.map(() => this.inf.fresh());
    }
    const typeArgs = [...ownerArgs, ...own];
    const map = new Map(allTypeParams(fn).map((p, i) => [p, typeArgs[i]]));
    if (e.args.length !== fn.params.length) {
      this.inf.error(e.span, `${what} needs ${fn.params.length} argument(s), found ${e.args.length}`);
    }
    const args: IrExpr[] = receiver ? [receiver] : [];
    e.args.forEach((a, i) => {
      const v = this.host.expr(a.value);
      const p = fn.params[i];
      if (p) this.inf.expect(v.type, substituteParams(p.type, map), a.value.span, `argument '${p.name}' of '${fn.symbol}'`);
      args.push(v);
    });
    const call: MutExpr = { kind: 'call', symbol: '', args, type: substituteParams(fn.ret, map) };
    const site: CallSite = { source: this.host.source, span: e.span };
    if (typeArgs.length === 0) call.symbol = this.host.ctx.instance(fn, [], site);
    else {
      this.inf.defer(() => {
        const final = typeArgs.map((t) => this.inf.subst.apply(t));
        const unknown = allTypeParams(fn).filter((_, i) => containsVars(final[i]));
        if (unknown.length > 0) {
          if (typeArgs.some((t) => this.inf.isPoisoned(t))) return;
          this.inf.error(e.span, `cannot infer type argument ${unknown.join(', ')} of '${fn.symbol}'; write it as '${fn.name}<…>(…)'`);
          return;
        }
        call.symbol = this.host.ctx.instance(fn, final, site);
      });
    }
    return node(call);
  }

  private methodCall(receiver: IrExpr, name: A.Ident, e: A.CallExpr): IrExpr {
    const t = this.inf.receiverType(receiver.type);
    if (t.kind === 'var') {
      if (!this.inf.isPoisoned(t)) this.inf.error(name.span, `the type of this value must be known before calling '.${name.name}()'; add a type annotation`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(this.inf.errorType());
    }
    if (t.kind === 'array' || t.kind === 'string' || t.kind === 'simd') return this.builtinMethod(receiver, t, name, e);
    const struct = t.kind === 'named' ? this.host.ctx.structs.struct(t.name) : undefined;
    const method = struct?.methods.get(name.name);
    if (!struct || !method || t.kind !== 'named') {
      const isField = struct?.fields.some((f) => f.name === name.name);
      this.inf.error(name.span, isField ? `'${name.name}' is a field, not a method` : `${this.inf.show(t)} has no method '${name.name}'${suggestion(name.name, [...(struct?.methods.keys() ?? [])])}`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(this.inf.errorType());
    }
    if (method.receiver === 'static') {
      this.inf.error(name.span, `'${name.name}' is a static method; call it as '${struct.name}.${name.name}(…)'`);
    }
    return this.callFn(method, e, method.receiver === 'static' ? null : receiver, t.args);
  }

  private staticCall(struct: StructDef, structArgs: Type[] | null, name: A.Ident, e: A.CallExpr): IrExpr {
    const method = struct.methods.get(name.name);
    if (!method) {
      this.inf.error(name.span, `struct '${struct.name}' has no method '${name.name}'${suggestion(name.name, [...struct.methods.keys()])}`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(this.inf.errorType());
    }
    if (method.receiver !== 'static') {
      this.inf.error(name.span, `'${name.name}' is called on a value of '${struct.name}', not on the struct itself`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(this.inf.errorType());
    }
    if (structArgs && structArgs.length !== struct.typeParams.length) {
      this.inf.error(e.span, `struct '${struct.name}' takes ${struct.typeParams.length} type argument(s), found ${structArgs.length}`);
      structArgs = null;
    }
    return this.callFn(method, e, null, structArgs ?? struct.typeParams.map(() => this.inf.fresh()));
  }

  private construct(struct: StructDef, e: A.CallExpr, explicit: Type[] | null): IrExpr {
    if (explicit && explicit.length !== struct.typeParams.length) {
      this.inf.error(e.span, `struct '${struct.name}' takes ${struct.typeParams.length} type argument(s), found ${explicit.length}`);
      explicit = null;
    }
    const args = explicit ?? struct.typeParams.map(() => this.inf.fresh());
    const map = structParamMap(struct, args);
    const values: Array<IrExpr | undefined> = new Array(struct.fields.length);
    let positionalReported = false;
    for (const a of e.args) {
      if (!a.name) {
        if (!positionalReported) {
          this.inf.error(a.span, `construct a '${struct.name}' with named fields, as in '${struct.name}(${struct.fields.map((f) => `${f.name}: …`).join(', ')})'`);
        }
        positionalReported = true;
        this.host.expr(a.value);
        continue;
      }
      const i = struct.fields.findIndex((f) => f.name === a.name!.name);
      const v = this.host.expr(a.value);
      if (i < 0) this.inf.error(a.name.span, `struct '${struct.name}' has no field '${a.name.name}'${suggestion(a.name.name, struct.fields.map((f) => f.name))}`);
      else if (values[i]) this.inf.error(a.name.span, `field '${a.name.name}' is given twice`);
      else {
        this.inf.expect(v.type, substituteParams(struct.fields[i].type, map), a.value.span, `field '${a.name.name}'`);
        values[i] = v;
      }
    }
    const missing = struct.fields.filter((_, i) => !values[i]).map((f) => f.name);
    if (missing.length > 0 && e.args.every((a) => a.name)) {
      this.inf.error(e.span, `missing field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} of '${struct.name}'`);
    }
    const fields = values.map((v, i) => v ?? unreachable(substituteParams(struct.fields[i].type, map)));
    return node({ kind: 'newStruct', fields, type: named(struct.name, args) });
  }

  private builtinCall(name: 'print' | 'assert', e: A.CallExpr): IrExpr {
    this.positional(e, `'${name}'`);
    if (e.args.length !== 1) {
      this.inf.error(e.span, `'${name}' takes one argument, found ${e.args.length}`);
      e.args.forEach((a) => this.host.expr(a.value));
      return node({ kind: 'unit', type: T.unit });
    }
    const v = this.host.expr(e.args[0].value);
    if (name === 'assert') this.inf.expect(v.type, T.bool, e.args[0].value.span, `'assert' needs a bool`);
    else {
      this.inf.later(v.type, (t) => {
        if (!isPrintable(t)) this.inf.error(e.args[0].value.span, `'print' prints numbers, bool and text, not ${this.inf.show(t)}`);
      });
    }
    return node({ kind: 'builtin', name, args: [v], type: T.unit });
  }

  private builtinMethod(receiver: IrExpr, t: Type, name: A.Ident, e: A.CallExpr): IrExpr {
    this.positional(e, 'method calls');
    const arity = (n: number): boolean => {
      if (e.args.length === n) return true;
      this.inf.error(e.span, `'${name.name}' takes ${n} argument(s), found ${e.args.length}`);
      return false;
    };
    if (t.kind === 'array') {
      if (name.name === 'len' && arity(0)) return node({ kind: 'builtin', name: 'array.len', args: [receiver], type: T.i64 });
      if (name.name === 'pop' && arity(0)) return node({ kind: 'builtin', name: 'array.pop', args: [receiver], type: t.elem });
      if (name.name === 'push' && arity(1)) {
        const v = this.host.expr(e.args[0].value);
        this.inf.expect(v.type, t.elem, e.args[0].value.span, `'push'`);
        return node({ kind: 'builtin', name: 'array.push', args: [receiver, v], type: T.unit });
      }
    } else if (t.kind === 'string') {
      if (name.name === 'len' && arity(0)) return node({ kind: 'builtin', name: 'text.len', args: [receiver], type: T.i64 });
    } else if (t.kind === 'simd') {
      if (name.name === 'sum' && arity(0)) return node({ kind: 'builtin', name: 'simd.sum', args: [receiver], type: t.elem });
    }
    const methods = BUILTIN_METHODS[t.kind] ?? [];
    if (!methods.includes(name.name)) this.inf.error(name.span, `${this.inf.show(t)} has no method '${name.name}'${suggestion(name.name, methods)}`);
    e.args.forEach((a) => this.host.expr(a.value));
    return unreachable(this.inf.errorType());
  }

  private simdNew(t: Type, e: A.CallExpr): IrExpr {
    if (t.kind !== 'simd') throw new Error('internal: not a SIMD type');
    this.positional(e, 'SIMD vectors');
    if (e.args.length !== t.lanes) this.inf.error(e.span, `${typeToString(t)} needs ${t.lanes} lanes, found ${e.args.length}`);
    const lanes = e.args.map((a) => {
      const v = this.host.expr(a.value);
      this.inf.expect(v.type, t.elem, a.value.span, 'lane');
      return v;
    });
    return node({ kind: 'simdNew', lanes, type: t });
  }

  private simdStatic(t: Type, name: A.Ident, e: A.CallExpr): IrExpr {
    if (t.kind !== 'simd') throw new Error('internal: not a SIMD type');
    this.positional(e, 'SIMD vectors');
    if (name.name !== 'splat' || e.args.length !== 1) {
      this.inf.error(e.span, name.name === 'splat' ? `'splat' takes one argument` : `${typeToString(t)} has no static method '${name.name}'`);
      e.args.forEach((a) => this.host.expr(a.value));
      return unreachable(t);
    }
    const v = this.host.expr(e.args[0].value);
    this.inf.expect(v.type, t.elem, e.args[0].value.span, `'splat'`);
    return node({ kind: 'builtin', name: 'simd.splat', args: [v], type: t });
  }
}

export function isPrintable(t: Type): boolean {
  return isNumeric(t) || t.kind === 'bool' || t.kind === 'string';
}

export function structParamMap(struct: StructDef, args: readonly Type[]): Map<string, Type> {
  return new Map(struct.typeParams.map((p, i) => [p, args[i]]));
}
