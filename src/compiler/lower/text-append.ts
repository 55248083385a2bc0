/**
 * Appending to text in place (an IR → IR pass before the lowering).
 *
 * `s = s + e` copies all of `s` into a new text, so building a text by appends in a loop is
 * quadratic. When nothing but the local `s` can refer to its text, the append may grow that text
 * in place instead (`text.append`, the runtime's `text_append`), and a loop of appends is linear.
 * This pass proves it for a local variable whose every value is new — a literal (static, so the
 * first append copies it), a concatenation or an interpolation of several parts, each of which
 * makes a new text — and whose every read only looks at the bytes: its length, printing,
 * comparing, concatenating or interpolating it into another text, returning it. Any other read —
 * passed to a function, stored in a field or array, copied to another local, given as a
 * parameter — and the local keeps plain concatenation.
 */
import type { IrExpr, IrFunction, IrStmt } from '../ir.js';
import { someChild } from '../ir-walk.js';
import type { IrNode } from '../ir-walk.js';
import { functionOrigin, noteFunctionOrigin, noteStmtLine, stmtLine } from '../source-lines.js';

/** `fn` with `s = s + e` on its uniquely held text locals made appends (`fn` itself if none). */
export function appendInPlace(fn: IrFunction): IrFunction {
  if (!fn.locals.some((l) => l.id >= fn.params.length && l.type.kind === 'string')) return fn;
  const unique = uniqueTextLocals(fn);
  if (unique.size === 0) return fn;
  const out: IrFunction = { ...fn, body: rewriteStmts(fn.body, unique) };
  const origin = functionOrigin(fn);
  if (origin) noteFunctionOrigin(out, origin);
  return out;
}

type Expr<K extends IrExpr['kind']> = Extract<IrExpr, { kind: K }>;

/** `s + e` of the local `s` itself, the shape of an append. */
function selfAppend(local: number, value: IrExpr): value is Expr<'arith'> {
  return value.kind === 'arith' && value.op === 'add' && value.type.kind === 'string' && value.left.kind === 'local' && value.left.local === local;
}

/** A value that is a text no one else refers to yet. */
function isNewText(value: IrExpr): boolean {
  if (value.kind === 'text') return true;
  if (value.kind === 'arith') return value.type.kind === 'string';
  // One part is that part itself (a text value passes through unchanged).
  return value.kind === 'interpolate' && value.parts.length > 1;
}

function uniqueTextLocals(fn: IrFunction): Set<number> {
  const candidates = new Set<number>();
  const disqualified = new Set<number>(fn.params.map((p) => p.id));
  for (const l of fn.locals) if (l.type.kind === 'string') candidates.add(l.id);
  const given = (local: number, value: IrExpr): void => {
    if (!selfAppend(local, value) && !isNewText(value)) disqualified.add(local);
  };

  /** `reads`: whether a `local` here only has its bytes read. */
  const visit = (n: IrNode, reads: boolean): void => {
    switch (n.kind) {
      case 'local':
        if (!reads) disqualified.add(n.local);
        return;
      case 'let':
        given(n.local, n.value);
        break;
      case 'assign':
        given(n.local, n.value);
        // The append's own left operand is the local being appended to; its right one is copied.
        if (selfAppend(n.local, n.value)) {
          visit(n.value.right, true);
          return;
        }
        break;
      case 'forEach':
      case 'forRange':
        disqualified.add(n.local);
        break;
      case 'return':
        if (n.value) visit(n.value, true);
        return;
      case 'builtin':
        for (const a of n.args) visit(a, n.name === 'print' || n.name === 'text.len');
        return;
      case 'compare':
        visit(n.left, n.operandType.kind === 'string');
        visit(n.right, n.operandType.kind === 'string');
        return;
      case 'arith':
        visit(n.left, n.type.kind === 'string');
        visit(n.right, n.type.kind === 'string');
        return;
      case 'interpolate':
        for (const p of n.parts) visit(p, n.parts.length > 1);
        return;
    }
    someChild(n, visitChild);
  };
  const visitChild = (c: IrNode): boolean => {
    visit(c, false);
    return false;
  };
  for (const s of fn.body) visit(s, false);
  for (const id of disqualified) candidates.delete(id);
  return candidates;
}

function rewriteStmts(list: readonly IrStmt[], unique: ReadonlySet<number>): IrStmt[] {
  return list.map((s) => {
    const out = rewriteStmt(s, unique);
    const line = stmtLine(s);
    if (line !== undefined && out !== s) noteStmtLine(out, line);
    return out;
  });
}

/** Appends are statements (`s = s + e` and `s += e`); only the statements holding one change. */
function rewriteStmt(s: IrStmt, unique: ReadonlySet<number>): IrStmt {
  switch (s.kind) {
    case 'expr': {
      const e = s.expr;
      if (e.kind !== 'assign' || !unique.has(e.local) || !selfAppend(e.local, e.value)) return s;
      const append: IrExpr = { kind: 'builtin', name: 'text.append', args: [e.value.left, e.value.right], type: e.value.type };
      return { ...s, expr: { ...e, value: append } };
    }
    case 'if':
      return { ...s, then: rewriteStmts(s.then, unique), else: rewriteStmts(s.else, unique) };
    case 'while':
    case 'forRange':
    case 'forEach':
      return { ...s, body: rewriteStmts(s.body, unique) };
    default:
      return s;
  }
}
