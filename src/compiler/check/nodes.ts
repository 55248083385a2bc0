/**
 * IR nodes as the checker builds them. Their types are still open while the body is checked,
 * and some fields are filled in afterwards (a call's symbol, once its type arguments are
 * known), so they are built as plain mutable records and only read as `IrExpr`.
 */
import type { IrExpr } from '../ir.js';
import type { Type } from '../../types/index.js';

export type MutExpr = { type: Type; kind: string; [k: string]: unknown };

export function node(n: MutExpr): IrExpr {
  return n as unknown as IrExpr;
}

/** A value that is never produced: where control cannot arrive, or in place of an erroneous expression. */
export function unreachable(type: Type): IrExpr {
  return node({ kind: 'unreachable', type });
}
