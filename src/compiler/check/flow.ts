/** Control flow the checker asks about: whether a statement can fall off its end. */
import type * as A from '../ast.js';

/** Whether control can never fall off the end of this statement. */
export function diverges(s: A.Stmt): boolean {
  if (s.kind === 'Return') return true;
  // `while true:` without a `break` of its own only ever leaves through `return`.
  if (s.kind === 'While') return s.condition.kind === 'Bool' && s.condition.value && !breaksOut(s.body);
  if (s.kind !== 'If' || !s.elseBody) return false;
  const ends = (b: A.Block): boolean => {
    const last = b.statements[b.statements.length - 1];
    return last !== undefined && diverges(last);
  };
  return s.branches.every((b) => ends(b.body)) && ends(s.elseBody);
}

/** Whether a `break` in `b` leaves the loop `b` is the body of (breaks of nested loops do not). */
function breaksOut(b: A.Block): boolean {
  return b.statements.some((s) => {
    switch (s.kind) {
      case 'Break':
        return true;
      case 'If':
        return s.branches.some((br) => breaksOut(br.body)) || (s.elseBody !== null && breaksOut(s.elseBody));
      default:
        return false;
    }
  });
}
