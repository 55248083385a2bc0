/**
 * Pass 1 — symbol resolution, as in any static linker: collect every definition of every input
 * (functions, templates, structs) into one global table, then resolve every symbol the inputs'
 * code imports through its GOT.
 *
 * Rules: two strong definitions of one name are an error naming both modules; a Weak
 * definition yields to a strong one (and the first of several weak ones wins); two copies of
 * one SPECIALIZED instance are a COMDAT group: the first is kept. Private functions carry their
 * qualified names already (private-names.ts), so they never clash.
 *
 * An imported symbol resolves to a definition, or — when it names an instance of a linked
 * template (`max$i64`) — becomes an instance request for the instantiation pass; anything else
 * is an undefined symbol, reported once with every module that uses it and each use's location.
 */
import type { Diagnostic } from '../compiler/diagnostics.js';
import { allTypeParams, isGeneric } from '../compiler/program.js';
import type { FnDef } from '../compiler/program.js';
import { demangle, isInstanceSymbol, readableName } from '../types/index.js';
import type { Type } from '../types/index.js';
import { linkDiagnostic } from './errors.js';
import type { ObjModule } from './obj-module.js';

export interface FunctionDefinition {
  readonly symbol: string;
  readonly input: number;
  /** Index among the input's defined functions. */
  readonly functionIndex: number;
  readonly weak: boolean;
  /** A SPECIALIZED instance: duplicates are folded, not errors. */
  readonly specialized: boolean;
}

export interface TemplateDefinition {
  readonly input: number;
  readonly fn: FnDef;
}

/** A use of an instance symbol by an input's code. */
export interface InstanceUser {
  readonly input: number;
  /** `file:line:col` of each use, when the interface records them. */
  readonly at: readonly string[];
}

export interface InstanceRequest {
  readonly symbol: string;
  readonly template: string;
  readonly args: readonly Type[];
  readonly users: InstanceUser[];
}

export interface SymbolTable {
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  readonly templates: ReadonlyMap<string, TemplateDefinition>;
  /** Per input, per defined function: the name it is exported under, or null if another definition won. */
  readonly exportNames: readonly (readonly (string | null)[])[];
  /** Instance symbols the inputs' code imports, in first-use order. */
  readonly requests: ReadonlyMap<string, InstanceRequest>;
  readonly diagnostics: readonly Diagnostic[];
}

export function resolveSymbols(modules: readonly ObjModule[]): SymbolTable {
  const diagnostics: Diagnostic[] = [];
  const functions = new Map<string, FunctionDefinition>();
  const templates = new Map<string, TemplateDefinition>();
  const structs = new Map<string, number>();
  const exportNames: (string | null)[][] = modules.map((m) => [...m.exportOf]);
  const moduleByName = new Map<string, number>();

  const owner = (input: number, symbol: string): string => {
    const m = modules[input];
    const fn = m.fns.get(symbol);
    const member = fn?.module ?? m.name;
    return `module '${member}' (${m.file})`;
  };
  const duplicate = (what: string, symbol: string, first: number, second: number): void => {
    diagnostics.push(
      linkDiagnostic('error', modules[second].file, `duplicate ${what} '${safeReadable(symbol)}': defined by ${owner(first, symbol)} and by ${owner(second, symbol)}`),
    );
  };

  modules.forEach((m, input) => {
    for (const member of m.members) {
      const prev = moduleByName.get(member.name);
      if (prev !== undefined) {
        diagnostics.push(linkDiagnostic('error', m.file, `module '${member.name}' is linked twice: from ${modules[prev].file} and from ${m.file}`));
      } else {
        moduleByName.set(member.name, input);
      }
      for (const s of member.iface.structs) {
        const first = structs.get(s.name);
        if (first === undefined) structs.set(s.name, input);
        else if (first !== input) duplicate('struct', s.name, first, input);
      }
      // Members with templates are always registered (link.ts), so their definitions exist.
      for (const fn of member.defs?.fns ?? []) {
        if (!isGeneric(fn)) continue;
        const first = templates.get(fn.symbol);
        if (first === undefined) templates.set(fn.symbol, { input, fn });
        else duplicate('template', fn.symbol, first.input, input);
      }
    }
    m.exportOf.forEach((symbol, functionIndex) => {
      // Only instances have `$` in their names: SPECIALIZED by construction.
      const def: FunctionDefinition = { symbol, input, functionIndex, weak: m.weak.has(symbol), specialized: isInstanceSymbol(symbol) };
      const prev = functions.get(symbol);
      if (prev === undefined) {
        functions.set(symbol, def);
        return;
      }
      if (def.weak || (prev.specialized && def.specialized)) {
        exportNames[input][functionIndex] = null;
      } else if (prev.weak) {
        exportNames[prev.input][prev.functionIndex] = null;
        functions.set(symbol, def);
      } else {
        exportNames[input][functionIndex] = null;
        duplicate('symbol', symbol, prev.input, input);
      }
    });
  });

  const requests = new Map<string, InstanceRequest>();
  const undefinedUses = new Map<string, InstanceUser[]>();
  modules.forEach((m, input) => {
    for (const symbol of m.got) {
      if (functions.has(symbol)) continue;
      const at = m.uses.get(symbol) ?? [];
      const parts = instanceParts(symbol);
      if (parts && templates.has(parts.base)) {
        let req = requests.get(symbol);
        if (!req) requests.set(symbol, (req = { symbol, template: parts.base, args: parts.args, users: [] }));
        req.users.push({ input, at });
        continue;
      }
      let list = undefinedUses.get(symbol);
      if (!list) undefinedUses.set(symbol, (list = []));
      list.push({ input, at });
    }
  });
  for (const [symbol, users] of undefinedUses) diagnostics.push(undefinedSymbol(symbol, users, modules));

  // Arity is checked here, for every policy, so a deferred request cannot fail only at load time.
  for (const req of requests.values()) {
    const t = templates.get(req.template)!;
    const expected = allTypeParams(t.fn).length;
    if (expected !== req.args.length) {
      const first = req.users[0];
      diagnostics.push(
        linkDiagnostic(
          'error',
          first.at[0] ?? modules[first.input].file,
          `type argument count mismatch: '${safeReadable(req.symbol)}' gives ${req.args.length}, but '${req.template}' takes ${expected}`,
        ),
      );
    }
  }
  return { functions, templates, exportNames, requests, diagnostics };
}

/** The template and arguments of an instance symbol; undefined for a plain or malformed name. */
export function instanceParts(symbol: string): { base: string; args: Type[] } | undefined {
  if (!isInstanceSymbol(symbol)) return undefined;
  try {
    const parts = demangle(symbol);
    return parts.args.length > 0 ? parts : undefined;
  } catch {
    return undefined;
  }
}

function undefinedSymbol(symbol: string, users: readonly InstanceUser[], modules: readonly ObjModule[]): Diagnostic {
  const names = users.map((u) => `'${modules[u.input].name}'`);
  const list = names.length === 1 ? `module ${names[0]}` : `modules ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const sites = users.flatMap((u) => (u.at.length > 0 ? u.at.map((at) => ({ at, input: u.input })) : [{ at: modules[u.input].file, input: u.input }]));
  const name = safeReadable(symbol);
  const notes = sites.slice(1).map((s) => linkDiagnostic('note', s.at, `'${name}' is also used here, by module '${modules[s.input].name}'`));
  return linkDiagnostic('error', sites[0].at, `undefined symbol '${name}', used by ${list}`, undefined, notes);
}

export function safeReadable(symbol: string): string {
  try {
    return readableName(symbol);
  } catch {
    return symbol;
  }
}
