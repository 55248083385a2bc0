/**
 * The operators' type rules: which operand types each operator and `as` accept, checked once the
 * types are known (LANGUAGE.md, docs/language-notes.md).
 */
import type * as A from '../ast.js';
import type { IrExpr } from '../ir.js';
import type { Span } from '../source.js';
import { isInteger, isNumeric, T } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import type { Inference } from './inference.js';
import { node } from './nodes.js';

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

/** `-x` and `not x`, `operand` already checked. */
export function checkUnary(inf: Inference, e: A.UnaryExpr, operand: IrExpr): IrExpr {
  if (e.op === '-' && e.operand.kind === 'Int') inf.negateLastIntLiteral();
  if (e.op === 'not') {
    inf.expect(operand.type, T.bool, e.operand.span, `'not' needs a bool`);
    return node({ kind: 'unary', op: 'not', operand, type: T.bool });
  }
  inf.later(operand.type, (t) => {
    if (!isNumeric(t) && !(t.kind === 'simd')) inf.error(e.span, `cannot negate a value of type ${inf.show(t)}`);
  });
  return node({ kind: 'unary', op: 'neg', operand, type: operand.type });
}

/** A binary operator, its operands already checked. */
export function checkBinary(inf: Inference, e: A.BinaryExpr, left: IrExpr, right: IrExpr): IrExpr {
  switch (e.op) {
    case 'and':
    case 'or':
      inf.expect(left.type, T.bool, e.left.span, `'${e.op}' needs bool operands`);
      inf.expect(right.type, T.bool, e.right.span, `'${e.op}' needs bool operands`);
      return node({ kind: 'logic', op: e.op, left, right, type: T.bool });
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      inf.expect(right.type, left.type, e.span, `operands of '${e.op}'`);
      const equality = e.op === '==' || e.op === '!=';
      inf.later(left.type, (t) => {
        const ok = isNumeric(t) || t.kind === 'string' || (equality && t.kind === 'bool');
        if (!ok) inf.error(e.span, `cannot compare values of type ${inf.show(t)} with '${e.op}'`);
      });
      const op = COMPARE_OPS[e.op];
      return node({ kind: 'compare', op, operandType: left.type, left, right, type: T.bool });
    }
    default:
      return checkArith(inf, e.op, left, right, e.span);
  }
}

/** An arithmetic or bitwise operator (also of a compound assignment): valid once the operand type is known. */
export function checkArith(inf: Inference, op: string, left: IrExpr, right: IrExpr, span: Span): IrExpr {
  inf.expect(right.type, left.type, span, `operands of '${op}'`);
  const irOp = ARITH_OPS[op];
  inf.later(left.type, (t) => {
    let ok: boolean;
    if (irOp === 'add') ok = isNumeric(t) || t.kind === 'string' || t.kind === 'simd';
    else if (irOp === 'sub' || irOp === 'mul') ok = isNumeric(t) || t.kind === 'simd';
    else if (irOp === 'div') ok = isNumeric(t) || (t.kind === 'simd' && t.elem.kind === 'float');
    else if (irOp === 'rem') ok = isNumeric(t);
    else ok = isInteger(t);
    if (!ok) inf.error(span, `operator '${op}' cannot be applied to values of type ${inf.show(t)}`);
  });
  return node({ kind: 'arith', op: irOp, left, right, type: left.type });
}

/** `value as target`: between numeric types only. */
export function checkCast(inf: Inference, e: A.CastExpr, value: IrExpr, target: Type): IrExpr {
  if (!isNumeric(target) && !inf.isPoisoned(target)) inf.error(e.type.span, `'as' converts between numeric types; ${inf.show(target)} is not one`);
  inf.later(value.type, (t) => {
    if (!isNumeric(t)) inf.error(e.expr.span, `'as' converts between numeric types; ${inf.show(t)} is not one`);
  });
  return node({ kind: 'cast', value, type: target });
}
