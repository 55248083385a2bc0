/**
 * A REPL session: definitions become new versions of the `repl` module, hot-swapped into one
 * ModuleLoader; statements and expressions run as a small module of their own that is loaded,
 * called and unloaded; `val`/`var` bindings are kept on the host side between inputs and passed
 * in as parameters (docs/repl.md).
 */
import { dirname, resolve } from 'node:path';
import { CompileSession } from '../compiler/driver/session.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { CompileError, formatDiagnostics } from '../compiler/diagnostics.js';
import { SimpleError } from '../errors.js';
import { LoadError } from '../loader/errors.js';
import { ModuleLoader } from '../loader/module-loader.js';
import { HeapHandle } from '../loader/values.js';
import { SimpleTrap } from '../runtime/trap.js';
import { typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import type { Composer } from './compose.js';
import { DefinitionSet, parseDefinitions } from './definitions.js';
import { ARG_PREFIX, declaredNames, EVAL_PREFIX, finalSource, lastStatement, probeSource } from './eval-source.js';
import type { Binding, Output } from './eval-source.js';
import { QUOTE_TEXT, quoteText, ShowWriter } from './show.js';
import { runCommand } from './commands.js';

export interface ReplIo {
  /** Results and the program's own output. */
  out(text: string): void;
  /** Errors. */
  err(text: string): void;
}

export interface ReplOptions {
  /** Where `use`d modules are looked for first, and what paths in messages are relative to. */
  readonly cwd?: string;
  readonly modulePaths?: readonly string[];
  /** Raised by another thread (Ctrl-C) to stop a running evaluation (docs/limits.md). */
  readonly interrupt?: Int32Array;
}

/** The module definitions go to; inputs are modules named `repl_in_<n>`. */
export const REPL_MODULE = 'repl';

/** An input that failed; already reported. */
class Reported extends Error {}

export class ReplSession {
  loader: ModuleLoader;
  defs = new DefinitionSet();
  readonly bindings: Binding[] = [];
  readonly dir: string;
  readonly modulePaths: string[];
  private inputs = 0;
  private readonly decoder = new TextDecoder();

  constructor(
    readonly io: ReplIo,
    readonly options: ReplOptions = {},
  ) {
    this.dir = resolve(options.cwd ?? process.cwd());
    this.modulePaths = [...(options.modulePaths ?? [])];
    this.loader = this.newLoader();
  }

  newLoader(): ModuleLoader {
    return new ModuleLoader({
      hotReload: true,
      modulePaths: this.modulePaths,
      output: { write: (bytes) => this.io.out(this.decoder.decode(bytes)) },
      limits: this.options.interrupt ? { interrupt: this.options.interrupt } : undefined,
      // Nothing the REPL compiles is a file to write instances back into.
      jit: { updateSmf: false },
      host: { [QUOTE_TEXT]: quoteText },
    });
  }

  /** Handles one complete input; false after `:quit`. */
  handle(input: string): boolean {
    const text = input.replace(/\s+$/, '');
    if (text.trim() === '') return true;
    const label = `<input ${++this.inputs}>`;
    try {
      if (text.trimStart().startsWith(':')) return runCommand(this, text.trim(), label);
      if (/^(fn|struct|impl|use|extern|static|me)\b/.test(text)) this.define(text, label);
      else this.evaluate(text, label);
    } catch (e) {
      this.report(e);
    }
    return true;
  }

  /** Inputs that failed (a piped session exits with 1 when any did). */
  failures = 0;

  report(e: unknown): void {
    this.failures++;
    if (e instanceof Reported) return;
    if (e instanceof CompileError) this.io.err(formatDiagnostics(e.diagnostics) + '\n');
    else if (e instanceof SimpleTrap) {
      const msg = e.kind === 'Interrupted' ? `interrupted${e.functionName ? ` in function '${e.functionName}'` : ''}` : e.message;
      this.io.err(`error: ${msg.replace(new RegExp(`(in )?function '${EVAL_PREFIX}\\d+'`, 'g'), 'in your input')}\n`);
    } else if (e instanceof SimpleError) this.io.err(`error: ${e.message}\n`);
    // The session goes on: one input's failure should not end the others' work.
    else this.io.err(`internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug in smf)\n`);
  }

  // -------------------------------------------------------------------------------------------
  // Definitions

  /** Adds definitions (replacing earlier ones of the same names) and loads the new `repl` module. */
  define(text: string, label: string, quiet = false): void {
    const parsed = parseDefinitions(text, label);
    if (!parsed.ok) throw new CompileError(parsed.diagnostics);
    const next = this.defs.with(parsed.defs);
    const composer = next.compose();
    const path = this.pathOf(REPL_MODULE);
    const compiled = this.compile(composer, path);
    const mod = compiled.get(REPL_MODULE)!;
    if (!this.loader.isLoaded(REPL_MODULE)) this.check(this.loader.loadCompiled(mod));
    else {
      const r = this.loader.reloadCompiled(mod);
      if (r.kind === 'error') {
        // A changed signature or struct layout cannot be swapped under running code; between
        // inputs nothing runs, so the module is loaded afresh (every caller in it is recompiled).
        if (!(r.error instanceof LoadError)) throw r.error;
        this.loader.unload(REPL_MODULE);
        this.check(this.loader.loadCompiled(mod));
        const why = r.error.message.replace(/^.*?reload refused: /, '').replace(/; (values of it live on the heap|the old code keeps running).*$/, '');
        this.io.out(`(not hot-swapped, loaded afresh: ${why})\n`);
        this.dropStale(parsed.defs.filter((d) => d.key.startsWith('struct:')).map((d) => d.key.slice(7)));
      }
    }
    const was = this.defs;
    this.defs = next;
    if (quiet) return;
    for (const d of parsed.defs) {
      if (d.key.startsWith('use:')) continue;
      const [kind, name] = d.key.split(/:(.*)/s);
      this.io.out(`${was.has(d.key) ? 'redefined' : 'defined'} ${kind === 'impl' ? 'method' : kind} ${name}\n`);
    }
  }

  /** Bindings of a struct whose layout changed would be read with the new layout: dropped. */
  private dropStale(structs: readonly string[]): void {
    if (structs.length === 0) return;
    const mentions = (t: Type): boolean => typeToString(t).split(/[^\p{L}\p{N}_]+/u).some((w) => structs.includes(w));
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i];
      if (!mentions(b.type)) continue;
      release(b.value);
      this.bindings.splice(i, 1);
      this.io.out(`(binding '${b.name}' dropped: its type ${typeToString(b.type)} changed)\n`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements and expressions

  /** The type of an expression, without running it. */
  typeOf(expr: string, label: string): Type | null {
    return this.probe(expr, label, new Set()).result;
  }

  evaluate(input: string, label: string): void {
    const redeclared = declaredNames(input);
    const { result, declared, n, params } = this.probe(input, label, redeclared);
    const fnName = `${EVAL_PREFIX}${n}`;
    const show = new ShowWriter(`${fnName}_show`, (name) => this.loader.env.struct(name) ?? undefined);
    const vars = params.filter((b) => b.mutable);
    const outputs: Output[] = [
      ...vars.map((b) => ({ expr: b.name, type: b.type })),
      ...declared.map((d) => ({ expr: d.name, type: d.type })),
      ...declared.map((d) => ({ expr: `${show.fnFor(d.type)}(${d.name}, 0)`, type: { kind: 'string' } as Type })),
      ...(result ? [{ expr: `${show.fnFor(result)}(repl_result, 0)`, type: { kind: 'string' } as Type }] : []),
    ];
    const composer = finalSource(this.header(), fnName, params, input, label, outputs, result !== null, show);
    const modName = `repl_in_${n}`;
    const compiled = this.compile(composer, this.pathOf(modName));
    this.check(this.loader.loadCompiled(compiled.get(modName)!));
    let values: unknown[];
    try {
      values = this.call(fnName, outputs.length, params.map((b) => b.value));
    } finally {
      this.loader.unload(modName);
    }
    vars.forEach((b, i) => {
      if (values[i] !== b.value) release(b.value);
      b.value = values[i];
    });
    let at = vars.length;
    for (const d of declared) {
      const old = this.bindings.findIndex((b) => b.name === d.name);
      if (old >= 0) release(this.bindings.splice(old, 1)[0].value);
      this.bindings.push({ ...d, value: values[at++] });
    }
    for (const d of declared) this.io.out(`${d.name} = ${values[at++] as string} : ${typeToString(d.type)}\n`);
    if (result) this.io.out(`${values[at] as string} : ${typeToString(result)}\n`);
  }

  /** Compiles the input once to learn its types: what it declares and its last expression's. */
  private probe(input: string, label: string, redeclared: ReadonlySet<string>) {
    const n = this.inputs;
    const fnName = `${EVAL_PREFIX}${n}`;
    const params = this.bindings.filter((b) => !redeclared.has(b.name));
    const composer = probeSource(this.header(), fnName, params, input, label);
    const modName = `repl_in_${n}`;
    const compiled = this.compile(composer, this.pathOf(modName), false);
    const ir = compiled.get(modName)!.functions.find((f) => f.symbol === fnName)!;
    const declared: { name: string; type: Type; mutable: boolean }[] = [];
    const userStmts = ir.body.slice(params.length, -1);
    for (const s of userStmts) {
      if (s.kind !== 'let') continue;
      const local = ir.locals[s.local];
      if (!redeclared.has(local.name)) continue;
      const i = declared.findIndex((d) => d.name === local.name);
      if (i >= 0) declared.splice(i, 1);
      declared.push({ name: local.name, type: local.type, mutable: new RegExp(`^var\\s+${local.name}\\b`, 'm').test(input) });
    }
    const last = userStmts[userStmts.length - 1];
    const result = last?.kind === 'expr' && last.expr.type.kind !== 'unit' && lastStatement(input).canBeValue ? last.expr.type : null;
    return { result, declared, n, params };
  }

  /** Calls the input's function; its outputs, read out of the tuple it returns when several. */
  private call(fnName: string, count: number, args: unknown[]): unknown[] {
    const fn = this.resolve(fnName);
    const ret = fn.call(...args);
    if (count <= 1) return count === 0 ? [] : [ret];
    try {
      return Array.from({ length: count }, (_, i) => this.resolve(`${fnName}_get${i}`).call(ret));
    } finally {
      release(ret);
    }
  }

  private resolve(name: string): { call(...args: unknown[]): unknown } {
    const r = this.loader.resolveSymbol(name);
    if (r.kind === 'found' || r.kind === 'jit') return r;
    throw r.kind === 'error' && r.error ? r.error : new LoadError('LOAD_UNDEFINED_SYMBOL', r.kind === 'error' ? r.message : `'${name}' not found`);
  }

  // -------------------------------------------------------------------------------------------
  // Compiling

  /** `use repl.*` and the user's own `use` lines, for an input's module. */
  private header(): string[] {
    if (this.defs.size === 0) return [];
    return [`use ${REPL_MODULE}.*`, ...this.defs.uses().map((d) => d.source.text.split('\n').slice(d.fromLine - 1, d.toLine).join('\n'))];
  }

  pathOf(module: string): string {
    return resolve(this.dir, `${module}.spl`);
  }

  /**
   * Compiles `composer`'s text as the module at `path` (with the `repl` module's current source
   * beside it) and loads the modules it uses that are not loaded yet. Errors come back mapped
   * onto what the user typed.
   */
  private compile(composer: Composer, path: string, load = true): Map<string, CompiledModule> {
    const sources = new Map([[path, composer.text]]);
    const replPath = this.pathOf(REPL_MODULE);
    // The definitions are compiled and loaded already: an input needs only their declarations.
    const loadedRepl = path !== replPath && this.defs.size > 0 ? new Set([replPath]) : undefined;
    if (loadedRepl) sources.set(replPath, this.defs.compose().text);
    const session = new CompileSession({ modulePaths: this.modulePaths, displayRoot: this.dir });
    const shown = `${path.slice(this.dir.length + 1)}`;
    let compiled: CompiledModule[];
    try {
      compiled = session.compileFiles([path], sources, loadedRepl);
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const replComposer = path !== replPath && this.defs.size > 0 ? this.defs.compose() : null;
      throw new CompileError(
        e.diagnostics.map((d) => {
          const own = composer.mapDiagnostic(d, shown);
          return replComposer && own === d ? replComposer.mapDiagnostic(d, `${REPL_MODULE}.spl`) : own;
        }),
      );
    }
    const byName = new Map(compiled.map((c) => [c.declared.name, c]));
    if (load) {
      for (const m of session.modules) {
        if (m.path === path || m.path === replPath || this.loader.isLoaded(m.name)) continue;
        this.check(m.kind === 'smf' ? this.loader.load(m.path) : this.loader.loadCompiled(byName.get(m.name)!));
      }
    }
    return byName;
  }

  private check(r: ReturnType<ModuleLoader['load']>): void {
    if (r.kind === 'error') throw r.error;
  }

  /** Adds the folder of a file `:load` read to where modules are looked for. */
  addModulePath(file: string): void {
    const dir = dirname(resolve(file));
    if (dir !== this.dir && !this.modulePaths.includes(dir)) this.modulePaths.push(dir);
  }

  /** Forgets everything: a new loader, no definitions, no bindings. */
  reset(): void {
    for (const b of this.bindings) release(b.value);
    this.bindings.length = 0;
    this.defs = new DefinitionSet();
    this.loader = this.newLoader();
  }
}

export function release(v: unknown): void {
  if (v instanceof HeapHandle) v.release();
}

export { ARG_PREFIX, Reported };
