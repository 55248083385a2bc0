/**
 * What a module offers a JavaScript host, as plain data: its exported functions and structs
 * with their signatures as Simple type strings. The `.d.ts` writer and the Node import hooks
 * (src/node) both work from it.
 */
import { allTypeParams } from '../program.js';
import type { Definition, FnDef, StructDef } from '../program.js';
import { typeToString } from '../../types/index.js';

export interface FnShape {
  readonly name: string;
  /** What `resolveSymbol`/`resolveGeneric` take: `max`, `Stack.push`. */
  readonly symbol: string;
  /** Every type parameter the caller gives (a method's struct's first). */
  readonly typeParams: readonly string[];
  /** `fn`/`me` methods take the receiver (a handle) first. */
  readonly receiver: 'none' | 'fn' | 'me' | 'static';
  readonly params: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly ret: string;
}

export interface StructShape {
  readonly name: string;
  readonly typeParams: readonly string[];
  readonly fields: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly methods: readonly FnShape[];
}

export interface ExportShape {
  readonly module: string;
  readonly functions: readonly FnShape[];
  readonly structs: readonly StructShape[];
}

export function exportShape(module: string, exports: ReadonlyMap<string, Definition>): ExportShape {
  const functions: FnShape[] = [];
  const structs: StructShape[] = [];
  for (const def of exports.values()) {
    if (def.kind === 'fn') {
      if (!def.owner && !def.isExtern) functions.push(fnShape(def));
    } else if (def.module === module) {
      structs.push(structShape(def));
    }
  }
  return { module, functions, structs };
}

function fnShape(fn: FnDef): FnShape {
  return {
    name: fn.name,
    symbol: fn.symbol,
    typeParams: [...allTypeParams(fn)],
    receiver: fn.receiver,
    params: fn.params.map((p) => ({ name: p.name, type: typeToString(p.type) })),
    ret: typeToString(fn.ret),
  };
}

function structShape(s: StructDef): StructShape {
  return {
    name: s.name,
    typeParams: [...s.typeParams],
    fields: s.fields.map((f) => ({ name: f.name, type: typeToString(f.type) })),
    methods: [...s.methods.values()].filter((m) => m.exported).map(fnShape),
  };
}
