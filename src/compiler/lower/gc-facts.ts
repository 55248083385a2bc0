/**
 * What the lowering must know about an IR subtree to keep heap pointers visible to the collector
 * (docs/memory.md):
 *
 * - `mayCollect`: evaluating it may reach a safepoint — it calls a function (whose safepoints,
 *   or its callees', may collect) or runs a loop (whose back-edge may be one). A heap pointer held
 *   across such an evaluation must be in the shadow stack.
 * - `allocates`: it allocates directly (or calls something that returns a heap value, which may
 *   be a host function that allocated). Functions and loops that allocate get a safepoint, so a
 *   program that allocates in a loop or by recursion reaches one between any two bounded bursts.
 *
 * Answers are memoized per node: the lowering asks about the same subtrees at every level.
 */
import type { IrBlockExpr, IrExpr, IrStmt } from '../ir.js';
import { isHeapPointer } from '../layout.js';

type Node = IrExpr | IrStmt;

export class GcFacts {
  private readonly collects = new WeakMap<object, boolean>();
  private readonly allocs = new WeakMap<object, boolean>();
  private readonly pointers = new WeakMap<object, boolean>();

  mayCollect(e: IrExpr): boolean {
    return this.ask(e, this.collects, reachesSafepoint);
  }

  mayCollectStmts(list: readonly IrStmt[]): boolean {
    return list.some((s) => this.ask(s, this.collects, reachesSafepoint));
  }

  allocates(e: IrExpr): boolean {
    return this.ask(e, this.allocs, directlyAllocates);
  }

  /** Whether any expression in the list has a heap-pointer type. */
  holdsPointersStmts(list: readonly IrStmt[]): boolean {
    return list.some((s) => this.ask(s, this.pointers, (n) => 'type' in n && isHeapPointer(n.type)));
  }

  /** Per element: whether any later element may collect. */
  collectsAfter(list: readonly IrExpr[]): boolean[] {
    const out = new Array<boolean>(list.length);
    let later = false;
    for (let i = list.length - 1; i >= 0; i--) {
      out[i] = later;
      later ||= this.mayCollect(list[i]);
    }
    return out;
  }

  allocatesStmts(list: readonly IrStmt[]): boolean {
    return list.some((s) => this.ask(s, this.allocs, directlyAllocates));
  }

  private ask(node: Node, memo: WeakMap<object, boolean>, test: (n: Node) => boolean): boolean {
    const known = memo.get(node);
    if (known !== undefined) return known;
    const answer = test(node) || children(node).some((c) => this.ask(c, memo, test));
    memo.set(node, answer);
    return answer;
  }
}

function reachesSafepoint(n: Node): boolean {
  return n.kind === 'call' || n.kind === 'while' || n.kind === 'forRange' || n.kind === 'forEach';
}

function directlyAllocates(n: Node): boolean {
  switch (n.kind) {
    case 'newStruct':
    case 'newTuple':
    case 'newArray':
    case 'interpolate':
      return true;
    case 'arith':
      return n.type.kind === 'string';
    case 'builtin':
      return n.name === 'array.push';
    case 'call':
      return isHeapPointer(n.type);
    default:
      return false;
  }
}

function blockChildren(b: IrBlockExpr): Node[] {
  return [...b.stmts, b.result];
}

/** The direct sub-expressions and sub-statements of a node. */
function children(n: Node): Node[] {
  switch (n.kind) {
    // Statements
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
    case 'break':
    case 'continue':
      return [];
    // Expressions
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
      return [n.cond, ...blockChildren(n.then), ...blockChildren(n.else)];
    default:
      return [];
  }
}
