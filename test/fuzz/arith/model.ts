/*
 * A reference model of Simple's numeric operators and casts, written from
 * ../shared/LANGUAGE.md and docs/language-notes.md only (never from the compiler's code):
 * integers as BigInt wrapped to their width, f64 as JS numbers, f32 as Math.fround'ed numbers.
 *
 * Where both documents are silent the model takes the common choice and says so here:
 * - `>>` on a signed type is arithmetic (sign-filling), on an unsigned type logical;
 * - unary `-` on an unsigned type wraps (`-1 as u8` is 255), as "wrapping arithmetic" implies;
 * - an integer converted to a float rounds to nearest, ties to even (IEEE conversion).
 */

export type NumType = 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64' | 'f32' | 'f64';
export const INT_TYPES: readonly NumType[] = ['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64'];
export const FLOAT_TYPES: readonly NumType[] = ['f32', 'f64'];
export const NUM_TYPES: readonly NumType[] = [...INT_TYPES, ...FLOAT_TYPES];

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type BitOp = '&' | '|' | '^' | '<<' | '>>';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type BinOp = ArithOp | BitOp | CmpOp;
export const ARITH_OPS: readonly ArithOp[] = ['+', '-', '*', '/', '%'];
export const BIT_OPS: readonly BitOp[] = ['&', '|', '^', '<<', '>>'];
export const CMP_OPS: readonly CmpOp[] = ['==', '!=', '<', '<=', '>', '>='];

/** A value of a numeric type: bigint for integers, number for floats. */
export type Num = bigint | number;
/** What an operation gives: a value, a bool (comparisons), or a trap (division by zero). */
export type Outcome = Num | boolean | 'trap';

export const isFloat = (t: NumType): boolean => t === 'f32' || t === 'f64';
export const bits = (t: NumType): number => Number(t.slice(1));
export const signed = (t: NumType): boolean => t[0] === 'i';

export function minOf(t: NumType): bigint {
  return signed(t) ? -(1n << BigInt(bits(t) - 1)) : 0n;
}
export function maxOf(t: NumType): bigint {
  return signed(t) ? (1n << BigInt(bits(t) - 1)) - 1n : (1n << BigInt(bits(t))) - 1n;
}

/** Two's-complement wrap of any integer to `t`'s width. */
export function wrap(t: NumType, v: bigint): bigint {
  return signed(t) ? BigInt.asIntN(bits(t), v) : BigInt.asUintN(bits(t), v);
}

/** A float rounded to `t` (f32 through Math.fround; f64 unchanged). */
export function roundFloat(t: NumType, v: number): number {
  return t === 'f32' ? Math.fround(v) : v;
}

/** An exact integer rounded to the nearest f32, ties to even, in one rounding (not via f64). */
function bigToF32(v: bigint): number {
  const neg = v < 0n;
  let m = neg ? -v : v;
  const len = m.toString(2).length;
  if (len > 24) {
    const drop = BigInt(len - 24);
    const kept = m >> drop;
    const rest = m - (kept << drop);
    const half = 1n << (drop - 1n);
    let q = kept;
    if (rest > half || (rest === half && (kept & 1n) === 1n)) q += 1n;
    m = q << drop;
  }
  const r = Number(m); // exact: at most 25 significant bits
  return neg ? -r : r;
}

/** `v as to`, where v is a value of type `from`. */
export function cast(from: NumType, to: NumType, v: Num): Num {
  if (!isFloat(from) && !isFloat(to)) return wrap(to, v as bigint);
  if (!isFloat(from)) return to === 'f32' ? bigToF32(v as bigint) : Number(v as bigint); // Number(bigint) rounds once, ties to even
  const x = v as number;
  if (isFloat(to)) return roundFloat(to, x);
  if (Number.isNaN(x)) return 0n;
  if (x === Infinity) return maxOf(to);
  if (x === -Infinity) return minOf(to);
  const t = BigInt(Math.trunc(x));
  if (t < minOf(to)) return minOf(to);
  if (t > maxOf(to)) return maxOf(to);
  return t;
}

export function negate(t: NumType, v: Num): Num {
  return isFloat(t) ? -(v as number) : wrap(t, -(v as bigint));
}

function compare(op: CmpOp, a: Num, b: Num): boolean {
  switch (op) {
    case '==': return a === b || (typeof a === 'number' && a === b);
    case '!=': return !(a === b);
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** `a op b` at type `t`; a comparison gives a bool. Bitwise operators are integer-only. */
export function binary(op: BinOp, t: NumType, a: Num, b: Num): Outcome {
  if ((CMP_OPS as readonly string[]).includes(op)) return compare(op as CmpOp, a, b);
  if (isFloat(t)) {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case '+': return roundFloat(t, x + y);
      case '-': return roundFloat(t, x - y);
      case '*': return roundFloat(t, x * y);
      case '/': return roundFloat(t, x / y);
      case '%': return roundFloat(t, x % y); // ECMAScript % is C fmod: exact, sign of the dividend
      default: throw new Error(`${op} is not a float operator`);
    }
  }
  const x = a as bigint;
  const y = b as bigint;
  const w = BigInt(bits(t));
  switch (op) {
    case '+': return wrap(t, x + y);
    case '-': return wrap(t, x - y);
    case '*': return wrap(t, x * y);
    case '/': return y === 0n ? 'trap' : wrap(t, x / y); // BigInt division truncates; MIN / -1 wraps
    case '%': return y === 0n ? 'trap' : wrap(t, x % y); // sign of the dividend; MIN % -1 is 0
    case '&': return wrap(t, x & y);
    case '|': return wrap(t, x | y);
    case '^': return wrap(t, x ^ y);
    case '<<': return wrap(t, x << (((y % w) + w) % w));
    case '>>': {
      const n = ((y % w) + w) % w;
      return wrap(t, x >> n); // x already has its type's sign: arithmetic for signed, logical for unsigned
    }
    default: throw new Error(`unknown operator ${op}`);
  }
}

/** The operators that apply to `t` (bitwise and shifts only to integers). */
export function opsFor(t: NumType): BinOp[] {
  return isFloat(t) ? [...ARITH_OPS, ...CMP_OPS] : [...ARITH_OPS, ...BIT_OPS, ...CMP_OPS];
}

/** Edge operands of `t`: 0, ±1, MIN, MAX and neighbours, shift counts around the width; for floats also ±0, NaN, ±inf. */
export function edgeValues(t: NumType): Num[] {
  if (isFloat(t)) {
    const max = t === 'f32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = t === 'f32' ? 1.401298464324817e-45 : Number.MIN_VALUE;
    const vs = [0, -0, 1, -1, 0.5, -1.5, 2.5, 0.1, 3, 7, NaN, Infinity, -Infinity, max, -max, tiny,
      127.9, -128.9, 255.5, 2147483648, -2147483649, 4294967296, 9223372036854775807, -9223372036854775808, 18446744073709551616, 1e30];
    return vs.map((v) => roundFloat(t, v));
  }
  const w = BigInt(bits(t));
  const vs = [0n, 1n, 2n, 3n, 7n, minOf(t), minOf(t) + 1n, maxOf(t), maxOf(t) - 1n, w - 1n, w, w + 1n, 2n * w];
  if (signed(t)) vs.push(-1n, -2n, -7n, -w);
  // Rounds to f32 differently in one step than through f64 (a double rounding would miss it).
  if (bits(t) === 64) vs.push((1n << 60n) + (1n << 36n) + 1n, -((1n << 60n) + (1n << 36n) + 1n));
  return [...new Set(vs.map((v) => wrap(t, v)))];
}

/** Two outcomes are the same: NaN equals NaN, and 0 and -0 differ. */
export function sameOutcome(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}
