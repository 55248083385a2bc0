/**
 * Compiles one declared module: checks every concrete function, compiles in the instances of
 * its own generics that it needs with known types (transitively, under a depth limit), and
 * records what it needs from other modules — plain functions and instances of their
 * templates — for the linker or the loader to provide.
 */
import type { DiagnosticBag } from '../diagnostics.js';
import { makeDiagnostic } from '../diagnostics.js';
import type { IrFunction } from '../ir.js';
import { allTypeParams, isGeneric } from '../program.js';
import type { FnDef, ProgramEnv } from '../program.js';
import type { DeclaredModule } from '../resolve/declare.js';
import { checkFunction } from '../check/checker.js';
import { resolveTemplateNames } from '../resolve/names.js';
import type { CallSite } from '../check/checker.js';
import { lowerUnit } from '../lower/unit.js';
import { engineLimitViolations } from '../wasm/limits.js';
import type { ExternFunction, LoweredUnit } from '../lower/unit.js';
import { mangle, readableInstanceName } from '../../types/index.js';
import { MAX_INSTANCE_TYPE_NODES, tooDeepMessage, tooManyInstancesMessage, typeNodes } from './instance-limits.js';
// Kept importable from here: the limits were defined in this file first.
export { chainText, MAX_INSTANCE_TYPE_NODES, tooDeepMessage, tooManyInstancesMessage, typeNodes } from './instance-limits.js';
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
  /** Most instances one module may compile in or check (default {@link DEFAULT_MAX_INSTANCES}). */
  readonly maxInstances?: number;
}

/**
 * Most instances of templates one compilation, link or load-time instantiation handles. A
 * template that instantiates itself with two new argument lists per level doubles its instances
 * per level, long before any chain reaches the depth limit; this stops it. Real programs with a
 * few thousand instances stay well below it.
 */
export const DEFAULT_MAX_INSTANCES = 10_000;

interface Pending {
  readonly use: InstanceUse;
  /** The instances that led here, outermost first, ending with `use` itself. */
  readonly chain: readonly InstanceUse[];
  /**
   * An instance of another module's template: the loader compiles it, but it is type-checked
   * here so a failing instantiation is a compile error pointing at the call that needs it.
   */
  readonly checkOnly: boolean;
}

const MAX_SHOWN_NAME = 80;

/** Whether a template's body can be had (one from an SMF file is decoded on first use, and may be malformed). */
function hasBody(fn: FnDef): boolean {
  try {
    return fn.body !== null;
  } catch {
    return false;
  }
}

/** The template with most entries in `templates`, and how many it has. */
export function mostFrequent<T>(templates: Iterable<T>, fallback: T): [T, number] {
  const counts = new Map<T, number>();
  for (const t of templates) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].reduce((a, b) => (b[1] > a[1] ? b : a), [fallback, 0] as [T, number]);
}

function shortName(use: InstanceUse): string {
  const full = readableInstanceName(use.fn.symbol, use.typeArgs);
  return full.length <= MAX_SHOWN_NAME ? full : `${full.slice(0, MAX_SHOWN_NAME - 1)}…`;
}

/** `f<T>` for a template, with its own (and its owner's) type parameter names. */
function templateName(fn: FnDef): string {
  const params = allTypeParams(fn);
  return params.length === 0 ? fn.symbol : `${fn.symbol}<${params.join(', ')}>`;
}

export function compileModule(
  declared: DeclaredModule,
  env: ProgramEnv,
  diagnostics: DiagnosticBag,
  options: CompileModuleOptions = {},
): CompiledModule | null {
  const maxDepth = options.maxInstantiationDepth ?? DEFAULT_MAX_INSTANTIATION_DEPTH;
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  const before = diagnostics.errorCount;
  const functions: IrFunction[] = [];
  /** The definition each of `functions` was checked from (a template for an instance). */
  const definitions: FnDef[] = [];
  const specializations: InstanceUse[] = [];
  const external = new Map<string, InstanceUse>();
  const queued = new Set<string>();
  const queue: Pending[] = [];
  let cycleReported = false;

  let current: Pending | null = null;
  const ctx = {
    structs: env,
    instance(fn: FnDef, typeArgs: readonly Type[], site: CallSite): string {
      if (cycleReported) return fn.symbol;
      const tooBig = typeNodes(typeArgs, MAX_INSTANCE_TYPE_NODES) > MAX_INSTANCE_TYPE_NODES;
      const use: InstanceUse = { fn, typeArgs, symbol: tooBig ? fn.symbol : mangle(fn.symbol, typeArgs), site };
      const chain = current ? [...current.chain, use] : [use];
      if (tooBig) {
        cycleReported = true;
        reportCycle(chain, true);
        return use.symbol;
      }
      const foreign = fn.module !== declared.name;
      // What a foreign instance calls is the loader's business, not an import of this module.
      if (foreign && !current?.checkOnly && !external.has(use.symbol)) external.set(use.symbol, use);
      // Keyed by module too: two modules may each have a private `_f<T>`, of one symbol.
      const key = `${fn.module}\u0000${use.symbol}`;
      if (!isGeneric(fn) || queued.has(key)) return use.symbol;
      if ((foreign && !hasBody(fn)) || broken.has(fn)) return use.symbol;
      if (chain.length > maxDepth) {
        cycleReported = true;
        reportCycle(chain, false);
        return use.symbol;
      }
      if (queued.size >= maxInstances) {
        cycleReported = true;
        reportFanOut(chain);
        return use.symbol;
      }
      queued.add(key);
      queue.push({ use, chain, checkOnly: foreign });
      return use.symbol;
    },
  };

  /** E0420: an instantiation that never ends, shown from the template's first instance in the chain. */
  const reportCycle = (chain: readonly InstanceUse[], tooBig: boolean): void => {
    const last = chain[chain.length - 1];
    const start = Math.max(0, chain.findIndex((u) => u.fn === last.fn));
    // A chain of different templates, each instantiating the next, is deep but no cycle.
    const recursive = start < chain.length - 1;
    const path = recursive ? chain.slice(start) : chain;
    const shown = path.length > 4 ? [...path.slice(0, 3).map(shortName), '…'] : path.map(shortName);
    const why = tooBig
      ? `its type arguments grew past ${MAX_INSTANCE_TYPE_NODES} type nodes at depth ${chain.length}`
      : `stopped at depth ${maxDepth}`;
    // Point at the call inside the template that goes round again; the note says where it started.
    const at = (recursive ? (path[1] ?? path[0]) : last).site;
    diagnostics.add(
      makeDiagnostic(
        'error',
        at.source,
        at.span,
        recursive
          ? `instantiation cycle (E0420): '${templateName(last.fn)}' instantiates itself with ever larger type arguments, without end: ${shown.join(' -> ')} (${why})`
          : tooDeepMessage(chain.map(shortName), why),
        'E0420',
      ),
    );
    if (path.length > 1) {
      diagnostics.add(makeDiagnostic('note', path[0].site.source, path[0].site.span, `in the instantiation of '${shortName(path[0])}' required here`));
    }
  };

  /** E0422: more instances than the limit, with the chain of the one that went over and the template with most. */
  const reportFanOut = (chain: readonly InstanceUse[]): void => {
    const last = chain[chain.length - 1];
    const [top, count] = mostFrequent([...queue.map((p) => p.use.fn), ...specializations.map((u) => u.fn)], last.fn);
    const recursive = chain.filter((u) => u.fn === top).length > 1;
    const message = tooManyInstancesMessage(`module '${declared.name}'`, maxInstances, templateName(top), count, chain.map(shortName), recursive);
    diagnostics.add(makeDiagnostic('error', last.site.source, last.site.span, message, 'E0422'));
  };

  // Templates have their names resolved even when nothing instantiates them; one whose names
  // do not resolve is not instantiated too, which would only repeat those errors.
  const broken = new Set<FnDef>();
  for (const fn of declared.fns) {
    if (isGeneric(fn) && fn.body && resolveTemplateNames(fn, env, diagnostics) > 0) broken.add(fn);
  }

  const externs: ExternFunction[] = [];
  for (const fn of declared.fns) {
    if (fn.isExtern) {
      externs.push({ symbol: fn.symbol, hostName: fn.name, params: fn.params.map((p) => p.type), ret: fn.ret });
      continue;
    }
    if (isGeneric(fn) || !fn.body) continue;
    current = null;
    const ir = checkFunction(fn, [], ctx, diagnostics);
    if (ir) {
      functions.push(ir);
      definitions.push(fn);
    }
  }

  while (queue.length > 0 && !diagnostics.isFull && !cycleReported) {
    const next = queue.shift()!;
    current = next;
    const errorsBefore = diagnostics.errorCount;
    const ir = checkFunction(next.use.fn, next.use.typeArgs, ctx, diagnostics);
    if (ir && next.checkOnly) continue;
    if (ir) {
      functions.push(ir);
      definitions.push(next.use.fn);
      specializations.push(next.use);
    } else if (diagnostics.errorCount > errorsBefore && !cycleReported) {
      // Innermost first: each instance was required by the one before it in the chain.
      for (let i = next.chain.length - 1; i >= 0; i--) {
        const use = next.chain[i];
        diagnostics.add(
          makeDiagnostic('note', use.site.source, use.site.span, `in the instantiation of '${readableInstanceName(use.fn.symbol, use.typeArgs)}' required here`),
        );
      }
    }
  }
  current = null;

  if (diagnostics.errorCount > before) return null;
  const unit = lowerUnit({ name: declared.name, functions, externs, structs: env });
  // What the engine would refuse is reported at its source, not left to WebAssembly.Module().
  // Defined functions are the checked ones, then a wrapper per extern fn (which is also an import).
  const reported = new Set<string>();
  for (const v of engineLimitViolations(unit.wasm)) {
    const s = v.subject;
    const externSymbol = s.kind === 'defined' && s.index >= functions.length ? externs[s.index - functions.length]?.symbol : undefined;
    const fn =
      s.kind === 'defined'
        ? (definitions[s.index] ?? declared.fns.find((f) => f.symbol === externSymbol))
        : s.kind === 'import'
          ? declared.fns.find((f) => f.isExtern && f.name === s.field)
          : undefined;
    const name = s.kind === 'defined' && s.index < functions.length ? functions[s.index].displayName : fn?.name;
    const message = name === undefined ? `module '${declared.name}': ${v.message}` : `'${name}' cannot be compiled: ${v.message}`;
    if (reported.has(message)) continue;
    reported.add(message);
    diagnostics.add(makeDiagnostic('error', fn?.origin.file ?? declared.source, fn?.origin.span ?? null, message));
  }
  if (diagnostics.errorCount > before) return null;
  return { declared, functions, specializations, external: [...external.values()], externs, unit };
}
