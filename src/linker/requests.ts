/**
 * What the program asks to have instantiated, keyed by mangled symbol so that an instance needed
 * by several modules is one request: the instance symbols the inputs' code imports (from the
 * symbol pass), the `possible` rows of their notes, the `type_inferences` usage hints whose
 * types are decided at link time (hints.ts; a loop of `depends_on_` rows is an inference
 * cycle), and the instances of a `--profile` file.
 */
import type { NoteSdn, TypeInferenceRow } from '../sdn/index.js';
import { mangle } from '../types/index.js';
import type { Type } from '../types/index.js';
import { resolveHint, usageHints } from './hints.js';
import type { UsageHint } from './hints.js';
import type { ObjModule } from './obj-module.js';
import { instanceParts } from './symbols.js';
import type { SymbolTable } from './symbols.js';

/** Where an instance was asked for: a module's use site, or a call inside another instance. */
export interface RequestSite {
  /** The module that needs it (for `possible.required_by`). */
  readonly module: string;
  /** `file:line:col`, when known. */
  readonly at?: string;
}

export interface Request {
  readonly symbol: string;
  readonly template: string;
  readonly args: readonly Type[];
  readonly sites: RequestSite[];
  canDefer: boolean;
  fromProfile: boolean;
  /** A usage hint that decides its types, with the note it came from. */
  hint?: { readonly hint: UsageHint; readonly note: NoteSdn };
}

/** Every instance the inputs ask for, first-asked first; `hintSymbols` learns which row asks for what. */
export function collectRequests(
  modules: readonly ObjModule[],
  table: SymbolTable,
  profile: ReadonlySet<string>,
  hintSymbols: Map<TypeInferenceRow, string>,
  onInferenceCycle: (path: readonly string[], at: string) => void,
): Map<string, Request> {
  const requests = new Map<string, Request>();
  const add = (symbol: string, template: string, args: readonly Type[], site: RequestSite): Request => {
    let r = requests.get(symbol);
    if (!r) requests.set(symbol, (r = { symbol, template, args, sites: [], canDefer: true, fromProfile: false }));
    r.sites.push(site);
    return r;
  };
  for (const req of table.requests.values()) {
    for (const u of req.users) add(req.symbol, req.template, req.args, { module: modules[u.input].name, at: u.at[0] });
  }
  modules.forEach((m) => {
    for (const row of m.note.possible) {
      const parts = instanceParts(row.mangledName);
      if (!parts || !table.templates.has(parts.base) || table.functions.has(row.mangledName)) continue;
      const r = add(row.mangledName, parts.base, parts.args, { module: row.requiredBy || m.name });
      r.canDefer &&= row.canDefer;
    }
    for (const hint of usageHints(m.note)) {
      if (!table.templates.has(hint.template)) continue;
      const res = resolveHint(m.note, hint);
      if (res.kind === 'cycle') {
        onInferenceCycle(res.path, hint.at);
        continue;
      }
      if (res.kind !== 'types') continue;
      let symbol: string;
      try {
        symbol = mangle(hint.template, res.args);
      } catch {
        continue;
      }
      if (hint.row) hintSymbols.set(hint.row, symbol);
      if (table.functions.has(symbol)) continue;
      const r = add(symbol, hint.template, res.args, { module: m.name, at: hint.at });
      r.hint ??= { hint, note: m.note };
    }
  });
  for (const symbol of profile) {
    const parts = instanceParts(symbol);
    if (!parts || !table.templates.has(parts.base) || table.functions.has(symbol)) continue;
    add(symbol, parts.base, parts.args, { module: table.templates.get(parts.base)!.fn.module }).fromProfile = true;
  }
  return requests;
}
