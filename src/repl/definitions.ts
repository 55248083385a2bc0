/**
 * The REPL module's definitions: every `use`, `struct`, `fn` and `impl` method typed so far,
 * keyed by what they define, so that typing a definition again replaces the earlier one. The
 * module's source is put together from them, in the user's own lines.
 */
import { DiagnosticBag } from '../compiler/diagnostics.js';
import type { Diagnostic } from '../compiler/diagnostics.js';
import { parseModule } from '../compiler/parser/index.js';
import { SourceFile } from '../compiler/source.js';
import type { Span } from '../compiler/source.js';
import { Composer } from './compose.js';

export interface Definition {
  /** `use:lib`, `struct:Point`, `fn:add`, `impl:Point.norm`. */
  readonly key: string;
  /** For an impl method, the struct it belongs to. */
  readonly implOf?: string;
  readonly source: SourceFile;
  readonly fromLine: number;
  readonly toLine: number;
}

export type ParsedDefinitions = { readonly ok: true; readonly defs: readonly Definition[] } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Splits an input of definitions into one entry per thing it defines. */
export function parseDefinitions(text: string, label: string): ParsedDefinitions {
  const source = new SourceFile(label, text.endsWith('\n') ? text : text + '\n');
  const bag = new DiagnosticBag();
  const { module } = parseModule(source, bag);
  if (bag.hasErrors) return { ok: false, diagnostics: bag.diagnostics };
  const lines = (sp: Span): { fromLine: number; toLine: number } => ({ fromLine: source.lineOf(sp.start), toLine: source.lineOf(Math.max(sp.start, sp.end - 1)) });
  const defs: Definition[] = [];
  for (const use of module.uses) defs.push({ key: `use:${use.path.map((p) => p.name).join('.')}:${text.slice(use.span.start, use.span.end)}`, source, ...lines(use.span) });
  for (const item of module.items) {
    if (item.kind === 'Impl') {
      for (const m of item.methods) defs.push({ key: `impl:${item.target.name}.${m.name.name}`, implOf: item.target.name, source, ...lines(m.span) });
    } else {
      defs.push({ key: `${item.kind === 'Fn' ? 'fn' : 'struct'}:${item.name.name}`, source, ...lines(item.span) });
    }
  }
  return { ok: true, defs };
}

/** The definitions in force, in the order they were first typed. */
export class DefinitionSet {
  private readonly entries = new Map<string, Definition>();

  get size(): number {
    return this.entries.size;
  }

  /** This set with `defs` added, each replacing an earlier definition of the same thing. */
  with(defs: readonly Definition[]): DefinitionSet {
    const next = new DefinitionSet();
    for (const [k, d] of this.entries) next.entries.set(k, d);
    for (const d of defs) next.entries.set(d.key, d);
    return next;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The `use` lines, for the modules that evaluate inputs against these definitions. */
  uses(): Definition[] {
    return [...this.entries.values()].filter((d) => d.key.startsWith('use:'));
  }

  /** The module source: uses, structs and functions, then each struct's methods in one `impl`. */
  compose(into: Composer = new Composer()): Composer {
    const all = [...this.entries.values()];
    for (const d of all) if (!d.implOf) into.userLines(d.source, d.fromLine, d.toLine);
    const impls = new Map<string, Definition[]>();
    for (const d of all) if (d.implOf) impls.set(d.implOf, [...(impls.get(d.implOf) ?? []), d]);
    for (const [target, methods] of impls) {
      into.scaffold(`impl ${target}:`);
      // Methods typed in different `impl` blocks may be indented differently: four spaces here.
      for (const m of methods) into.userLines(m.source, m.fromLine, m.toLine, 4 - indentOf(m));
    }
    return into;
  }
}

function indentOf(d: Definition): number {
  return /^ */.exec(d.source.lineText(d.fromLine))![0].length;
}
