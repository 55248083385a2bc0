/**
 * Compiles one declared module: checks every concrete function, compiles in the instances of
 * its own generics that it needs with known types (transitively, under a depth limit), and
 * records what it needs from other modules — plain functions and instances of their
 * templates — for the linker or the loader to provide.
 */
import type { DiagnosticBag } from '../diagnostics.js';
import { makeDiagnostic } from '../diagnostics.js';
import type { IrFunction } from '../ir.js';
import { isGeneric } from '../program.js';
import type { FnDef, ProgramEnv } from '../program.js';
import type { DeclaredModule } from '../resolve/declare.js';
import { checkFunction } from '../check/checker.js';
import type { CallSite } from '../check/checker.js';
import { lowerUnit } from '../lower/unit.js';
import type { ExternFunction, LoweredUnit } from '../lower/unit.js';
import { mangle, readableInstanceName, readableName } from '../../types/index.js';
import type { Type } from '../../types/index.js';

export const DEFAULT_MAX_INSTANTIATION_DEPTH = 100;

/** One use of a function by symbol: a plain function, or an instance of a template. */
export interface InstanceUse {
  readonly fn: FnDef;
  readonly typeArgs: readonly Type[];
  readonly symbol: string;
  readonly site: CallSite;
}

export interface CompiledModule {
  readonly declared: DeclaredModule;
  /** Concrete functions and compiled-in instances, in a deterministic order. */
  readonly functions: readonly IrFunction[];
  /** Instances of this module's templates compiled in (SPECIALIZED symbols). */
  readonly specializations: readonly InstanceUse[];
  /** Functions this module calls that other modules define or that the loader instantiates. */
  readonly external: readonly InstanceUse[];
  readonly externs: readonly ExternFunction[];
  readonly unit: LoweredUnit;
}

export interface CompileModuleOptions {
  readonly maxInstantiationDepth?: number;
}

interface Pending {
  readonly use: InstanceUse;
  /** The instances that led here, outermost first, for cycle reports. */
  readonly chain: readonly string[];
}

export function compileModule(
  declared: DeclaredModule,
  env: ProgramEnv,
  diagnostics: DiagnosticBag,
  options: CompileModuleOptions = {},
): CompiledModule | null {
  const maxDepth = options.maxInstantiationDepth ?? DEFAULT_MAX_INSTANTIATION_DEPTH;
  const before = diagnostics.errorCount;
  const functions: IrFunction[] = [];
  const specializations: InstanceUse[] = [];
  const external = new Map<string, InstanceUse>();
  const queued = new Set<string>();
  const queue: Pending[] = [];
  let cycleReported = false;

  let current: Pending | null = null;
  const ctx = {
    structs: env,
    instance(fn: FnDef, typeArgs: readonly Type[], site: CallSite): string {
      const symbol = mangle(fn.symbol, typeArgs);
      const use: InstanceUse = { fn, typeArgs, symbol, site };
      if (fn.module !== declared.name) {
        if (!external.has(symbol)) external.set(symbol, use);
        return symbol;
      }
      if (!isGeneric(fn) || queued.has(symbol)) return symbol;
      const chain = current ? [...current.chain, symbol] : [symbol];
      if (chain.length > maxDepth) {
        if (!cycleReported) {
          cycleReported = true;
          const shown = chain.slice(0, 4).map((c) => readableName(c)).join(' -> ');
          diagnostics.add(
            makeDiagnostic(
              'error',
              site.source,
              site.span,
              `instantiation of '${readableInstanceName(fn.symbol, typeArgs)}' never ends: ${shown} -> … (stopped at depth ${maxDepth})`,
              'E0420',
            ),
          );
        }
        return symbol;
      }
      queued.add(symbol);
      queue.push({ use, chain });
      return symbol;
    },
  };

  const externs: ExternFunction[] = [];
  for (const fn of declared.fns) {
    if (fn.isExtern) {
      externs.push({ symbol: fn.symbol, hostName: fn.name, params: fn.params.map((p) => p.type), ret: fn.ret });
      continue;
    }
    if (isGeneric(fn) || !fn.body) continue;
    current = null;
    const ir = checkFunction(fn, [], ctx, diagnostics);
    if (ir) functions.push(ir);
  }

  while (queue.length > 0 && !diagnostics.isFull) {
    const next = queue.shift()!;
    current = next;
    const errorsBefore = diagnostics.errorCount;
    const ir = checkFunction(next.use.fn, next.use.typeArgs, ctx, diagnostics);
    if (ir) {
      functions.push(ir);
      specializations.push(next.use);
    } else if (diagnostics.errorCount > errorsBefore) {
      diagnostics.add(
        makeDiagnostic(
          'note',
          next.use.site.source,
          next.use.site.span,
          `in the instantiation of '${readableInstanceName(next.use.fn.symbol, next.use.typeArgs)}' required here`,
        ),
      );
    }
  }
  current = null;

  if (diagnostics.errorCount > before) return null;
  const unit = lowerUnit({ name: declared.name, functions, externs, structs: env });
  return { declared, functions, specializations, external: [...external.values()], externs, unit };
}
