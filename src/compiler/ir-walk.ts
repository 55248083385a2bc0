/** Walking the IR: the direct sub-expressions and sub-statements of a node. */
import type { IrExpr, IrStmt } from './ir.js';

export type IrNode = IrExpr | IrStmt;

export function irChildren(n: IrNode): IrNode[] {
  switch (n.kind) {
    case 'expr':
      return [n.expr];
    case 'let':
      return [n.value];
    case 'setField':
      return [n.object, n.value];
    case 'setIndex':
      return [n.array, n.index, n.value];
    case 'if':
      return [n.cond, ...n.then, ...n.else];
    case 'while':
      return [n.cond, ...n.body];
    case 'forRange':
      return [n.start, n.end, ...n.body];
    case 'forEach':
      return [n.array, ...n.body];
    case 'return':
      return n.value ? [n.value] : [];
    case 'assign':
      return [n.value];
    case 'unary':
      return [n.operand];
    case 'arith':
    case 'compare':
    case 'logic':
      return [n.left, n.right];
    case 'cast':
      return [n.value];
    case 'call':
    case 'builtin':
      return [...n.args];
    case 'newStruct':
      return [...n.fields];
    case 'newArray':
    case 'newTuple':
      return [...n.elems];
    case 'getField':
      return [n.object];
    case 'index':
      return [n.array, n.index];
    case 'simdNew':
      return [...n.lanes];
    case 'simdLane':
      return [n.vector];
    case 'interpolate':
      return [...n.parts];
    case 'ifExpr':
      return [n.cond, ...n.then.stmts, n.then.result, ...n.else.stmts, n.else.result];
    default:
      return [];
  }
}
