/**
 * Pass 2 — link-time instantiation: decides, per instance of a linked template the program
 * needs, whether the linker compiles it into the output or leaves it to the loader's JIT, and
 * compiles the chosen ones through the ObjTaker, following what each instance requires in turn.
 *
 * What the program needs (each is a "request", keyed by mangled symbol, so an instance needed
 * by several modules is compiled once): the instance symbols the inputs' code imports, the
 * `possible` rows of their notes, the usage hints of `type_inferences` whose types are decided
 * at link time, and, with `--profile`, the instances an earlier run JIT-compiled.
 *
 * Policies (docs/linker.md):
 *   eager  — compile every request.
 *   lazy   — compile only what cannot wait (`can_defer = false` rows, profile rows); defer the
 *            rest.
 *   hybrid — compile what the program's entry reaches: starting from `main` (or, for a link
 *            without `main`, from every function), walk the call graph through direct calls,
 *            GOT calls and instance requirements; every instance met is compiled, plus the
 *            `can_defer = false` and profile requests. Instances only reachable from code the
 *            entry never calls are deferred.
 *
 * Under every policy, what a compiled instance requires is compiled too: leaving it out would
 * only make the loader compile it when it installs the instance, and a profile-driven link
 * is meant to start warm.
 *
 * Cycles: a chain of instances that goes deeper than the depth limit, or whose type arguments
 * grow past a size limit (`f<T>` calling `f<Pair<T, T>>`), is an instantiation cycle (E0420);
 * hints whose `depends_on_` rows form a loop are an inference cycle (E0421). Both are reported
 * with their path and recorded as `circular_errors` rows.
 */
import type { Diagnostic } from '../compiler/diagnostics.js';
import { typeNodes } from '../compiler/driver/compile-module.js';
import type { InstanceUse } from '../compiler/driver/compile-module.js';
import { mostFrequent, tooManyInstancesMessage } from '../compiler/driver/compile-module.js';
import { allTypeParams } from '../compiler/program.js';
import { readWasmModule } from '../compiler/wasm/reader.js';
import type { WasmModuleInfo } from '../compiler/wasm/reader.js';
import type { CircularErrorRow, TypeInferenceRow } from '../sdn/index.js';
import type { Type } from '../types/index.js';
import { callGraph } from './call-graph.js';
import type { BodyEdges } from './call-graph.js';
import { linkDiagnostic } from './errors.js';
import type { ObjModule } from './obj-module.js';
import type { ObjTaker } from './obj-taker.js';
import { collectRequests } from './requests.js';
import type { Request, RequestSite } from './requests.js';
import { instantiationCycle, shortName, siteLabel } from './instantiation-cycle.js';
import type { SymbolTable } from './symbols.js';

export type { RequestSite } from './requests.js';

export type InstantiatePolicy = 'eager' | 'lazy' | 'hybrid';
export const INSTANTIATE_POLICIES: readonly InstantiatePolicy[] = ['eager', 'lazy', 'hybrid'];

export interface PlanOptions {
  readonly policy: InstantiatePolicy;
  readonly maxDepth: number;
  /** The most type nodes an instance's type arguments may have before their growth counts as a cycle. */
  readonly maxTypeNodes: number;
  /** The most instances compiled at link time (E0422 past it). */
  readonly maxInstances: number;
  /** Instances to compile whatever the policy (from `--profile`). */
  readonly profile: ReadonlySet<string>;
}

/** An instance left to the loader, and where it was asked for: a module's use site, or a call inside another instance. */
export interface DeferredInstance {
  readonly symbol: string;
  readonly template: string;
  readonly args: readonly Type[];
  readonly site: RequestSite;
}

/** An instance compiled at link time. */
export interface LinkInstance extends DeferredInstance {
  readonly wasm: WasmModuleInfo;
  /** Instance symbols it calls (for the note's dependencies). */
  readonly requires: readonly string[];
}

export interface InstantiationPlan {
  /** The instance each decided usage-hint row (of an input note) asks for. */
  readonly hintSymbols: ReadonlyMap<TypeInferenceRow, string>;
  readonly compiled: readonly LinkInstance[];
  readonly deferred: readonly DeferredInstance[];
  readonly circularErrors: readonly CircularErrorRow[];
  readonly diagnostics: readonly Diagnostic[];
}

/** One instance in a chain of instances requiring instances, for cycle reports. */
interface ChainLink {
  readonly symbol: string;
  readonly template: string;
}

type WorkItem =
  | { readonly kind: 'fn'; readonly input: number; readonly index: number }
  | {
      readonly kind: 'instance';
      readonly symbol: string;
      readonly template: string;
      readonly args: readonly Type[];
      readonly chain: readonly ChainLink[];
      readonly site: RequestSite;
    };

export function planInstances(modules: readonly ObjModule[], table: SymbolTable, taker: ObjTaker, options: PlanOptions): InstantiationPlan {
  const diagnostics: Diagnostic[] = [];
  const circularErrors: CircularErrorRow[] = [];
  const cyclesSeen = new Set<string>();
  // A cycle is met once from each of its nodes; it is reported from the first.
  const firstTime = (path: readonly string[]): boolean => {
    const key = [...new Set(path)].sort().join('\0');
    if (cyclesSeen.has(key)) return false;
    cyclesSeen.add(key);
    return true;
  };
  const hintSymbols = new Map<TypeInferenceRow, string>();
  const requests = collectRequests(modules, table, options.profile, hintSymbols, (path, at) => {
    if (!firstTime(path)) return;
    const key = path.join('->');
    circularErrors.push({ cyclePath: key, errorCode: 'E0421' });
    diagnostics.push(linkDiagnostic('error', at, `type inference cycle (E0421) ${key}: the types of these uses depend on each other and are never decided`, 'E0421'));
  });

  // The walk below compiles only requests and what compiled ones require: with no request,
  // nothing — and a program without generics would be walked (every call graph built) for it.
  if (requests.size === 0) return { hintSymbols, compiled: [], deferred: [], circularErrors, diagnostics };

  const compiled = new Map<string, LinkInstance>();
  const failed = new Set<string>();
  const queue: WorkItem[] = [];
  const queued = new Set<string>();
  const policy = options.policy;
  const graphs: (BodyEdges[] | undefined)[] = modules.map(() => undefined);
  const visited: Uint8Array[] = modules.map((m) => new Uint8Array(m.exportOf.length));

  const pushRequest = (r: Request, chain: readonly ChainLink[], site: RequestSite): void => {
    if (queued.has(r.symbol)) return;
    queued.add(r.symbol);
    queue.push({ kind: 'instance', symbol: r.symbol, template: r.template, args: r.args, chain: [...chain, { symbol: r.symbol, template: r.template }], site });
  };
  const pushFn = (input: number, index: number): void => {
    if (visited[input][index]) return;
    visited[input][index] = 1;
    queue.push({ kind: 'fn', input, index });
  };

  for (const r of requests.values()) {
    if (policy === 'eager' || !r.canDefer || r.fromProfile) pushRequest(r, [], r.sites[0]);
  }
  if (policy === 'hybrid') {
    const main = table.functions.get('main');
    if (main) pushFn(main.input, main.functionIndex);
    else modules.forEach((m, input) => m.exportOf.forEach((_, index) => pushFn(input, index)));
  }

  const cycle = (chain: readonly ChainLink[], site: RequestSite, why: string): void => {
    const params = (template: string): readonly string[] => {
      const fn = table.templates.get(template)?.fn;
      return fn ? allTypeParams(fn) : [];
    };
    const found = instantiationCycle(chain, params, why);
    if (!firstTime(found.nodes)) return;
    circularErrors.push({ cyclePath: found.path, errorCode: 'E0420' });
    diagnostics.push(linkDiagnostic('error', site.at ?? site.module, found.message, 'E0420'));
  };

  /** E0422: the instance past the limit, with its chain and the template with most instances. */
  const tooMany = (chain: readonly ChainLink[], site: RequestSite): void => {
    const [top, count] = mostFrequent([...compiled.values()].map((c) => c.template), '');
    const recursive = chain.filter((c) => c.template === top).length > 1;
    const message = tooManyInstancesMessage('the link', options.maxInstances, top, count, chain.map((c) => shortName(c.symbol)), recursive);
    diagnostics.push(linkDiagnostic('error', site.at ?? site.module, message, 'E0422'));
  };

  const requireSymbol = (need: InstanceUse, from: LinkInstance, chain: readonly ChainLink[]): void => {
    const def = table.functions.get(need.symbol);
    if (def) {
      if (policy === 'hybrid') pushFn(def.input, def.functionIndex);
      return;
    }
    const at = siteOf(need);
    // The compiler's own view of the call (template and arguments), not a demangled name:
    // arguments nested deeper than the type parser allows still have to reach the cycle check.
    const linked = need.typeArgs.length > 0 && table.templates.get(need.fn.symbol)?.fn === need.fn;
    if (!linked) {
      diagnostics.push(
        linkDiagnostic('error', at, `undefined symbol '${shortName(need.symbol)}', used by '${shortName(from.symbol)}' (template of module '${need.fn.module}' instantiated at link time)`),
      );
      return;
    }
    const site: RequestSite = { module: table.templates.get(from.template)?.fn.module ?? from.site.module, at };
    let r = requests.get(need.symbol);
    if (!r) requests.set(need.symbol, (r = { symbol: need.symbol, template: need.fn.symbol, args: need.typeArgs, sites: [], canDefer: true, fromProfile: false }));
    r.sites.push(site);
    pushRequest(r, chain, site);
  };

  // An index instead of shift(): the queue can hold every function of a thousand modules.
  for (let next = 0; next < queue.length; next++) {
    const item = queue[next];
    if (item.kind === 'fn') {
      const m = modules[item.input];
      const g = (graphs[item.input] ??= callGraph(m.wasm, m.relocs));
      const edges = g[item.index];
      for (const callee of edges.calls) pushFn(item.input, callee);
      for (const slot of edges.got) {
        const symbol = m.got[slot];
        const def = table.functions.get(symbol);
        if (def) pushFn(def.input, def.functionIndex);
        else {
          const r = requests.get(symbol);
          if (r) pushRequest(r, [], r.sites[0]);
        }
      }
      continue;
    }
    const { symbol, chain, site } = item;
    if (compiled.has(symbol) || failed.has(symbol)) continue;
    if (chain.length > options.maxDepth) {
      cycle(chain, site, `stopped at depth ${options.maxDepth}`);
      failed.add(symbol);
      continue;
    }
    if (typeNodes(item.args, options.maxTypeNodes) > options.maxTypeNodes) {
      cycle(chain, site, `its type arguments grew past ${options.maxTypeNodes} type nodes at depth ${chain.length}`);
      failed.add(symbol);
      continue;
    }
    if (compiled.size >= options.maxInstances) {
      tooMany(chain, site);
      break;
    }
    const inst = compile(item, requests.get(symbol), modules, table, taker, diagnostics);
    if (!inst) {
      failed.add(symbol);
      continue;
    }
    compiled.set(symbol, inst.link);
    for (const need of inst.uses) requireSymbol(need, inst.link, chain);
  }

  const deferred: DeferredInstance[] = [];
  for (const r of requests.values()) {
    if (compiled.has(r.symbol) || failed.has(r.symbol)) continue;
    deferred.push({ symbol: r.symbol, template: r.template, args: r.args, site: r.sites[0] ?? { module: '' } });
  }
  return { hintSymbols, compiled: [...compiled.values()], deferred, circularErrors, diagnostics };
}

function compile(
  item: Extract<WorkItem, { kind: 'instance' }>,
  request: Request | undefined,
  modules: readonly ObjModule[],
  table: SymbolTable,
  taker: ObjTaker,
  diagnostics: Diagnostic[],
): { link: LinkInstance; uses: readonly InstanceUse[] } | null {
  const { symbol, template, args, site } = item;
  const t = table.templates.get(template)!;
  const module = modules[t.input];
  // With a usage hint the arguments are inferred as the report describes; transitive
  // requirements come with explicit arguments.
  const r = request?.hint ? taker.takeGeneric(module, template, [request.hint.hint], request.hint.note) : taker.takeWithTypes(module, template, args);
  const at = site.at ?? module.file;
  if (r.kind !== 'code') {
    const why = r.kind === 'error' ? r.message : `'${template}' gave no code (${r.kind})`;
    diagnostics.push(linkDiagnostic('error', at, `cannot instantiate '${shortName(symbol)}' at link time: ${stripPrefix(why)}`));
    return null;
  }
  if (r.symbol !== symbol) {
    diagnostics.push(linkDiagnostic('error', at, `the usage hint for '${shortName(symbol)}' infers '${shortName(r.symbol)}' instead`));
    return null;
  }
  const instance = r.code.instance!;
  const wasm = readWasmModule(instance.unit.wasm, shortName(symbol));
  return {
    link: {
      symbol,
      template,
      args,
      wasm,
      site: { module: site.module, at: site.at },
      requires: instance.requires.filter((u) => u.typeArgs.length > 0).map((u) => u.symbol),
    },
    uses: instance.requires,
  };
}


/** InstantiationError messages start with "cannot instantiate 'x':"; the diagnostic says that already. */
function stripPrefix(message: string): string {
  const i = message.indexOf("': ");
  return message.startsWith('cannot instantiate ') && i >= 0 ? message.slice(i + 3) : message;
}

function siteOf(u: InstanceUse): string {
  return siteLabel(u.site);
}
