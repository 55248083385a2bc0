/**
 * The syntax tree of one Simple core module, exactly as written: no names are resolved and no
 * types are inferred here. Every node is discriminated by `kind` and carries the `span` of the
 * source text it came from, for diagnostics in later phases.
 */
import type { Span } from './source.js';

/** A name as written at a declaration or use site. */
export interface Ident {
  readonly kind: 'Ident';
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Type expressions

/** `i64`, `T`, `Pair<A, B>`, `f32x4`: which of these it is, is the checker's call. */
export interface NamedType {
  readonly kind: 'NamedType';
  readonly name: Ident;
  readonly args: readonly TypeExpr[];
  readonly span: Span;
}

/** `[T]` */
export interface ArrayType {
  readonly kind: 'ArrayType';
  readonly element: TypeExpr;
  readonly span: Span;
}

/** `(A, B, …)`; a single-element tuple needs a trailing comma, `(A,)`. */
export interface TupleType {
  readonly kind: 'TupleType';
  readonly elements: readonly TypeExpr[];
  readonly span: Span;
}

/** `()` */
export interface UnitType {
  readonly kind: 'UnitType';
  readonly span: Span;
}

export type TypeExpr = NamedType | ArrayType | TupleType | UnitType;

// ---------------------------------------------------------------------------------------------
// Expressions

export interface IntLit {
  readonly kind: 'Int';
  /** Never negative: `-5` is a unary minus applied to `5`. */
  readonly value: bigint;
  /** As written, e.g. `1_000` or `0xff`. */
  readonly raw: string;
  readonly span: Span;
}

export interface FloatLit {
  readonly kind: 'Float';
  readonly value: number;
  readonly raw: string;
  readonly span: Span;
}

export interface BoolLit {
  readonly kind: 'Bool';
  readonly value: boolean;
  readonly span: Span;
}

export interface StrText {
  readonly kind: 'StrText';
  /** Escapes decoded. */
  readonly value: string;
  readonly span: Span;
}

export interface StrInterp {
  readonly kind: 'StrInterp';
  readonly expr: Expr;
  /** Includes the braces. */
  readonly span: Span;
}

export type StrPart = StrText | StrInterp;

/** `"a {x} b"`: parts in source order; `""` has no parts. */
export interface StrLit {
  readonly kind: 'Str';
  readonly parts: readonly StrPart[];
  readonly span: Span;
}

/** A bare name: a variable, a function, or (as a callee or `.` receiver) a type such as `Pair`. */
export interface NameExpr {
  readonly kind: 'Name';
  readonly name: string;
  readonly span: Span;
}

/**
 * A name applied to explicit type arguments where no call follows directly, i.e. the receiver
 * of a static call: `Stack<i64>` in `Stack<i64>.new()`. (`f<i64>(x)` is a Call with typeArgs.)
 */
export interface GenericNameExpr {
  readonly kind: 'GenericName';
  readonly name: Ident;
  readonly typeArgs: readonly TypeExpr[];
  readonly span: Span;
}

export interface SelfExpr {
  readonly kind: 'Self';
  readonly span: Span;
}

export type UnaryOp = '-' | 'not';

export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span: Span;
}

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type BinaryOp =
  | 'or' | 'and'
  | ComparisonOp
  | '|' | '^' | '&' | '<<' | '>>'
  | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `x as f64` */
export interface CastExpr {
  readonly kind: 'Cast';
  readonly expr: Expr;
  readonly type: TypeExpr;
  readonly span: Span;
}

/** One call argument; `name` is set for `first: 1` style arguments. */
export interface Arg {
  readonly kind: 'Arg';
  readonly name: Ident | null;
  readonly value: Expr;
  readonly span: Span;
}

/**
 * Every call form: `f(a)`, `f<i64>(a)`, method calls `p.swap()` (callee is a Field), static
 * calls `Pair.of(1, 2)` / `Stack<i64>.new()` (callee is a Field on a Name / GenericName), and
 * struct construction `Pair(first: 1, second: "a")`, whose args are all named. The parser
 * guarantees args are either all named or all positional.
 */
export interface CallExpr {
  readonly kind: 'Call';
  readonly callee: Expr;
  /** Explicit type arguments written before the parentheses; empty when none. */
  readonly typeArgs: readonly TypeExpr[];
  readonly args: readonly Arg[];
  readonly span: Span;
}

/** `p.first`, also the callee of a method or static call. */
export interface FieldExpr {
  readonly kind: 'Field';
  readonly object: Expr;
  readonly name: Ident;
  readonly span: Span;
}

/** `t.0` */
export interface TupleFieldExpr {
  readonly kind: 'TupleField';
  readonly object: Expr;
  readonly index: number;
  readonly span: Span;
}

/** `xs[i]`, also SIMD lane access `v[0]`. */
export interface IndexExpr {
  readonly kind: 'Index';
  readonly object: Expr;
  readonly index: Expr;
  readonly span: Span;
}

/** `[1, 2, 3]`, `[]` */
export interface ArrayExpr {
  readonly kind: 'Array';
  readonly elements: readonly Expr[];
  readonly span: Span;
}

/** `(1, "a")`; one element only with a trailing comma, `(x,)`. */
export interface TupleExpr {
  readonly kind: 'Tuple';
  readonly elements: readonly Expr[];
  readonly span: Span;
}

/** `()` */
export interface UnitExpr {
  readonly kind: 'Unit';
  readonly span: Span;
}

export type Expr =
  | IntLit
  | FloatLit
  | BoolLit
  | StrLit
  | NameExpr
  | GenericNameExpr
  | SelfExpr
  | UnaryExpr
  | BinaryExpr
  | CastExpr
  | CallExpr
  | FieldExpr
  | TupleFieldExpr
  | IndexExpr
  | ArrayExpr
  | TupleExpr
  | UnitExpr;

// ---------------------------------------------------------------------------------------------
// Statements

/** An indented block (or the single statement after `:` on the same line). */
export interface Block {
  readonly kind: 'Block';
  readonly statements: readonly Stmt[];
  readonly span: Span;
}

/** `val x = e` (`mutable: false`) or `var x: T = e` (`mutable: true`). */
export interface LetStmt {
  readonly kind: 'Let';
  readonly mutable: boolean;
  readonly name: Ident;
  readonly type: TypeExpr | null;
  readonly value: Expr;
  readonly span: Span;
}

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=';

/** What may stand left of `=`: a variable, a field, an element. */
export type Place = NameExpr | FieldExpr | IndexExpr;

export interface AssignStmt {
  readonly kind: 'Assign';
  readonly target: Place;
  readonly op: AssignOp;
  readonly value: Expr;
  readonly span: Span;
}

/** One `if c:` or `elif c:` arm. */
export interface IfBranch {
  readonly kind: 'IfBranch';
  readonly condition: Expr;
  readonly body: Block;
  readonly span: Span;
}

/**
 * `if` / `elif` / `else`. It is a statement; when it is the last statement of a block, has an
 * `else`, and every branch ends in a value, the checker treats it as the block's value.
 */
export interface IfStmt {
  readonly kind: 'If';
  /** The `if` arm first, then each `elif`; never empty. */
  readonly branches: readonly IfBranch[];
  readonly elseBody: Block | null;
  readonly span: Span;
}

export interface WhileStmt {
  readonly kind: 'While';
  readonly condition: Expr;
  readonly body: Block;
  readonly span: Span;
}

/** `a..b` (end excluded) or `a..=b`; only valid as the iterable of `for`. */
export interface RangeIterable {
  readonly kind: 'Range';
  readonly start: Expr;
  readonly end: Expr;
  readonly inclusive: boolean;
  readonly span: Span;
}

export interface ForStmt {
  readonly kind: 'For';
  readonly binding: Ident;
  readonly iterable: RangeIterable | Expr;
  readonly body: Block;
  readonly span: Span;
}

export interface BreakStmt {
  readonly kind: 'Break';
  readonly span: Span;
}

export interface ContinueStmt {
  readonly kind: 'Continue';
  readonly span: Span;
}

export interface ReturnStmt {
  readonly kind: 'Return';
  readonly value: Expr | null;
  readonly span: Span;
}

export interface ExprStmt {
  readonly kind: 'ExprStmt';
  readonly expr: Expr;
  readonly span: Span;
}

export type Stmt =
  | LetStmt
  | AssignStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | BreakStmt
  | ContinueStmt
  | ReturnStmt
  | ExprStmt;

// ---------------------------------------------------------------------------------------------
// Declarations

export interface TypeParam {
  readonly kind: 'TypeParam';
  readonly name: Ident;
  readonly span: Span;
}

export interface Param {
  readonly kind: 'Param';
  readonly name: Ident;
  readonly type: TypeExpr;
  readonly span: Span;
}

/**
 * How a function relates to `self`: `none` for a top-level fn; inside `impl`, `fn` reads
 * `self`, `me` may assign to its fields, `static` has no `self`.
 */
export type Receiver = 'none' | 'fn' | 'me' | 'static';

export interface FnDecl {
  readonly kind: 'Fn';
  readonly name: Ident;
  readonly typeParams: readonly TypeParam[];
  readonly params: readonly Param[];
  /** null when no `-> R` is written: the fn returns nothing. */
  readonly returnType: TypeExpr | null;
  /** null exactly when `isExtern`. */
  readonly body: Block | null;
  readonly isExtern: boolean;
  readonly receiver: Receiver;
  readonly span: Span;
}

export interface FieldDecl {
  readonly kind: 'FieldDecl';
  readonly name: Ident;
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface StructDecl {
  readonly kind: 'Struct';
  readonly name: Ident;
  readonly typeParams: readonly TypeParam[];
  readonly fields: readonly FieldDecl[];
  readonly span: Span;
}

/** `impl Pair:`; the struct's own type parameters are in scope, so `typeParams` is usually empty. */
export interface ImplDecl {
  readonly kind: 'Impl';
  readonly target: Ident;
  /** Only when written out, as in `impl Pair<A, B>:`. */
  readonly typeParams: readonly TypeParam[];
  readonly methods: readonly FnDecl[];
  readonly span: Span;
}

export type Item = FnDecl | StructDecl | ImplDecl;

export interface UseAll {
  readonly kind: 'UseAll';
  readonly span: Span;
}

export interface UseNames {
  readonly kind: 'UseNames';
  readonly names: readonly Ident[];
  readonly span: Span;
}

/**
 * `use lib.{max, Stack}` → path [lib], UseNames [max, Stack]; `use lib.*` → UseAll;
 * `use a.b.{c}` → path [a, b]; `use lib.max` is shorthand for `use lib.{max}`.
 */
export interface UseDecl {
  readonly kind: 'Use';
  readonly path: readonly Ident[];
  readonly imports: UseAll | UseNames;
  readonly span: Span;
}

export interface ModuleAst {
  readonly kind: 'Module';
  readonly uses: readonly UseDecl[];
  readonly items: readonly Item[];
  readonly span: Span;
}
