/** Walking the IR: the direct sub-expressions and sub-statements of a node. */
import type { IrExpr, IrStmt } from './ir.js';

export type IrNode = IrExpr | IrStmt;

/**
 * Whether `test` holds for any direct child of `n`, tried in evaluation order, stopping at the
 * first that does. It builds no list of the children: the lowering asks this of every node, and
 * a load-time JIT runs it cold, where the arrays and closures of such lists were a tenth of what
 * the first JIT of a process allocated.
 */
export function someChild(n: IrNode, test: (c: IrNode) => boolean): boolean {
  switch (n.kind) {
    case 'expr':
      return test(n.expr);
    case 'let':
    case 'assign':
    case 'cast':
      return test(n.value);
    case 'setField':
      return test(n.object) || test(n.value);
    case 'setIndex':
      return test(n.array) || test(n.index) || test(n.value);
    case 'if':
      return test(n.cond) || someOf(n.then, test) || someOf(n.else, test);
    case 'while':
      return test(n.cond) || someOf(n.body, test);
    case 'forRange':
      return test(n.start) || test(n.end) || someOf(n.body, test);
    case 'forEach':
      return test(n.array) || someOf(n.body, test);
    case 'return':
      return n.value ? test(n.value) : false;
    case 'unary':
      return test(n.operand);
    case 'arith':
    case 'compare':
    case 'logic':
      return test(n.left) || test(n.right);
    case 'call':
    case 'builtin':
      return someOf(n.args, test);
    case 'newStruct':
      return someOf(n.fields, test);
    case 'newArray':
    case 'newTuple':
      return someOf(n.elems, test);
    case 'getField':
      return test(n.object);
    case 'index':
      return test(n.array) || test(n.index);
    case 'simdNew':
      return someOf(n.lanes, test);
    case 'simdLane':
      return test(n.vector);
    case 'interpolate':
      return someOf(n.parts, test);
    case 'ifExpr':
      return test(n.cond) || someOf(n.then.stmts, test) || test(n.then.result) || someOf(n.else.stmts, test) || test(n.else.result);
    default:
      return false;
  }
}

function someOf(list: readonly IrNode[], test: (c: IrNode) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (test(list[i])) return true;
  return false;
}
