/**
 * What the expression emitters split out of FunctionLowering (operators, built-ins) need from
 * the function being lowered.
 */
import type { DivisionContext } from './division.js';
import type { Rooting } from './rooting.js';
import type { TextContext } from './text.js';

export interface ExprContext extends DivisionContext, TextContext {
  /** The function's collector bookkeeping: spills, roots, and what may collect. */
  readonly gc: Rooting;
}
