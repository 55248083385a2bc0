import { binary, cast, CMP_OPS, edgeValues, FLOAT_TYPES, isFloat, negate, NUM_TYPES, opsFor, signed, wrap } from './model.js';
import type { BinOp, Num, NumType, Outcome } from './model.js';

/*
 * Simple programs that apply operators and casts, each with the cases to call it with and the
 * outcome the model expects. Many operations go into one program so one compile serves
 * thousands of checks.
 */

export interface Case {
  fn: string;
  /** Arguments in the model's form (bigint for integers). */
  args: Num[];
  argTypes: NumType[];
  expected: Outcome;
  /** What the case applies, for a failure message. */
  what: string;
}

export interface ArithProgram {
  source: string;
  cases: Case[];
}

const OP_NAMES: Record<BinOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'rem', '&': 'and', '|': 'or', '^': 'xor',
  '<<': 'shl', '>>': 'shr', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
};

/** Source text for a value of type `t`: a literal, or an expression for NaN, infinities and -0. */
export function literal(t: NumType, v: Num): string {
  if (!isFloat(t)) return String(v);
  const x = v as number;
  const f = t === 'f32' ? 'f32' : 'f64';
  if (Number.isNaN(x)) return `(0.0 as ${f}) / (0.0 as ${f})`;
  if (x === Infinity) return `(1.0 as ${f}) / (0.0 as ${f})`;
  if (x === -Infinity) return `(-1.0 as ${f}) / (0.0 as ${f})`;
  if (Object.is(x, -0)) return '-0.0';
  let s = String(x).replace('e+', 'e');
  if (!/[.e]/.test(s)) s += '.0';
  return s;
}

const show = (v: unknown): string => (typeof v === 'bigint' ? `${v}` : Object.is(v, -0) ? '-0' : String(v));

/** Every binary operator, unary minus and compound assignment on `types`, called with all pairs of edge operands (plus `extra`). */
export function operatorProgram(types: readonly NumType[], extra: (t: NumType) => Num[] = () => []): ArithProgram {
  const lines: string[] = [];
  const cases: Case[] = [];
  for (const t of types) {
    const operands = [...edgeValues(t), ...extra(t)];
    for (const op of opsFor(t)) {
      const name = `op_${OP_NAMES[op]}_${t}`;
      const result = (CMP_OPS as readonly string[]).includes(op) ? 'bool' : t;
      lines.push(`fn ${name}(a: ${t}, b: ${t}) -> ${result}:`, `    a ${op} b`, '');
      const compound = ['+', '-', '*', '/', '%'].includes(op);
      const cname = `ca_${OP_NAMES[op]}_${t}`;
      if (compound) lines.push(`fn ${cname}(a: ${t}, b: ${t}) -> ${t}:`, '    var x = a', `    x ${op}= b`, '    x', '');
      for (const a of operands) {
        for (const b of operands) {
          const expected = binary(op, t, a, b);
          const what = `${show(a)} ${op} ${show(b)} at ${t}`;
          cases.push({ fn: name, args: [a, b], argTypes: [t, t], expected, what });
          if (compound) cases.push({ fn: cname, args: [a, b], argTypes: [t, t], expected, what: `x ${op}= ${show(b)} with x = ${show(a)} at ${t}` });
        }
      }
    }
    lines.push(`fn neg_${t}(a: ${t}) -> ${t}:`, '    -a', '');
    for (const a of operands) cases.push({ fn: `neg_${t}`, args: [a], argTypes: [t], expected: negate(t, a), what: `-(${show(a)}) at ${t}` });
  }
  return { source: lines.join('\n'), cases };
}

/** Every `as` cast from each of `from` to every numeric type, on the source type's edge values. */
export function castProgram(from: readonly NumType[] = NUM_TYPES, extra: (t: NumType) => Num[] = () => []): ArithProgram {
  const lines: string[] = [];
  const cases: Case[] = [];
  for (const f of from) {
    for (const t of NUM_TYPES) {
      const name = `cast_${f}_${t}`;
      lines.push(`fn ${name}(a: ${f}) -> ${t}:`, `    a as ${t}`, '');
      for (const a of [...edgeValues(f), ...extra(f)]) {
        cases.push({ fn: name, args: [a], argTypes: [f], expected: cast(f, t, a), what: `${show(a)} as ${t} from ${f}` });
      }
    }
  }
  return { source: lines.join('\n'), cases };
}

/** A small deterministic generator (mulberry32), so a program is reproduced from its seed alone. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random value of `t`: an edge value half the time, else a random one of any magnitude. */
export function randomValue(t: NumType, r: () => number): Num {
  const edges = edgeValues(t);
  if (r() < 0.5) return edges[Math.floor(r() * edges.length)];
  if (isFloat(t)) {
    const mag = Math.pow(2, Math.floor(r() * 140) - 70) * (r() < 0.5 ? -1 : 1);
    const v = r() < 0.3 ? Math.round(mag * r()) : mag * r();
    return t === 'f32' ? Math.fround(v) : v;
  }
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(Math.floor(r() * 65536));
  if (r() < 0.4) v >>= BigInt(Math.floor(r() * 64));
  return wrap(t, signed(t) && r() < 0.5 ? -v : v);
}

interface Expr {
  text: string;
  /** The expression's outcome given the parameters' values. */
  eval: (env: Num[]) => Outcome;
}

/**
 * A random expression of type `t` over parameters `a`, `b` (of type `pt`), literals and casts,
 * fully parenthesised; its value computed by the model.
 */
function expression(t: NumType, pt: NumType, depth: number, r: () => number, consts: string[]): Expr {
  const pick = r();
  if (depth === 0 || pick < 0.2) {
    if (t === pt && r() < 0.7) {
      const i = r() < 0.5 ? 0 : 1;
      return { text: 'ab'[i], eval: (env) => env[i] };
    }
    if (t !== pt && r() < 0.5) {
      const i = r() < 0.5 ? 0 : 1;
      return { text: `(${'ab'[i]} as ${t})`, eval: (env) => cast(pt, t, env[i]) };
    }
    // A literal is bound to a typed `val` first: inside `x as T` it would default to i64.
    const v = randomValue(t, r);
    const name = `k${consts.length}`;
    consts.push(`    val ${name}: ${t} = ${literal(t, v)}`);
    return { text: name, eval: () => v };
  }
  if (pick < 0.3) {
    const from = [...NUM_TYPES][Math.floor(r() * NUM_TYPES.length)];
    const inner = expression(from, pt, depth - 1, r, consts);
    return { text: `(${inner.text} as ${t})`, eval: (env) => lift(inner.eval(env), (x) => cast(from, t, x)) };
  }
  if (pick < 0.37) {
    const inner = expression(t, pt, depth - 1, r, consts);
    return { text: `(-${inner.text})`, eval: (env) => lift(inner.eval(env), (x) => negate(t, x)) };
  }
  const ops = opsFor(t).filter((o) => !(CMP_OPS as readonly string[]).includes(o));
  const op = ops[Math.floor(r() * ops.length)];
  const x = expression(t, pt, depth - 1, r, consts);
  const y = expression(t, pt, depth - 1, r, consts);
  return {
    text: `(${x.text} ${op} ${y.text})`,
    // Operands are evaluated left to right, so a trap on the left wins; either way it is a trap.
    eval: (env) => {
      const l = x.eval(env);
      if (l === 'trap') return 'trap';
      const rr = y.eval(env);
      if (rr === 'trap') return 'trap';
      return binary(op, t, l as Num, rr as Num);
    },
  };
}

function lift(v: Outcome, f: (x: Num) => Num): Outcome {
  return v === 'trap' ? 'trap' : f(v as Num);
}

/** `count` random expression functions, each called with `calls` random argument pairs. */
export function expressionProgram(seed: number, count: number, calls: number, maxDepth = 4): ArithProgram {
  const r = rng(seed);
  const lines: string[] = [];
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const t = NUM_TYPES[Math.floor(r() * NUM_TYPES.length)];
    const pt = r() < 0.7 ? t : NUM_TYPES[Math.floor(r() * NUM_TYPES.length)];
    const consts: string[] = [];
    const e = expression(t, pt, 1 + Math.floor(r() * maxDepth), r, consts);
    const name = `e${i}`;
    lines.push(`fn ${name}(a: ${pt}, b: ${pt}) -> ${t}:`, ...consts, `    ${e.text}`, '');
    for (let k = 0; k < calls; k++) {
      const args = [randomValue(pt, r), randomValue(pt, r)];
      cases.push({ fn: name, args, argTypes: [pt, pt], expected: e.eval(args), what: `${[...consts.map((c) => c.trim()), e.text].join('; ')} with a = ${show(args[0])}, b = ${show(args[1])} (${pt} -> ${t}; seed ${seed})` });
    }
  }
  return { source: lines.join('\n'), cases };
}

/** Operations on literal operands only (what constant folding, if any, must get right), one function per case. */
export function literalProgram(seed: number, count: number): ArithProgram {
  const r = rng(seed);
  const lines: string[] = [];
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const t = NUM_TYPES[Math.floor(r() * NUM_TYPES.length)];
    const ops = opsFor(t);
    const op = ops[Math.floor(r() * ops.length)];
    const a = randomValue(t, r);
    const b = randomValue(t, r);
    const result = (CMP_OPS as readonly string[]).includes(op) ? 'bool' : t;
    lines.push(`fn k${i}() -> ${result}:`, `    val a: ${t} = ${literal(t, a)}`, `    val b: ${t} = ${literal(t, b)}`, `    a ${op} b`, '');
    cases.push({ fn: `k${i}`, args: [], argTypes: [], expected: binary(op, t, a, b), what: `${literal(t, a)} ${op} ${literal(t, b)} at ${t} (literals; seed ${seed})` });
  }
  return { source: lines.join('\n'), cases };
}

export { FLOAT_TYPES };
