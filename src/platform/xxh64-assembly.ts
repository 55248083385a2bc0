/**
 * The xxh64 hasher's WebAssembly module, assembled from the algorithm as xxHash64's specification
 * defines it (primes, rounds, merge, avalanche). Not loaded at run time: assembling it cold (BigInt
 * constants, array spreads) cost ~4 ms of a process's first hash, so its bytes are kept in
 * xxh64-module.ts, written by `node scripts/gen-xxh64.mjs` from this file after a build;
 * test/smf/xxh64.test.ts checks the two agree.
 */
import { WASM_HEADER, asciiName, section, uleb, vector } from '../tiny-wasm.js';

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

// The few opcodes the module uses (WebAssembly core spec, binary format).
const enum Op {
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  Call = 0x10,
  LocalGet = 0x20,
  LocalSet = 0x21,
  I64Load = 0x29,
  I64Store = 0x37,
  I64Load8U = 0x31,
  I64Load32U = 0x35,
  I32Const = 0x41,
  I64Const = 0x42,
  I64Eq = 0x51,
  I32GtU = 0x4b,
  I32LeU = 0x4d,
  I32GeU = 0x4f,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Mul = 0x7e,
  I64Xor = 0x85,
  I64ShrU = 0x88,
  I64Rotl = 0x89,
  I64ExtendI32U = 0xad,
}
const VOID = 0x40;
const I32 = 0x7f;
const I64 = 0x7e;

function sleb64(v: bigint): number[] {
  let n = BigInt.asIntN(64, v);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const i64 = (v: bigint): number[] => [Op.I64Const, ...sleb64(v)];
const get = (l: number): number[] => [Op.LocalGet, l];
const set = (l: number): number[] => [Op.LocalSet, l];
/** A load at `p + offset` (alignment hint 1 byte: the input need not be aligned). */
const load = (op: Op, p: number, offset = 0): number[] => [...get(p), op, 0, ...uleb(offset)];
const body = (locals: number[][], code: number[]): number[] => {
  const inner = [...vector(locals), ...code, Op.End];
  return [...uleb(inner.length), ...inner];
};

export function hasherModule(): Uint8Array<ArrayBuffer> {
  // func 0, round(acc, input) = rotl(acc + input * P2, 31) * P1
  const ROUND = 0;
  const roundCode = [...get(0), ...get(1), ...i64(P2), Op.I64Mul, Op.I64Add, ...i64(31n), Op.I64Rotl, ...i64(P1), Op.I64Mul];

  // func 1, hash(len: i32, seed: i64) -> i64 over memory[0, len).
  const [LEN, SEED, P, LIMIT, V1, V2, V3, V4, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const rotlMul = (r: bigint, prime: bigint): number[] => [...i64(r), Op.I64Rotl, ...i64(prime), Op.I64Mul];
  const merge = (v: number): number[] => [...get(H), ...i64(0n), ...get(v), Op.Call, ROUND, Op.I64Xor, ...i64(P1), Op.I64Mul, ...i64(P4), Op.I64Add, ...set(H)];
  const stripe = (v: number, offset: number): number[] => [...get(v), ...load(Op.I64Load, P, offset), Op.Call, ROUND, ...set(v)];
  const addP = (n: number): number[] => [...get(P), Op.I32Const, ...uleb(n), Op.I32Add, ...set(P)];
  const shiftXorMul = (s: bigint, prime: bigint): number[] => [...get(H), ...get(H), ...i64(s), Op.I64ShrU, Op.I64Xor, ...i64(prime), Op.I64Mul, ...set(H)];
  const hashCode = [
    ...get(LEN), Op.I32Const, 32, Op.I32GeU, Op.If, VOID,
    ...get(SEED), ...i64(P1 + P2), Op.I64Add, ...set(V1),
    ...get(SEED), ...i64(P2), Op.I64Add, ...set(V2),
    ...get(SEED), ...set(V3),
    ...get(SEED), ...i64(P1), Op.I64Sub, ...set(V4),
    ...get(LEN), Op.I32Const, 32, Op.I32Sub, ...set(LIMIT),
    Op.Loop, VOID,
    ...stripe(V1, 0), ...stripe(V2, 8), ...stripe(V3, 16), ...stripe(V4, 24),
    ...addP(32),
    ...get(P), ...get(LIMIT), Op.I32LeU, Op.BrIf, 0,
    Op.End,
    ...get(V1), ...i64(1n), Op.I64Rotl, ...get(V2), ...i64(7n), Op.I64Rotl, Op.I64Add,
    ...get(V3), ...i64(12n), Op.I64Rotl, Op.I64Add, ...get(V4), ...i64(18n), Op.I64Rotl, Op.I64Add, ...set(H),
    ...merge(V1), ...merge(V2), ...merge(V3), ...merge(V4),
    Op.Else,
    ...get(SEED), ...i64(P5), Op.I64Add, ...set(H),
    Op.End,
    ...get(H), ...get(LEN), Op.I64ExtendI32U, Op.I64Add, ...set(H),
    // Whole 8-byte lanes.
    Op.Block, VOID, Op.Loop, VOID,
    ...get(P), Op.I32Const, 8, Op.I32Add, ...get(LEN), Op.I32GtU, Op.BrIf, 1,
    ...get(H), ...i64(0n), ...load(Op.I64Load, P), Op.Call, ROUND, Op.I64Xor, ...rotlMul(27n, P1), ...i64(P4), Op.I64Add, ...set(H),
    ...addP(8), Op.Br, 0,
    Op.End, Op.End,
    // One 4-byte lane.
    ...get(P), Op.I32Const, 4, Op.I32Add, ...get(LEN), Op.I32LeU, Op.If, VOID,
    ...get(H), ...load(Op.I64Load32U, P), ...i64(P1), Op.I64Mul, Op.I64Xor, ...rotlMul(23n, P2), ...i64(P3), Op.I64Add, ...set(H),
    ...addP(4),
    Op.End,
    // The bytes left.
    Op.Block, VOID, Op.Loop, VOID,
    ...get(P), ...get(LEN), Op.I32GeU, Op.BrIf, 1,
    ...get(H), ...load(Op.I64Load8U, P), ...i64(P5), Op.I64Mul, Op.I64Xor, ...rotlMul(11n, P1), ...set(H),
    ...addP(1), Op.Br, 0,
    Op.End, Op.End,
    ...shiftXorMul(33n, P2), ...shiftXorMul(29n, P3),
    ...get(H), ...get(H), ...i64(32n), Op.I64ShrU, Op.I64Xor,
  ];

  // func 2, verify(len: i32, field: i32) -> i32: whether the 8 bytes at `field` hold the hash
  // (seed 0) of memory[0, len) with those 8 bytes taken as zero — the SMF module hash checked
  // with no BigInt crossing into JavaScript. The field is left zero.
  const [VLEN, FIELD, STORED] = [0, 1, 2];
  const verifyCode = [
    ...load(Op.I64Load, FIELD), ...set(STORED),
    ...get(FIELD), ...i64(0n), Op.I64Store, 0, 0,
    ...get(VLEN), ...i64(0n), Op.Call, 1, ...get(STORED), Op.I64Eq,
  ];

  return new Uint8Array([
    ...WASM_HEADER,
    ...section(1, vector([[0x60, 2, I64, I64, 1, I64], [0x60, 2, I32, I64, 1, I64], [0x60, 2, I32, I32, 1, I32]])),
    ...section(3, vector([[0], [1], [2]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...asciiName('memory'), 0x02, 0], [...asciiName('hash'), 0x00, 1], [...asciiName('verify'), 0x00, 2]])),
    ...section(10, vector([body([], roundCode), body([[2, I32], [5, I64]], hashCode), body([[1, I64]], verifyCode)])),
  ]);
}
