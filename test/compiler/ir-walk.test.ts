// someChild: every child of every IR node kind, in evaluation order, stopping at the first true.
import { describe, expect, it } from 'vitest';
import type { IrExpr, IrStmt } from '../../src/compiler/ir.js';
import { someChild } from '../../src/compiler/ir-walk.js';
import type { IrNode } from '../../src/compiler/ir-walk.js';
import { float, int } from '../../src/types/index.js';

const leaf = (n: number): IrExpr => ({ kind: 'int', value: BigInt(n), type: int(64, true) }) as unknown as IrExpr;
const stmt = (n: number): IrStmt => ({ kind: 'expr', expr: leaf(n) }) as IrStmt;
const label = (c: IrNode): number => (c.kind === 'int' ? Number(c.value) : c.kind === 'expr' && c.expr.kind === 'int' ? Number(c.expr.value) : -1);

function children(n: IrNode): number[] {
  const seen: number[] = [];
  expect(someChild(n, (c) => (seen.push(label(c)), false))).toBe(false);
  return seen;
}

const t = int(64, true);
const nodes: [string, IrNode, number[]][] = [
  ['expr', stmt(1), [1]],
  ['let', { kind: 'let', local: 0, value: leaf(1) } as IrStmt, [1]],
  ['setField', { kind: 'setField', object: leaf(1), objectType: t, field: 0, value: leaf(2) } as IrStmt, [1, 2]],
  ['setIndex', { kind: 'setIndex', array: leaf(1), elemType: t, index: leaf(2), value: leaf(3) } as IrStmt, [1, 2, 3]],
  ['if', { kind: 'if', cond: leaf(1), then: [stmt(2), stmt(3)], else: [stmt(4)] } as IrStmt, [1, 2, 3, 4]],
  ['while', { kind: 'while', cond: leaf(1), body: [stmt(2), stmt(3)] } as IrStmt, [1, 2, 3]],
  ['forRange', { kind: 'forRange', start: leaf(1), end: leaf(2), body: [stmt(3)] } as unknown as IrStmt, [1, 2, 3]],
  ['forEach', { kind: 'forEach', local: 0, array: leaf(1), elemType: t, body: [stmt(2)] } as IrStmt, [1, 2]],
  ['return', { kind: 'return', value: leaf(1) } as IrStmt, [1]],
  ['return nothing', { kind: 'return', value: null } as IrStmt, []],
  ['break', { kind: 'break' } as IrStmt, []],
  ['assign', { kind: 'assign', local: 0, value: leaf(1) } as unknown as IrExpr, [1]],
  ['unary', { kind: 'unary', op: 'neg', operand: leaf(1) } as unknown as IrExpr, [1]],
  ['arith', { kind: 'arith', op: 'add', left: leaf(1), right: leaf(2) } as unknown as IrExpr, [1, 2]],
  ['compare', { kind: 'compare', op: 'lt', operandType: t, left: leaf(1), right: leaf(2) } as unknown as IrExpr, [1, 2]],
  ['logic', { kind: 'logic', op: 'and', left: leaf(1), right: leaf(2) } as unknown as IrExpr, [1, 2]],
  ['cast', { kind: 'cast', value: leaf(1), type: float(64) } as unknown as IrExpr, [1]],
  ['call', { kind: 'call', symbol: 'f', args: [leaf(1), leaf(2)] } as unknown as IrExpr, [1, 2]],
  ['builtin', { kind: 'builtin', name: 'array.len', args: [leaf(1)] } as unknown as IrExpr, [1]],
  ['newStruct', { kind: 'newStruct', fields: [leaf(1), leaf(2)] } as unknown as IrExpr, [1, 2]],
  ['newArray', { kind: 'newArray', elems: [leaf(1), leaf(2)] } as unknown as IrExpr, [1, 2]],
  ['newTuple', { kind: 'newTuple', elems: [leaf(1)] } as unknown as IrExpr, [1]],
  ['getField', { kind: 'getField', object: leaf(1) } as unknown as IrExpr, [1]],
  ['index', { kind: 'index', array: leaf(1), index: leaf(2) } as unknown as IrExpr, [1, 2]],
  ['simdNew', { kind: 'simdNew', lanes: [leaf(1), leaf(2), leaf(3), leaf(4)] } as unknown as IrExpr, [1, 2, 3, 4]],
  ['simdLane', { kind: 'simdLane', vector: leaf(1) } as unknown as IrExpr, [1]],
  ['interpolate', { kind: 'interpolate', parts: [leaf(1), leaf(2)] } as unknown as IrExpr, [1, 2]],
  [
    'ifExpr',
    { kind: 'ifExpr', cond: leaf(1), then: { stmts: [stmt(2)], result: leaf(3) }, else: { stmts: [stmt(4), stmt(5)], result: leaf(6) } } as unknown as IrExpr,
    [1, 2, 3, 4, 5, 6],
  ],
  ['a leaf', leaf(1), []],
  ['local', { kind: 'local', local: 0 } as unknown as IrExpr, []],
];

describe('someChild', () => {
  it.each(nodes)('visits the children of %s in evaluation order', (_, node, expected) => {
    expect(children(node)).toEqual(expected);
  });

  it('stops at the first child the test holds for, and says so', () => {
    for (const [, node, expected] of nodes) {
      if (expected.length < 2) continue;
      const seen: number[] = [];
      expect(someChild(node, (c) => (seen.push(label(c)), label(c) === expected[1]))).toBe(true);
      expect(seen).toEqual(expected.slice(0, 2));
    }
  });
});
