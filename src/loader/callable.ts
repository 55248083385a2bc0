/**
 * A loaded function as the host sees it: called through its table slot (so always the current
 * code, also after a hot reload), with arguments and results converted at the boundary.
 */
import type { FnDef } from '../compiler/program.js';
import { allTypeParams } from '../compiler/program.js';
import type { Runtime } from '../runtime/index.js';
import { asTrap } from '../runtime/index.js';
import { readableName, substituteParams } from '../types/index.js';
import type { Type } from '../types/index.js';
import { LoadError } from './errors.js';
import type { ExecMemory } from './exec-memory.js';
import type { ExecutionGuard } from './limits.js';
import type { LoadedSymbol } from './symbol-table.js';
import { fromWasm, toWasm } from './values.js';

export interface CallableSymbol {
  readonly name: string;
  readonly slot: number;
  /** Goes up with every hot reload of the function's code. */
  readonly version: number;
  /** Calls the function through its table slot: always the current code, also after a reload. */
  call(...args: unknown[]): unknown;
}

export type CallableResult = ({ readonly kind: 'found' } & CallableSymbol) | ({ readonly kind: 'jit' } & CallableSymbol);

export function makeCallable(sym: LoadedSymbol, kind: 'found' | 'jit', exec: ExecMemory, runtime: Runtime, guard?: ExecutionGuard): CallableResult {
  const fn = sym.fn;
  const map = fn ? new Map(allTypeParams(fn).map((p, i) => [p, sym.typeArgs[i]])) : new Map<string, Type>();
  const params = fn ? [...(fn.receiver === 'fn' || fn.receiver === 'me' ? [selfType(fn, sym.typeArgs)] : []), ...fn.params.map((p) => substituteParams(p.type, map))] : [];
  const ret = fn ? substituteParams(fn.ret, map) : null;
  // Only error messages need the readable name: computed when one is made.
  const label = (): string => readableName(sym.name);
  return {
    kind,
    name: sym.name,
    slot: sym.slot,
    get version(): number {
      return sym.version;
    },
    call: (...args: unknown[]) => {
      const target = exec.get(sym.slot);
      if (!target) throw new LoadError('LOAD_NOT_LOADED', `'${label()}' is no longer loaded`, undefined, sym.name);
      if (fn && args.length !== params.length) {
        throw new LoadError('LOAD_SIGNATURE_CHANGED', `'${label()}' takes ${params.length} argument(s), given ${args.length}`, undefined, sym.name);
      }
      const raw = fn ? wasmArguments(params, args, (i) => toWasm(params[i], args[i], runtime, () => `argument ${i + 1} of '${label()}'`)) : args;
      let result: unknown;
      const mark = runtime.enter();
      guard?.enter();
      try {
        result = target(...raw);
      } catch (e) {
        throw asTrap(e, label()) ?? e;
      } finally {
        guard?.exit();
        runtime.leave(mark);
        runtime.flush();
      }
      return ret ? fromWasm(ret, result, runtime) : result;
    },
  };
}

/** The wasm arguments for `params`: a unit parameter has no wasm value, so the signature leaves it out. */
function wasmArguments(params: readonly Type[], args: readonly unknown[], convert: (i: number) => unknown): unknown[] {
  const raw: unknown[] = [];
  for (let i = 0; i < params.length; i++) if (params[i].kind !== 'unit') raw.push(convert(i));
  return raw;
}

function selfType(fn: FnDef, typeArgs: readonly Type[]): Type {
  const owner = fn.owner!;
  return { kind: 'named', name: owner.name, args: typeArgs.slice(0, owner.typeParams.length) };
}

