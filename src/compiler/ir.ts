/**
 * The typed intermediate representation between the checker and the lowering.
 *
 * Every type in it is concrete (no type parameters, no unresolved variables): the checker
 * produces one IrFunction per concrete function or generic instance. Calls name their target
 * by symbol; whether a call is direct or goes through a table slot is the lowering's decision,
 * made from where the symbol is defined.
 */
import type { Type } from '../types/index.js';

export interface IrLocal {
  readonly id: number;
  readonly name: string;
  readonly type: Type;
}

export interface IrFunction {
  /** The mangled symbol, e.g. `max$i64` or `Pair.swap$i64$text`. */
  readonly symbol: string;
  /** The readable name used in trap messages, e.g. `max<i64>`. */
  readonly displayName: string;
  readonly params: readonly IrLocal[];
  readonly ret: Type;
  /** All locals, parameters first (their ids are 0..params.length-1). */
  readonly locals: readonly IrLocal[];
  readonly body: readonly IrStmt[];
}

export type IrStmt =
  | { kind: 'expr'; expr: IrExpr }
  | { kind: 'let'; local: number; value: IrExpr }
  | { kind: 'setField'; object: IrExpr; objectType: Type; field: number; value: IrExpr }
  | { kind: 'setIndex'; array: IrExpr; elemType: Type; index: IrExpr; value: IrExpr }
  | { kind: 'if'; cond: IrExpr; then: readonly IrStmt[]; else: readonly IrStmt[] }
  | { kind: 'while'; cond: IrExpr; body: readonly IrStmt[] }
  | {
      kind: 'forRange';
      local: number;
      start: IrExpr;
      end: IrExpr;
      inclusive: boolean;
      body: readonly IrStmt[];
    }
  | { kind: 'forEach'; local: number; array: IrExpr; elemType: Type; body: readonly IrStmt[] }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'return'; value: IrExpr | null };

export type IrUnaryOp = 'neg' | 'not' | 'bitnot';
export type IrArithOp = 'add' | 'sub' | 'mul' | 'div' | 'rem' | 'and' | 'or' | 'xor' | 'shl' | 'shr';
export type IrCompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** Operations the runtime or the lowering provides for built-in types. */
export type IrBuiltin =
  | 'print'
  | 'assert'
  | 'array.len'
  | 'array.push'
  | 'array.pop'
  | 'text.len'
  /** `s + b` into the text only `s` refers to (text-append.ts): `(s, b)`. */
  | 'text.append'
  | 'simd.splat'
  | 'simd.sum';

export type IrExpr = { readonly type: Type } & (
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'text'; value: string }
  | { kind: 'unit' }
  | { kind: 'local'; local: number }
  | { kind: 'assign'; local: number; value: IrExpr }
  | { kind: 'unary'; op: IrUnaryOp; operand: IrExpr }
  | { kind: 'arith'; op: IrArithOp; left: IrExpr; right: IrExpr }
  | { kind: 'compare'; op: IrCompareOp; operandType: Type; left: IrExpr; right: IrExpr }
  | { kind: 'logic'; op: 'and' | 'or'; left: IrExpr; right: IrExpr }
  | { kind: 'cast'; value: IrExpr }
  | { kind: 'call'; symbol: string; args: readonly IrExpr[] }
  | { kind: 'builtin'; name: IrBuiltin; args: readonly IrExpr[] }
  | { kind: 'newStruct'; fields: readonly IrExpr[] }
  | { kind: 'getField'; object: IrExpr; objectType: Type; field: number }
  | { kind: 'newArray'; elemType: Type; elems: readonly IrExpr[] }
  | { kind: 'index'; array: IrExpr; index: IrExpr }
  | { kind: 'newTuple'; elems: readonly IrExpr[] }
  | { kind: 'simdNew'; lanes: readonly IrExpr[] }
  | { kind: 'simdLane'; vector: IrExpr; lane: number }
  | { kind: 'interpolate'; parts: readonly IrExpr[] }
  | { kind: 'ifExpr'; cond: IrExpr; then: IrBlockExpr; else: IrBlockExpr }
  /** Control never reaches here (the block ended in `return`); typed as whatever was expected. */
  | { kind: 'unreachable' }
);

/** Statements followed by the expression whose value the block yields. */
export interface IrBlockExpr {
  readonly stmts: readonly IrStmt[];
  readonly result: IrExpr;
}
