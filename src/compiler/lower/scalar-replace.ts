/**
 * Scalar replacement of records that never escape (an IR → IR pass before the lowering).
 *
 * A local of struct or tuple type that is only ever given record literals and only ever used to
 * read or write its fields — never passed, returned, stored, compared, printed or copied into
 * another local — cannot be told apart from one local per field: nothing else can see the
 * record, so nothing can alias it. Such a local becomes one local per field, and its literal no
 * longer allocates: `val p = P(a: i, b: 1)` then `sum += p.b` in a loop costs no allocation and
 * no collection. This is the escape analysis of a JIT, restricted to what one function shows.
 */
import type { IrBlockExpr, IrExpr, IrFunction, IrLocal, IrStmt } from '../ir.js';
import { someChild } from '../ir-walk.js';
import type { IrNode } from '../ir-walk.js';
import { functionOrigin, noteFunctionOrigin, noteStmtLine, stmtLine } from '../source-lines.js';
import { T } from '../../types/index.js';
import type { Type } from '../../types/index.js';

/** `fn` with its non-escaping record locals replaced by field locals (`fn` itself if it has none). */
export function scalarReplace(fn: IrFunction): IrFunction {
  // Most functions (and most load-time instances) have no record local to look for.
  if (!fn.locals.some((l) => l.id >= fn.params.length && isRecord(l.type))) return fn;
  const candidates = findCandidates(fn);
  if (candidates.size === 0) return fn;

  const locals: IrLocal[] = [...fn.locals];
  const fieldLocals = new Map<number, number[]>();
  for (const [id, fieldTypes] of candidates) {
    const ids = fieldTypes.map((type, i) => {
      locals.push({ id: locals.length, name: `${fn.locals[id].name}.${i}`, type });
      return locals.length - 1;
    });
    fieldLocals.set(id, ids);
    // The record local itself is never read or written now: a unit keeps it out of the frame.
    locals[id] = { ...fn.locals[id], type: T.unit };
  }
  const temp = (type: Type): number => {
    locals.push({ id: locals.length, name: 'field.tmp', type });
    return locals.length - 1;
  };
  const rewriter = new Rewriter(fieldLocals, temp);
  const out: IrFunction = { ...fn, locals, body: rewriter.stmts(fn.body) };
  const origin = functionOrigin(fn);
  if (origin) noteFunctionOrigin(out, origin);
  return out;
}

/** Record locals that qualify, with their field types (from the literals they are given). */
function findCandidates(fn: IrFunction): Map<number, Type[]> {
  const fieldTypes = new Map<number, Type[]>();
  const disqualified = new Set<number>(fn.params.map((p) => p.id));
  const literal = (local: number, value: IrExpr): void => {
    if (value.kind !== 'newStruct' && value.kind !== 'newTuple') {
      disqualified.add(local);
      return;
    }
    const types = (value.kind === 'newStruct' ? value.fields : value.elems).map((v) => v.type);
    const known = fieldTypes.get(local);
    if (known && (known.length !== types.length || known.some((t, i) => !sameShape(t, types[i])))) disqualified.add(local);
    fieldTypes.set(local, types);
  };

  const visit = (n: IrNode, parentAllows: boolean): void => {
    switch (n.kind) {
      case 'let':
        if (isRecord(fn.locals[n.local].type)) literal(n.local, n.value);
        break;
      case 'expr':
        // An assignment of the whole local counts only as a statement of its own.
        if (n.expr.kind === 'assign' && isRecord(fn.locals[n.expr.local].type)) {
          literal(n.expr.local, n.expr.value);
          visit(n.expr.value, false);
          return;
        }
        break;
      case 'assign':
        if (isRecord(fn.locals[n.local].type)) disqualified.add(n.local);
        break;
      case 'forEach':
      case 'forRange':
        disqualified.add(n.local);
        break;
      case 'local':
        if (!parentAllows) disqualified.add(n.local);
        return;
      case 'getField':
        visit(n.object, true);
        return;
      case 'setField':
        visit(n.object, true);
        visit(n.value, false);
        return;
    }
    someChild(n, visitChild);
  };
  const visitChild = (c: IrNode): boolean => {
    visit(c, false);
    return false;
  };
  for (const s of fn.body) visit(s, false);

  for (const id of disqualified) fieldTypes.delete(id);
  return fieldTypes;
}

class Rewriter {
  constructor(
    private readonly fields: Map<number, number[]>,
    private readonly temp: (type: Type) => number,
  ) {}

  stmts(list: readonly IrStmt[]): IrStmt[] {
    const out: IrStmt[] = [];
    for (const s of list) {
      const replaced = this.stmt(s);
      const line = stmtLine(s);
      if (line !== undefined && replaced.length > 0) noteStmtLine(replaced[0], line);
      out.push(...replaced);
    }
    return out;
  }

  private stmt(s: IrStmt): IrStmt[] {
    switch (s.kind) {
      case 'let': {
        const ids = this.fields.get(s.local);
        return ids ? this.spread(ids, s.value) : [{ ...s, value: this.expr(s.value) }];
      }
      case 'expr': {
        const e = s.expr;
        const ids = e.kind === 'assign' ? this.fields.get(e.local) : undefined;
        if (e.kind === 'assign' && ids) return this.spread(ids, e.value);
        return [{ ...s, expr: this.expr(e) }];
      }
      case 'setField': {
        const ids = s.object.kind === 'local' ? this.fields.get(s.object.local) : undefined;
        if (ids) return [{ kind: 'expr', expr: { kind: 'assign', local: ids[s.field], value: this.expr(s.value), type: T.unit } }];
        return [{ ...s, object: this.expr(s.object), value: this.expr(s.value) }];
      }
      case 'setIndex':
        return [{ ...s, array: this.expr(s.array), index: this.expr(s.index), value: this.expr(s.value) }];
      case 'if':
        return [{ ...s, cond: this.expr(s.cond), then: this.stmts(s.then), else: this.stmts(s.else) }];
      case 'while':
        return [{ ...s, cond: this.expr(s.cond), body: this.stmts(s.body) }];
      case 'forRange':
        return [{ ...s, start: this.expr(s.start), end: this.expr(s.end), body: this.stmts(s.body) }];
      case 'forEach':
        return [{ ...s, array: this.expr(s.array), body: this.stmts(s.body) }];
      case 'return':
        return [{ ...s, value: s.value && this.expr(s.value) }];
      case 'break':
      case 'continue':
        return [s];
    }
  }

  /**
   * The literal's fields into the field locals: through temporaries when a field reads the
   * record being replaced (`p = P(a: p.b, b: p.a)` must read the old values).
   */
  private spread(ids: readonly number[], literal: IrExpr): IrStmt[] {
    if (literal.kind !== 'newStruct' && literal.kind !== 'newTuple') throw new Error('internal: a replaced record given a non-literal');
    const values = (literal.kind === 'newStruct' ? literal.fields : literal.elems).map((v) => this.expr(v));
    const readsOwn = values.some((v) => mentions(v, new Set(ids)));
    if (!readsOwn) return values.map((value, i) => ({ kind: 'let', local: ids[i], value }));
    const temps = values.map((v) => this.temp(v.type));
    return [
      ...values.map((value, i): IrStmt => ({ kind: 'let', local: temps[i], value })),
      ...ids.map((local, i): IrStmt => ({ kind: 'let', local, value: { kind: 'local', local: temps[i], type: values[i].type } })),
    ];
  }

  private block(b: IrBlockExpr): IrBlockExpr {
    return { stmts: this.stmts(b.stmts), result: this.expr(b.result) };
  }

  private expr(e: IrExpr): IrExpr {
    switch (e.kind) {
      case 'getField': {
        const ids = e.object.kind === 'local' ? this.fields.get(e.object.local) : undefined;
        if (ids) return { kind: 'local', local: ids[e.field], type: e.type };
        return { ...e, object: this.expr(e.object) };
      }
      case 'assign':
        return { ...e, value: this.expr(e.value) };
      case 'unary':
        return { ...e, operand: this.expr(e.operand) };
      case 'arith':
      case 'compare':
      case 'logic':
        return { ...e, left: this.expr(e.left), right: this.expr(e.right) };
      case 'cast':
        return { ...e, value: this.expr(e.value) };
      case 'call':
      case 'builtin':
        return { ...e, args: e.args.map((a) => this.expr(a)) };
      case 'newStruct':
        return { ...e, fields: e.fields.map((a) => this.expr(a)) };
      case 'newArray':
      case 'newTuple':
        return { ...e, elems: e.elems.map((a) => this.expr(a)) };
      case 'index':
        return { ...e, array: this.expr(e.array), index: this.expr(e.index) };
      case 'simdNew':
        return { ...e, lanes: e.lanes.map((a) => this.expr(a)) };
      case 'simdLane':
        return { ...e, vector: this.expr(e.vector) };
      case 'interpolate':
        return { ...e, parts: e.parts.map((a) => this.expr(a)) };
      case 'ifExpr':
        return { ...e, cond: this.expr(e.cond), then: this.block(e.then), else: this.block(e.else) };
      default:
        return e;
    }
  }
}

function isRecord(t: Type): boolean {
  return t.kind === 'named' || t.kind === 'tuple';
}

/** Field types of two literals given to one local agree (the checker made them the struct's). */
function sameShape(a: Type, b: Type): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `e` reads any of `locals`. */
function mentions(e: IrNode, locals: ReadonlySet<number>): boolean {
  if (e.kind === 'local' && locals.has(e.local)) return true;
  return someChild(e, (c) => mentions(c, locals));
}
