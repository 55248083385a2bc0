import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { binary, cast, edgeValues, FLOAT_TYPES, INT_TYPES, maxOf, minOf, NUM_TYPES, opsFor, sameOutcome } from './arith/model.js';
import type { Num, NumType } from './arith/model.js';
import { castProgram, expressionProgram, literalProgram, operatorProgram } from './arith/programs.js';
import { describeDisagreements, loadProgram, normalise, runProgram } from './arith/run.js';
import { fuzzSeed } from './seed.js';

/*
 * Differential tests of arithmetic: programs generated from the reference model's operator and
 * cast tables, compiled and loaded for real, every result compared with the model
 * (./arith/model.ts, written from LANGUAGE.md and docs/language-notes.md). The long run is
 * `npm run fuzz -- --only arith`.
 */

function expectAgreement(program: Parameters<typeof runProgram>[0], seed?: number): number {
  const { checked, disagreements } = runProgram(program);
  const where = seed === undefined ? '' : ` (seed ${seed}; replay with FUZZ_SEED=${seed})`;
  expect(disagreements, `disagreements with the model${where}:\n${describeDisagreements(disagreements)}`).toEqual([]);
  return checked;
}

describe('the reference model itself', () => {
  // A few values the documents spell out, so a mistake in the model cannot hide a compiler bug.
  it('follows the documented rules', () => {
    expect(binary('/', 'i8', -128n, -1n)).toBe(-128n);
    expect(binary('%', 'i64', -(1n << 63n), -1n)).toBe(0n);
    expect(binary('/', 'i32', 7n, -1n)).toBe(-7n);
    expect(binary('/', 'u8', 7n, 0n)).toBe('trap');
    expect(binary('<<', 'i8', 1n, 9n)).toBe(2n);
    expect(binary('>>', 'u16', 0x8000n, 17n)).toBe(0x4000n);
    expect(binary('+', 'u8', 255n, 1n)).toBe(0n);
    expect(binary('%', 'f64', -5.5, 2)).toBe(-1.5);
    expect(cast('f64', 'i8', 300.7)).toBe(127n);
    expect(cast('f64', 'u32', -3.9)).toBe(0n);
    expect(cast('f32', 'i64', NaN)).toBe(0n);
    expect(cast('i32', 'u8', -1n)).toBe(255n);
    // One rounding: 2^24 + 1 + 2^-k would round up through f64 first, but is exact to the tie here.
    expect(cast('i64', 'f32', (1n << 60n) + (1n << 36n) + 1n)).toBe(Math.fround(2 ** 60) + 2 ** 37);
    expect(cast('i64', 'f32', (1n << 60n) + (1n << 36n))).toBe(2 ** 60);
  });
});

describe('every operator on every numeric type, with edge operands', () => {
  it('integers: + - * / % & | ^ << >> comparisons, unary minus and compound assignment', () => {
    const n = expectAgreement(operatorProgram(INT_TYPES));
    expect(n).toBeGreaterThan(INT_TYPES.length * 16 * edgeValues('u8').length ** 2);
  });
  it('floats: + - * / % comparisons, unary minus and compound assignment (NaN, ±inf, ±0)', () => {
    expectAgreement(operatorProgram(FLOAT_TYPES));
  });
});

describe('every cast between numeric types', () => {
  it('as, from each type to each type, on edge values', () => {
    expect(expectAgreement(castProgram(NUM_TYPES))).toBe(NUM_TYPES.reduce((n, f) => n + NUM_TYPES.length * edgeValues(f).length, 0));
  });
});

describe('random expressions', () => {
  const seed = fuzzSeed(20261206);
  it(`mixed operators and casts with random operands (seed ${seed})`, () => {
    expectAgreement(expressionProgram(seed, 150, 20), seed);
  });
  it(`operations on literals (seed ${seed})`, () => {
    expectAgreement(literalProgram(seed, 200), seed);
  });
});

describe('random operands (fast-check: a failure shrinks to the smallest operands and prints its seed)', () => {
  // One program with every operator and cast; fast-check picks the type, the operation and the
  // operands, edge values often.
  const ops = operatorProgram(NUM_TYPES);
  const casts = castProgram(NUM_TYPES);
  const program = loadProgram(ops.source + '\n' + casts.source);
  afterAll(() => program.dispose());
  const OP_NAMES: Record<string, string> = {
    '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'rem', '&': 'and', '|': 'or', '^': 'xor',
    '<<': 'shl', '>>': 'shr', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
  };
  const value = (t: NumType): fc.Arbitrary<Num> => {
    if (t === 'f64') return fc.oneof(fc.constantFrom(...edgeValues(t)), fc.double());
    if (t === 'f32') return fc.oneof(fc.constantFrom(...edgeValues(t)), fc.float());
    return fc.oneof(fc.constantFrom(...edgeValues(t)), fc.bigInt({ min: minOf(t), max: maxOf(t) }));
  };
  const seed = fuzzSeed(424242);

  it(`binary operators (seed ${seed})`, () => {
    const cases = fc.constantFrom(...NUM_TYPES).chain((t) => fc.tuple(fc.constant(t), fc.constantFrom(...opsFor(t)), value(t), value(t)));
    fc.assert(
      fc.property(cases, ([t, op, a, b]) => {
        const expected = binary(op, t, a, b);
        const actual = normalise(program.call(`op_${OP_NAMES[op]}_${t}`, [a, b], [t, t]), expected);
        expect(sameOutcome(actual, expected), `${String(a)} ${op} ${String(b)} at ${t}: model ${String(expected)}, program ${String(actual)}`).toBe(true);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it(`casts (seed ${seed})`, () => {
    const cases = fc.tuple(fc.constantFrom(...NUM_TYPES), fc.constantFrom(...NUM_TYPES)).chain(([f, t]) => fc.tuple(fc.constant(f), fc.constant(t), value(f)));
    fc.assert(
      fc.property(cases, ([f, t, a]) => {
        const expected = cast(f, t, a);
        const actual = normalise(program.call(`cast_${f}_${t}`, [a], [f]), expected);
        expect(sameOutcome(actual, expected), `${String(a)} as ${t} from ${f}: model ${String(expected)}, program ${String(actual)}`).toBe(true);
      }),
      { seed, numRuns: 3000 },
    );
  });
});
