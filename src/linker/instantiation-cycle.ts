/**
 * The instantiation cycle (E0420) as the linker and the loader's JIT both report it: a chain of
 * instances, each required by the one before, that goes round a template again with ever larger
 * type arguments. Named by its template-level path (`ping->pong->ping`) and shown by its first
 * few instances, never by the huge type arguments it ends with.
 */
import type { CallSite } from '../compiler/check/checker.js';
import { tooDeepMessage } from '../compiler/driver/instance-limits.js';
import { safeReadable } from './symbols.js';

/** One instance of the chain: its symbol and the template it instantiates. */
export interface CycleLink {
  readonly symbol: string;
  readonly template: string;
}

export interface InstantiationCycle {
  /** The templates of the cycle, from the last one's previous occurrence: `['ping', 'pong', 'ping']`. */
  readonly nodes: readonly string[];
  /** `nodes` joined by `->`: the `circular_errors` row's `cycle_path`. */
  readonly path: string;
  /** The one-line message: `instantiation cycle (E0420) grow->grow: 'grow<T>' instantiates itself …`. */
  readonly message: string;
}

const MAX_SHOWN_NAME = 80;

/** A readable instance name, cut at 80 characters. */
export function shortName(symbol: string): string {
  const full = safeReadable(symbol);
  return full.length <= MAX_SHOWN_NAME ? full : `${full.slice(0, MAX_SHOWN_NAME - 1)}…`;
}

/** `file:line:col` of a call site. */
export function siteLabel(site: CallSite): string {
  const { line, col } = site.source.lineCol(site.span.start);
  return `${site.source.path}:${line}:${col}`;
}

/**
 * The cycle a chain ends in. `params` gives a template's type parameters (for `'grow<T>'`);
 * `why` says what stopped it (`stopped at depth 100`).
 */
export function instantiationCycle(chain: readonly CycleLink[], params: (template: string) => readonly string[], why: string): InstantiationCycle {
  const bases = chain.map((c) => c.template);
  const last = bases[bases.length - 1];
  // Where the last template occurred before (a chain of one has no before: lastIndexOf(x, -1) would look at its only entry).
  const from = bases.length < 2 ? -1 : bases.lastIndexOf(last, bases.length - 2);
  const nodes = from >= 0 ? bases.slice(from) : bases;
  const path = nodes.join('->');
  const ps = params(last);
  const template = ps.length > 0 ? `${last}<${ps.join(', ')}>` : last;
  const start = Math.max(0, bases.indexOf(last));
  const shown = chain.slice(start, start + 3).map((c) => shortName(c.symbol));
  // A chain of different templates, each instantiating the next, is deep but no cycle.
  const message =
    from >= 0
      ? `instantiation cycle (E0420) ${path}: '${template}' instantiates itself with ever larger type arguments, without end: ${shown.join(' -> ')} -> … (${why})`
      : tooDeepMessage(chain.map((c) => shortName(c.symbol)), why);
  return { nodes, path, message };
}

/** Whether the chain's last template occurs earlier in it: the chain goes round. */
export function goesRound(chain: readonly CycleLink[]): boolean {
  const last = chain[chain.length - 1]?.template;
  return chain.findIndex((c) => c.template === last) < chain.length - 1;
}
