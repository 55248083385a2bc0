/**
 * Instances the JIT compiled, kept in the requiring module's SMF (section `jit_cache`) by the
 * note.sdn write-back, so that the next run loads them instead of compiling them again.
 *
 * Each entry is keyed by a fingerprint of what the code was compiled from — the template's
 * syntax tree (without positions), its signature, and the definitions of the structs involved —
 * so an entry whose template or types changed since is ignored, never run.
 *
 *   "JITC", u16 version (1), u32 count, then per entry:
 *   u32 symbol length, symbol (UTF-8), u64 fingerprint, u32 data size, u32 code length, code
 */
import { CODE_ABI_VERSION } from '../compiler/runtime-abi.js';
import { xxh64Of } from '../smf/hash.js';
import type { FnDef, ProgramEnv } from '../compiler/program.js';
import { SimpleError } from '../errors.js';
import { someType, typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';

export const JIT_CACHE_SECTION = 'jit_cache';

export interface CachedInstance {
  readonly symbol: string;
  readonly fingerprint: bigint;
  readonly dataSize: number;
  readonly wasm: Uint8Array;
}

export class JitCacheError extends SimpleError {
  readonly code = 'JIT_CACHE_INVALID';
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${file}: ${JIT_CACHE_SECTION} at byte ${offset}: ${detail}`);
  }
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });

export function encodeJitCache(entries: readonly CachedInstance[]): Uint8Array {
  const symbols = entries.map((e) => utf8.encode(e.symbol));
  const size = 10 + entries.reduce((n, e, i) => n + 4 + symbols[i].length + 8 + 4 + 4 + e.wasm.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(utf8.encode('JITC'));
  view.setUint16(4, 1, true);
  view.setUint32(6, entries.length, true);
  let at = 10;
  entries.forEach((e, i) => {
    view.setUint32(at, symbols[i].length, true);
    out.set(symbols[i], at + 4);
    at += 4 + symbols[i].length;
    view.setBigUint64(at, e.fingerprint, true);
    view.setUint32(at + 8, e.dataSize, true);
    view.setUint32(at + 12, e.wasm.length, true);
    out.set(e.wasm, at + 16);
    at += 16 + e.wasm.length;
  });
  return out;
}

export function decodeJitCache(bytes: Uint8Array, file: string): Map<string, CachedInstance> {
  const fail = (at: number, detail: string): never => {
    throw new JitCacheError(file, at, detail);
  };
  if (bytes.length < 10 || utf8d.decode(bytes.subarray(0, 4)) !== 'JITC') fail(0, 'bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint16(4, true) !== 1) fail(4, 'unsupported version');
  const count = view.getUint32(6, true);
  const out = new Map<string, CachedInstance>();
  let at = 10;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) fail(at, 'truncated');
    const n = view.getUint32(at, true);
    if (at + 4 + n + 16 > bytes.length) fail(at, 'entry runs past the section');
    let symbol = '';
    try {
      symbol = utf8d.decode(bytes.subarray(at + 4, at + 4 + n));
    } catch {
      fail(at + 4, 'symbol is not UTF-8');
    }
    at += 4 + n;
    const fingerprint = view.getBigUint64(at, true);
    const dataSize = view.getUint32(at + 8, true);
    const len = view.getUint32(at + 12, true);
    if (at + 16 + len > bytes.length) fail(at, 'code runs past the section');
    // The static data is a segment of the entry's code: a larger size is a lie, refused before it is allocated.
    if (dataSize > len) fail(at + 8, `data size ${dataSize} exceeds the entry's ${len} bytes of code`);
    out.set(symbol, { symbol, fingerprint, dataSize, wasm: bytes.subarray(at + 16, at + 16 + len) });
    at += 16 + len;
  }
  return out;
}

/** What an instance of `fn` at `args` was compiled from, hashed. */
export function instanceFingerprint(env: ProgramEnv, fn: FnDef, args: readonly Type[]): bigint {
  const structs = new Set<string>();
  const collect = (t: Type): void => {
    someType(t, (x) => {
      if (x.kind === 'named' && !structs.has(x.name)) {
        structs.add(x.name);
        env.struct(x.name)?.fields.forEach((f) => collect(f.type));
      }
      return false;
    });
  };
  args.forEach(collect);
  if (fn.owner) structs.add(fn.owner.name);
  const shape = {
    abi: CODE_ABI_VERSION,
    symbol: fn.symbol,
    args: args.map((a) => typeToString(a)),
    params: fn.params.map((p) => typeToString(p.type)),
    ret: typeToString(fn.ret),
    body: fn.body ? JSON.stringify(fn.body.decl, (k, v) => (k === 'span' ? undefined : typeof v === 'bigint' ? v.toString() : v)) : null,
    structs: [...structs].sort().map((n) => {
      const s = env.struct(n);
      return s ? [n, s.typeParams, s.fields.map((f) => [f.name, typeToString(f.type)])] : [n];
    }),
  };
  return xxh64Of(Buffer.from(JSON.stringify(shape)));
}
