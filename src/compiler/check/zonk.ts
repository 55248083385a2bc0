/**
 * The last step of checking a function: replace every inferred type in its IR by the final
 * type from the substitution, so the lowering sees concrete types only.
 */
import type { IrBlockExpr, IrExpr, IrFunction, IrStmt } from '../ir.js';
import type { Substitution, Type } from '../../types/index.js';

type Mutable = Record<string, unknown>;

export function zonkFunction(fn: IrFunction, subst: Substitution): void {
  const fix = (t: Type): Type => subst.apply(t);
  for (const l of fn.locals) (l as unknown as Mutable).type = fix(l.type);

  const expr = (e: IrExpr): void => {
    const m = e as unknown as Mutable;
    m.type = fix(e.type);
    switch (e.kind) {
      case 'int':
        // An integer literal whose context wanted a float becomes that float.
        if (e.type.kind === 'float') {
          m.kind = 'float';
          m.value = Number(e.value);
        }
        return;
      case 'assign':
        return expr(e.value);
      case 'unary':
        return expr(e.operand);
      case 'arith':
      case 'logic':
        expr(e.left);
        return expr(e.right);
      case 'compare':
        m.operandType = fix(e.operandType);
        expr(e.left);
        return expr(e.right);
      case 'cast':
        return expr(e.value);
      case 'call':
      case 'builtin':
        return e.args.forEach(expr);
      case 'newStruct':
        return e.fields.forEach(expr);
      case 'getField':
        m.objectType = fix(e.objectType);
        return expr(e.object);
      case 'newArray':
        m.elemType = fix(e.elemType);
        return e.elems.forEach(expr);
      case 'index':
        expr(e.array);
        return expr(e.index);
      case 'newTuple':
        return e.elems.forEach(expr);
      case 'simdNew':
        return e.lanes.forEach(expr);
      case 'simdLane':
        return expr(e.vector);
      case 'interpolate':
        return e.parts.forEach(expr);
      case 'ifExpr':
        expr(e.cond);
        block(e.then);
        return block(e.else);
      default:
        return;
    }
  };
  const block = (b: IrBlockExpr): void => {
    b.stmts.forEach(stmt);
    expr(b.result);
  };
  const stmt = (s: IrStmt): void => {
    const m = s as unknown as Mutable;
    switch (s.kind) {
      case 'expr':
        return expr(s.expr);
      case 'let':
        return expr(s.value);
      case 'setField':
        m.objectType = fix(s.objectType);
        expr(s.object);
        return expr(s.value);
      case 'setIndex':
        m.elemType = fix(s.elemType);
        expr(s.array);
        expr(s.index);
        return expr(s.value);
      case 'if':
        expr(s.cond);
        s.then.forEach(stmt);
        return s.else.forEach(stmt);
      case 'while':
        expr(s.cond);
        return s.body.forEach(stmt);
      case 'forRange':
        expr(s.start);
        expr(s.end);
        return s.body.forEach(stmt);
      case 'forEach':
        m.elemType = fix(s.elemType);
        expr(s.array);
        return s.body.forEach(stmt);
      case 'return':
        if (s.value) expr(s.value);
        return;
      default:
        return;
    }
  };
  fn.body.forEach(stmt);
}
