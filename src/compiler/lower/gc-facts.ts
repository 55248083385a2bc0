/**
 * What the lowering must know about an IR subtree to keep heap pointers visible to the collector
 * (docs/memory.md):
 *
 * - `mayCollect`: evaluating it may reach a safepoint — it calls a function whose safepoints, or
 *   its callees', may collect (`collectingFunctions` says which of a unit's functions cannot;
 *   any other callee may), or runs a loop that allocates (whose back-edge is one). A heap pointer
 *   held across such an evaluation must be in the shadow stack.
 * - `allocates`: it allocates directly (or calls something that returns a heap value, which may
 *   be a host function that allocated). Functions and loops that allocate get a safepoint, so a
 *   program that allocates in a loop or by recursion reaches one between any two bounded bursts.
 *
 * Answers are memoized per node: the lowering asks about the same subtrees at every level.
 */
import type { IrExpr, IrFunction, IrStmt } from '../ir.js';
import { someChild } from '../ir-walk.js';
import type { IrNode } from '../ir-walk.js';
import { isHeapPointer } from '../layout.js';

type Node = IrNode;

export class GcFacts {
  private readonly collects = new WeakMap<object, boolean>();
  private readonly allocs = new WeakMap<object, boolean>();
  private readonly pointers = new WeakMap<object, boolean>();
  // One closure per question, made once: the walk runs cold in a load-time JIT (ir-walk.ts).
  private readonly collectsIn = (n: Node): boolean => this.ask(n, this.collects, this.reachesSafepoint, this.collectsIn);
  private readonly allocatesIn = (n: Node): boolean => this.ask(n, this.allocs, directlyAllocates, this.allocatesIn);
  private readonly pointersIn = (n: Node): boolean => this.ask(n, this.pointers, hasPointerType, this.pointersIn);
  private readonly reachesSafepoint = (n: Node): boolean => {
    if (n.kind === 'call') return this.callCollects(n.symbol);
    // A loop's back-edge is a safepoint only when the loop allocates (function.ts).
    if (n.kind === 'while' || n.kind === 'forRange' || n.kind === 'forEach') return this.allocatesIn(n);
    return false;
  };

  /** `callCollects(symbol)`: whether calling `symbol` may reach a safepoint (unknown callees may). */
  constructor(private readonly callCollects: (symbol: string) => boolean = () => true) {}

  mayCollect(e: IrExpr): boolean {
    return this.collectsIn(e);
  }

  mayCollectStmts(list: readonly IrStmt[]): boolean {
    return list.some(this.collectsIn);
  }

  allocates(e: IrExpr): boolean {
    return this.allocatesIn(e);
  }

  /** Whether any expression in the list has a heap-pointer type. */
  holdsPointersStmts(list: readonly IrStmt[]): boolean {
    return list.some(this.pointersIn);
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
    return list.some(this.allocatesIn);
  }

  /** `test` of the node or of anything below it; `again` is this same question, for the children. */
  private ask(node: Node, memo: WeakMap<object, boolean>, test: (n: Node) => boolean, again: (n: Node) => boolean): boolean {
    const known = memo.get(node);
    if (known !== undefined) return known;
    const answer = test(node) || someChild(node, again);
    memo.set(node, answer);
    return answer;
  }
}

/**
 * The functions of a unit whose calls may reach a safepoint: those that allocate (an allocating
 * function polls on entry and in its allocating loops) and, to a fixpoint, those that call one
 * or call outside the unit (an import, a template instance, a host function: their bodies are
 * unknown here, or may be replaced on reload). A call to any other function of the unit needs no
 * pointer rooted across it — as in `check` of a tree walk, which then needs no frame at all.
 */
export function collectingFunctions(functions: readonly IrFunction[]): (symbol: string) => boolean {
  const inUnit = new Set(functions.map((f) => f.symbol));
  const callees = new Map<string, Set<string>>();
  const collecting = new Set<string>();
  for (const fn of functions) {
    const called = new Set<string>();
    const allocates = new GcFacts().allocatesStmts(fn.body);
    const see = (n: Node): boolean => {
      if (n.kind === 'call') called.add(n.symbol);
      someChild(n, see);
      return false;
    };
    fn.body.some(see);
    callees.set(fn.symbol, called);
    if (allocates || someOfSet(called, (s) => !inUnit.has(s))) collecting.add(fn.symbol);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of functions) {
      if (collecting.has(fn.symbol)) continue;
      if (someOfSet(callees.get(fn.symbol)!, (s) => collecting.has(s))) {
        collecting.add(fn.symbol);
        changed = true;
      }
    }
  }
  return (symbol) => !inUnit.has(symbol) || collecting.has(symbol);
}

function someOfSet(set: ReadonlySet<string>, test: (s: string) => boolean): boolean {
  for (const s of set) if (test(s)) return true;
  return false;
}

function hasPointerType(n: Node): boolean {
  return 'type' in n && isHeapPointer(n.type);
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
      return n.name === 'array.push' || n.name === 'text.append';
    case 'call':
      return isHeapPointer(n.type);
    default:
      return false;
  }
}
