/**
 * The settlement linker: SMF modules in, one SMF program out (docs/linker.md).
 *
 *   read      open every input (ObjModule), registering its definitions in one ProgramEnv
 *   resolve   one global symbol table; duplicate and undefined symbols     (symbols.ts)
 *   plan      instantiate or defer every instance the program needs        (instantiate.ts)
 *   merge     one WebAssembly module from all units, through reloc.CODE    (merge-code.ts)
 *   write     interface with members, templates, note, symbols, stub       (write-output.ts)
 *
 * The result is deterministic: it depends only on the inputs' bytes, their order and the options.
 */
import { engineLimitViolations } from '../compiler/wasm/limits.js';
import { basename } from 'node:path';
import { CompilerContext } from '../compiler/context.js';
import { DEFAULT_MAX_INSTANCES, MAX_INSTANCE_TYPE_NODES } from '../compiler/driver/compile-module.js';
import type { Diagnostic } from '../compiler/diagnostics.js';
import type { ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import { ProgramEnv } from '../compiler/program.js';
import { isSimpleError } from '../errors.js';
import { natives } from '../platform/index.js';
import type { CircularErrorRow, NoteSdn } from '../sdn/index.js';
import type { CompressionName } from '../smf/index.js';
import { LinkInputError, linkDiagnostic } from './errors.js';
import { planInstances } from './instantiate.js';
import type { InstantiatePolicy } from './instantiate.js';
import { mergeUnits } from './merge-code.js';
import type { MergeUnit } from './merge-code.js';
import { mergeLinkNote } from './merge-note.js';
import { mergeTemplates } from './merge-templates.js';
import { readObjModule, registerMember } from './obj-module.js';
import type { LinkInput, ObjModule } from './obj-module.js';
import { ObjTaker } from './obj-taker.js';
import type { ObjTakerStats } from './obj-taker.js';
import { readProfile } from './profile.js';
import { resolveSymbols } from './symbols.js';
import { writeLinkedSmf } from './write-output.js';

export type { LinkInput } from './obj-module.js';
export type { InstantiatePolicy } from './instantiate.js';

export interface LinkOptions {
  /** The output file name: it names the output module and goes into note.sdn `to_obj`. Default `a.smf`. */
  readonly output?: string;
  /** The output module's name; default: the output file name without `.smf`. */
  readonly name?: string;
  /** Default `hybrid`. */
  readonly instantiate?: InstantiatePolicy;
  /** Longest chain of instances requiring instances before it counts as a cycle (E0420). Default 100. */
  readonly maxDepth?: number;
  /** The most type nodes an instance's type arguments may have before their growth counts as a cycle (E0420). */
  readonly maxTypeNodes?: number;
  /** The most instances compiled at link time (E0422 past it). Default 10,000. */
  readonly maxInstances?: number;
  /** An SMF whose note lists `jit_compiled` instances to compile in. */
  readonly profile?: LinkInput;
  /** Start the output with a stub: `#!/usr/bin/env smf` (true, the default), or these bytes (the CLI's launcher). */
  readonly stub?: boolean | Uint8Array;
  readonly compression?: CompressionName;
}

export interface LinkStats {
  readonly inputs: number;
  /** Source modules in the output. */
  readonly modules: number;
  readonly functions: number;
  readonly exports: number;
  readonly templates: number;
  /** Instances compiled at link time. */
  readonly instantiated: number;
  readonly deferred: number;
  readonly relocations: number;
  readonly dataSize: number;
  readonly outputSize: number;
  readonly taker: ObjTakerStats;
  /** Milliseconds per phase. */
  readonly ms: { readonly read: number; readonly resolve: number; readonly instantiate: number; readonly merge: number; readonly write: number; readonly total: number };
}

export type LinkResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly note: NoteSdn; readonly stats: LinkStats }
  | {
      readonly ok: false;
      readonly errors: readonly Diagnostic[];
      /** The cycles found, as the note's `circular_errors` rows would record them. */
      readonly circularErrors: readonly CircularErrorRow[];
    };

export const DEFAULT_MAX_DEPTH = 100;

export function link(inputs: readonly LinkInput[], options: LinkOptions = {}): LinkResult {
  // The platform's clock: the `performance` global's first use loads perf_hooks.
  const t0 = natives.now();
  const output = options.output ?? 'a.smf';
  const toObj = basename(output);
  const name = options.name ?? toObj.replace(/\.smf$/, '');
  if (inputs.length === 0) return failure([linkDiagnostic('error', output, 'nothing to link: no input modules')]);

  const env = new ProgramEnv();
  const taker = new ObjTaker(new CompilerContext(env));
  const modules: ObjModule[] = [];
  const readErrors: Diagnostic[] = [];
  for (const input of inputs) {
    try {
      modules.push(readObjModule(input));
    } catch (e) {
      readErrors.push(inputError(typeof input === 'string' ? input : input.file, e));
    }
  }
  try {
    registerReachable(modules, env);
  } catch (e) {
    readErrors.push(inputError(output, e));
  }
  let profile = new Set<string>();
  if (options.profile !== undefined) {
    try {
      profile = readProfile(options.profile);
    } catch (e) {
      readErrors.push(inputError(typeof options.profile === 'string' ? options.profile : options.profile.file, e));
    }
  }
  if (readErrors.length > 0) return failure(readErrors);
  const t1 = natives.now();

  const table = resolveSymbols(modules);
  if (table.diagnostics.length > 0) return failure(table.diagnostics);
  const t2 = natives.now();

  const plan = planInstances(modules, table, taker, {
    policy: options.instantiate ?? 'hybrid',
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxTypeNodes: options.maxTypeNodes ?? MAX_INSTANCE_TYPE_NODES,
    maxInstances: options.maxInstances ?? DEFAULT_MAX_INSTANCES,
    profile,
  });
  if (plan.diagnostics.length > 0) return failure(plan.diagnostics, plan.circularErrors);
  const t3 = natives.now();

  const units: MergeUnit[] = modules.map((m, i) => ({
    label: m.file,
    wasm: m.wasm,
    relocs: m.relocs,
    exports: table.exportNames[i],
    got: m.got,
    dataSize: m.dataSize,
  }));
  for (const inst of plan.compiled) {
    units.push({
      label: inst.symbol,
      wasm: inst.wasm,
      relocs: inst.wasm.relocs ?? [],
      exports: [inst.symbol],
      got: inst.wasm.imports.filter((i) => i.module === 'GOT.func').map((i) => i.field),
      dataSize: inst.wasm.data[0]?.bytes.length ?? 0,
    });
  }
  let merged;
  try {
    merged = mergeUnits(units, name);
  } catch (e) {
    if (isSimpleError(e)) return failure([inputError(output, e)]);
    throw e;
  }
  // Each function stays as its unit had it; the merged module's counts are new, and the engine's to judge.
  const overLimits = engineLimitViolations(merged.wasm).filter((v) => v.subject.kind === 'module');
  if (overLimits.length > 0) return failure(overLimits.map((v) => linkDiagnostic('error', output, `the linked program: ${v.message}`)));
  const dropped = modules.map((m, i) => new Set(m.exportOf.filter((_, f) => table.exportNames[i][f] === null)));
  let templates;
  try {
    templates = mergeTemplates(modules, dropped);
  } catch (e) {
    // A damaged TemplateCode entry of an input: a diagnostic against that input, as for any other.
    if (isSimpleError(e)) return failure([inputError(e instanceof LinkInputError ? e.file : output, e)]);
    throw e;
  }
  const t4 = natives.now();

  const fileOf = new Map<string, string>();
  for (const m of modules) for (const member of m.members) fileOf.set(member.name, m.file);
  const note = mergeLinkNote(
    modules.map((m) => m.note),
    toObj,
    plan.compiled,
    plan.deferred,
    plan.circularErrors,
    plan.hintSymbols,
    (module) => fileOf.get(module) ?? module,
    (structName) => env.struct(structName),
  );
  let bytes: Uint8Array;
  try {
    bytes = writeLinkedSmf({
      name,
      modules,
      table,
      merged,
      templates,
      instances: new Set(plan.compiled.map((c) => c.symbol)),
      uses: remainingUses(modules, merged.got, new Set(merged.exports), plan.deferred),
      note,
      stub: options.stub ?? true,
      compression: options.compression ?? 'none',
    });
  } catch (e) {
    // E.g. a note.sdn over its 16 MiB limit: a property of this program, reported as a link error.
    if (isSimpleError(e)) return failure([inputError(output, e)]);
    throw e;
  }
  const t5 = natives.now();

  return {
    ok: true,
    bytes,
    note,
    stats: {
      inputs: modules.length,
      modules: templates.members.length,
      functions: merged.functionCount,
      exports: merged.exports.length,
      templates: table.templates.size,
      instantiated: plan.compiled.length,
      deferred: plan.deferred.length,
      relocations: merged.relocCount,
      dataSize: merged.dataSize,
      outputSize: bytes.length,
      taker: taker.stats(),
      ms: { read: t1 - t0, resolve: t2 - t1, instantiate: t3 - t2, merge: t4 - t3, write: t5 - t4, total: t5 - t0 },
    },
  };
}

/**
 * Registers the definitions instantiation can need: members that define templates, the members
 * those import (what a template body calls), and members with structs (instances can be made at
 * their types, and call their methods). Other members' functions are only ever called through
 * code, which needs no definitions.
 */
function registerReachable(modules: readonly ObjModule[], env: ProgramEnv): void {
  const needed = new Set<string>();
  for (const m of modules) {
    for (const member of m.members) {
      const iface = member.iface;
      if (iface.structs.length > 0) needed.add(member.name);
      if (iface.functions.some((f) => f.template !== null)) {
        needed.add(member.name);
        for (const i of iface.imports) needed.add(i);
      }
    }
  }
  for (const m of modules) m.members.forEach((member, i) => needed.has(member.name) && registerMember(m, i, env));
}

function failure(errors: readonly Diagnostic[], circularErrors: readonly CircularErrorRow[] = []): LinkResult {
  return { ok: false, errors, circularErrors };
}

function inputError(file: string, e: unknown): Diagnostic {
  if (!isSimpleError(e)) throw e;
  const message = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
  return linkDiagnostic('error', file, message);
}

/** Use sites of the symbols the output still imports (deferred instances), for load-time messages. */
function remainingUses(
  modules: readonly ObjModule[],
  got: readonly string[],
  exported: ReadonlySet<string>,
  deferred: ReadonlyArray<{ symbol: string; site: { at?: string } }>,
): ModuleInterfaceJson['uses'] {
  const open = new Set(got.filter((s) => !exported.has(s)));
  const out: ModuleInterfaceJson['uses'] = [];
  const seen = new Set<string>();
  const add = (symbol: string, at: string): void => {
    const key = `${symbol}\0${at}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ symbol, at });
  };
  for (const m of modules) for (const [symbol, sites] of m.uses) if (open.has(symbol)) for (const at of sites) add(symbol, at);
  for (const d of deferred) if (open.has(d.symbol) && d.site.at) add(d.symbol, d.site.at);
  return out;
}
