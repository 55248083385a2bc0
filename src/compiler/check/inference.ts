/**
 * The inference state of one function body: the substitution, the still-open types of number
 * literals and how they default, the checks that wait for final types, and the errors, which
 * are held back and reported in source order once the body is checked.
 */
import { clipText } from '../../errors.js';
import type { DiagnosticBag } from '../diagnostics.js';
import { makeDiagnostic } from '../diagnostics.js';
import type { IrLocal } from '../ir.js';
import type { SourceFile, Span } from '../source.js';
import {
  containsVars,
  freeVars,
  isFloat,
  isNumeric,
  mapChildren,
  named,
  Substitution,
  T,
  tryUnify,
  TypeVarSupply,
  typeToString,
} from '../../types/index.js';
import type { Type } from '../../types/index.js';
import type { MutExpr } from './nodes.js';

export class Inference {
  readonly subst = new Substitution();
  private readonly supply = new TypeVarSupply();
  /** `negated`: the literal is the operand of a unary minus, so a signed type's MIN fits. */
  private readonly intLits: Array<{ id: number; node: MutExpr; span: Span; negated: boolean }> = [];
  private readonly floatLits: Array<{ id: number; span: Span }> = [];
  private readonly deferred: Array<() => void> = [];
  private readonly emptyArrays: Array<{ elem: Type; span: Span }> = [];
  /**
   * The types of erroneous expressions (an unknown name, a missing field): type variables that
   * unify with anything. A diagnostic that only arises because one of them stayed unknown is a
   * follow-on of an error already reported, so it is dropped: the root cause is said once.
   */
  private readonly poisonedVars: number[] = [];
  /**
   * Errors wait here until the body is checked, then go out in source order: some checks run
   * only once inference is done and would otherwise be reported after later lines' errors.
   */
  private readonly errors: Array<{ span: Span | null; message: string }> = [];

  /** `context` prefixes every message, so errors inside a template's instance say which one. */
  constructor(
    private readonly source: SourceFile,
    private readonly diagnostics: DiagnosticBag,
    private readonly context: string,
  ) {}

  error(span: Span | null, message: string): void {
    this.errors.push({ span, message: this.context + message });
  }

  flushErrors(): void {
    const at = (s: Span | null): number => (s ? s.start : -1);
    const sorted = this.errors.map((e, i) => ({ ...e, i })).sort((a, b) => at(a.span) - at(b.span) || a.i - b.i);
    for (const e of sorted) this.diagnostics.add(makeDiagnostic('error', this.source, e.span, e.message));
    this.errors.length = 0;
  }

  fresh(): Type {
    return this.supply.fresh();
  }

  /** The type of an expression an error was reported for (see {@link poisonedVars}). */
  errorType(): Type {
    const v = this.supply.fresh();
    this.poisonedVars.push(v.id);
    return v;
  }

  /** Whether `t` is still unknown only because of an erroneous expression already reported. */
  isPoisoned(t: Type): boolean {
    if (this.poisonedVars.length === 0) return false;
    const open = freeVars(this.subst.apply(t));
    if (open.size === 0) return false;
    return this.poisonedVars.some((id) => {
      const r = this.resolved({ kind: 'var', id });
      return r.kind === 'var' && open.has(r.id);
    });
  }

  /** An integer literal node; its type stays open until `finish` defaults it. */
  intLiteral(value: bigint, span: Span): MutExpr {
    const v = this.supply.fresh();
    const node: MutExpr = { kind: 'int', value, type: v };
    this.intLits.push({ id: v.id, node, span, negated: false });
    return node;
  }

  /** Marks the integer literal created last as the operand of a unary minus. */
  negateLastIntLiteral(): void {
    this.intLits[this.intLits.length - 1].negated = true;
  }

  floatLiteral(value: number, span: Span): MutExpr {
    const v = this.supply.fresh();
    this.floatLits.push({ id: v.id, span });
    return { kind: 'float', value, type: v };
  }

  /** A `[]` literal, whose element type must be inferred from elsewhere. */
  emptyArray(elem: Type, span: Span): void {
    this.emptyArrays.push({ elem, span });
  }

  /** A type for a message: what is still unknown shows as `_`, or `{integer}` / `{float}` for a literal's. */
  show(t: Type): string {
    const open = (x: Type): Type => {
      if (x.kind !== 'var') return mapChildren(x, open);
      const kind = this.literalKind(x.id);
      return named(kind === 'int' ? '{integer}' : kind === 'float' ? '{float}' : '_');
    };
    return `'${typeToString(open(this.subst.apply(t)))}'`;
  }

  /** Unifies and reports a mismatch at `span`; returns whether they fit. */
  expect(actual: Type, expected: Type, span: Span, context?: string): boolean {
    const what = context ? `${context}: ` : '';
    const clash = this.literalClash(actual, expected);
    if (clash) {
      this.error(span, `${what}mismatched types: expected ${clash.expected}, found ${clash.found}`);
      return false;
    }
    const failure = tryUnify(actual, expected, this.subst);
    if (!failure) return true;
    this.error(span, `${what}mismatched types: expected ${this.show(expected)}, found ${this.show(actual)}`);
    return false;
  }

  /**
   * A literal's type stays open until the body is checked, so unifying it with `text` would
   * succeed and the error would surface later, at the literal. Caught here, it is reported
   * where the two meet: `xs.push("a")` on `[1, 2]` is wrong at the push, not at the `1`.
   */
  private literalClash(actual: Type, expected: Type): { expected: string; found: string } | null {
    const a = this.resolved(actual);
    const e = this.resolved(expected);
    const fits = (kind: 'int' | 'float', t: Type): boolean => (kind === 'int' ? isNumeric(t) : isFloat(t));
    const name = (kind: 'int' | 'float'): string => (kind === 'int' ? 'an integer' : 'a float');
    if (a.kind === 'var' && e.kind !== 'var') {
      const kind = this.literalKind(a.id);
      if (kind && !fits(kind, e)) return { expected: this.show(e), found: name(kind) };
    } else if (e.kind === 'var' && a.kind !== 'var') {
      const kind = this.literalKind(e.id);
      if (kind && !fits(kind, a)) return { expected: name(kind), found: this.show(a) };
    }
    return null;
  }

  /** Whether the (root) type variable `id` is the still-open type of a number literal. */
  private literalKind(id: number): 'int' | 'float' | null {
    const same = (lit: number): boolean => {
      const r = this.resolved({ kind: 'var', id: lit });
      return r.kind === 'var' && r.id === id;
    };
    if (this.floatLits.some((l) => same(l.id))) return 'float';
    if (this.intLits.some((l) => same(l.id))) return 'int';
    return null;
  }

  resolved(t: Type): Type {
    return this.subst.resolve(t);
  }

  /**
   * The type of a value about to be looked into (`.field`, `.method()`, `.0`). A literal's type
   * is still open at this point; it gets its default now, so `3.x` says what `3` is.
   */
  receiverType(t: Type): Type {
    const r = this.resolved(t);
    if (r.kind !== 'var') return r;
    const kind = this.literalKind(r.id);
    if (kind) tryUnify(r, kind === 'float' ? T.f64 : T.i64, this.subst);
    return this.resolved(r);
  }

  /** Runs `check` on the final type of `t` after inference, unless inference left it unknown. */
  later(t: Type, check: (final: Type) => void): void {
    this.deferred.push(() => {
      const final = this.subst.apply(t);
      if (!containsVars(final)) check(final);
    });
  }

  /** Runs `run` after inference, in order with the checks queued by `later`. */
  defer(run: () => void): void {
    this.deferred.push(run);
  }

  /** After the body: default literals, run the checks that need final types, find unknowns. */
  finish(locals: ReadonlyArray<{ readonly local: IrLocal & { type: Type }; readonly span: Span | null }>): void {
    // Floats default first: in `2.0 * 3` both literals share one type, which must become f64.
    for (const lit of this.floatLits) {
      const t = this.resolved({ kind: 'var', id: lit.id });
      if (t.kind === 'var') tryUnify(t, T.f64, this.subst);
      else if (!isFloat(t)) this.error(lit.span, `mismatched types: expected ${this.show(t)}, found a float literal`);
    }
    for (const lit of this.intLits) {
      const t = this.resolved({ kind: 'var', id: lit.id });
      if (t.kind === 'var') tryUnify(t, T.i64, this.subst);
    }
    for (const lit of this.intLits) this.checkIntLiteral(lit.node, lit.span, lit.negated);
    for (const run of this.deferred) run();
    const reported = new Set<number>();
    for (const { local, span } of locals) {
      const t = this.subst.apply(local.type);
      if (containsVars(t)) {
        freeVars(t, reported);
        if (this.isPoisoned(t)) continue;
        this.error(
          span,
          `cannot infer the type of '${local.name}' (it is ${this.show(local.type)}); add a type annotation`,
        );
      }
    }
    // A `[]` that is never bound to a name: its element type has to come from somewhere too.
    for (const { elem, span } of this.emptyArrays) {
      const vars = freeVars(this.subst.apply(elem));
      if (vars.size === 0 || [...vars].some((v) => reported.has(v)) || this.isPoisoned(elem)) continue;
      vars.forEach((v) => reported.add(v));
      this.error(span, `cannot infer the element type of this empty array; give it a type, as in 'val xs: [i64] = []'`);
    }
  }

  private checkIntLiteral(node: MutExpr, span: Span, negated: boolean): void {
    const t = this.subst.apply(node.type);
    const value = node.value as bigint;
    if (isFloat(t)) return;
    if (t.kind !== 'int') {
      if (t.kind !== 'var') this.error(span, `mismatched types: expected ${this.show(t)}, found an integer literal`);
      return;
    }
    const max = t.signed ? (1n << BigInt(t.bits - 1)) - (negated ? 0n : 1n) : (1n << BigInt(t.bits)) - 1n;
    if (value > max) {
      const min = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
      const hi = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : max;
      this.error(span, `literal ${clipText(`${negated ? '-' : ''}${value}`)} does not fit in ${typeToString(t)} (${min} to ${hi})`);
    }
  }
}
