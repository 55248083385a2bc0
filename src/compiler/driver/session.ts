/**
 * A compilation session: loads source files and every module they `use` (from `.spl` source or
 * from compiled `.smf` files), declares them in dependency order into one program, and compiles
 * the source modules. No global state: everything lives in the session object.
 */
import { FileError } from '../../errors.js';
import { MAX_SOURCE_FILE_SIZE, readRegularFileSync } from '../../read-file.js';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { UseDecl } from '../ast.js';
import { CompileError, DiagnosticBag, makeDiagnostic } from '../diagnostics.js';
import { parseModule } from '../parser/index.js';
import { ProgramEnv } from '../program.js';
import type { Definition } from '../program.js';
import { declareModule } from '../resolve/declare.js';
import type { DeclaredModule, ModuleExports } from '../resolve/declare.js';
import { SourceFile } from '../source.js';
import { definitionsFromInterface } from '../interface/module-interface.js';
import type { InterfaceModule } from '../interface/module-interface.js';
import { readSmfModule } from '../interface/smf-module.js';
import type { SmfModuleParts } from '../interface/smf-module.js';
import { compileModule } from './compile-module.js';
import type { CompiledModule, CompileModuleOptions } from './compile-module.js';
import { SmfReader } from '../../smf/index.js';
import { files } from '../../platform/index.js';

export interface SessionOptions extends CompileModuleOptions {
  /** Extra folders searched for `use`d modules, after the importing file's own folder. */
  readonly modulePaths?: readonly string[];
  /** Stop after this many errors. */
  readonly errorLimit?: number;
  /**
   * Show source paths relative to this folder (the CLI passes the working directory), as
   * compilers print them; files outside it keep their absolute path. Default: absolute paths.
   */
  readonly displayRoot?: string;
}

/** A module of the session: compiled here from source, or known from its SMF file. */
export type SessionModule =
  | { readonly kind: 'source'; readonly name: string; readonly path: string; readonly declared: DeclaredModule; compiled: CompiledModule | null }
  | { readonly kind: 'smf'; readonly name: string; readonly path: string; readonly parts: SmfModuleParts; readonly defs: InterfaceModule };

interface Parsed {
  readonly name: string;
  readonly path: string;
  readonly source: SourceFile;
  readonly ast: import('../ast.js').ModuleAst;
}

export class CompileSession {
  readonly env = new ProgramEnv();
  readonly diagnostics: DiagnosticBag;
  /** Modules in dependency order (a module comes after everything it uses). */
  readonly modules: SessionModule[] = [];
  private readonly byPath = new Map<string, SessionModule | 'loading'>();
  private readonly byName = new Map<string, SessionModule>();

  constructor(readonly options: SessionOptions = {}) {
    this.diagnostics = new DiagnosticBag(options.errorLimit);
  }

  /**
   * Loads and compiles `paths` and everything they use. Throws CompileError with every
   * diagnostic when anything fails. Modules at the paths in `declareOnly` are read for their
   * declarations but not compiled (the REPL's definitions, already compiled and loaded, when it
   * compiles an input that uses them).
   */
  compileFiles(paths: readonly string[], sources?: ReadonlyMap<string, string>, declareOnly?: ReadonlySet<string>): CompiledModule[] {
    for (const p of paths) this.loadFile(resolve(p), null, sources);
    this.throwIfErrors();
    const compiled: CompiledModule[] = [];
    for (const m of this.modules) {
      if (m.kind !== 'source' || declareOnly?.has(m.path)) continue;
      m.compiled = compileModule(m.declared, this.env, this.diagnostics, this.options);
      if (m.compiled) compiled.push(m.compiled);
      if (this.diagnostics.isFull) break;
    }
    this.throwIfErrors();
    return compiled;
  }

  module(name: string): SessionModule | undefined {
    return this.byName.get(name);
  }

  private throwIfErrors(): void {
    if (this.diagnostics.hasErrors) throw new CompileError(this.diagnostics.diagnostics);
  }

  private loadFile(path: string, from: { source: SourceFile; use: UseDecl } | null, sources?: ReadonlyMap<string, string>): SessionModule | null {
    const existing = this.byPath.get(path);
    if (existing === 'loading') {
      if (from) {
        this.diagnostics.add(makeDiagnostic('error', from.source, from.use.span, `import cycle: '${moduleName(path)}' uses itself through '${from.source.path}'`));
      }
      return null;
    }
    if (existing) return existing;
    if (path.endsWith('.smf')) return this.loadSmf(path, from);

    let text: string;
    try {
      text = sources?.get(path) ?? new TextDecoder().decode(readRegularFileSync(path, MAX_SOURCE_FILE_SIZE));
    } catch (e) {
      const message = e instanceof FileError ? e.message : `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      this.diagnostics.add(from ? makeDiagnostic('error', from.source, from.use.span, message) : makeDiagnostic('error', path, null, message));
      return null;
    }
    const source = new SourceFile(this.displayPath(path), text);
    const { module: ast } = parseModule(source, this.diagnostics);
    const parsed: Parsed = { name: moduleName(path), path, source, ast };
    this.byPath.set(path, 'loading');

    const deps = new Map<string, SessionModule>();
    for (const use of ast.uses) {
      const segments = use.path.map((p) => p.name);
      const found = this.findModule(segments, dirname(path), sources);
      if (!found) {
        this.diagnostics.add(makeDiagnostic('error', source, use.span, `cannot find module '${segments.join('.')}' (looked for ${segments.join('/')}.spl and .smf next to this file${this.options.modulePaths?.length ? ' and in the module path' : ''})`));
        continue;
      }
      const dep = this.loadFile(found, { source, use }, sources);
      if (dep) deps.set(segments.join('.'), dep);
    }

    const declared = declareModule(
      ast,
      source,
      parsed.name,
      { module: (segments): ModuleExports | null => exportsOf(deps.get(segments.join('.'))) },
      this.env,
      this.diagnostics,
    );
    const m: SessionModule = { kind: 'source', name: parsed.name, path, declared, compiled: null };
    this.register(m, declared.structs, declared.fns, source);
    return m;
  }

  private loadSmf(path: string, from: { source: SourceFile; use: UseDecl } | null): SessionModule | null {
    try {
      const parts = readSmfModule(SmfReader.openSync(path));
      // The modules it was compiled against come first: its signatures name their structs.
      for (const dep of parts.iface.imports) {
        const found = this.byName.has(dep) ? null : this.findModule([dep], dirname(path));
        if (found) this.loadFile(found, from);
      }
      const defs = definitionsFromInterface(parts.iface, path, this.env, (offset) => parts.template(offset));
      const m: SessionModule = { kind: 'smf', name: parts.iface.module, path, parts, defs };
      this.register(m, defs.structs, defs.fns, null);
      return m;
    } catch (e) {
      const message = (e as Error).message;
      this.diagnostics.add(from ? makeDiagnostic('error', from.source, from.use.span, message) : makeDiagnostic('error', path, null, message));
      return null;
    }
  }

  private register(m: SessionModule, structs: DeclaredModule['structs'], fns: DeclaredModule['fns'], source: SourceFile | null): void {
    const other = this.byName.get(m.name);
    if (other) {
      this.diagnostics.add(makeDiagnostic('error', source ?? m.path, null, `two modules are named '${m.name}': ${other.path} and ${m.path}`));
    }
    for (const clash of this.env.add(structs, fns)) {
      const where = (d: Definition): string => `module '${d.module}'`;
      const span = clash.second.origin.span;
      this.diagnostics.add(
        makeDiagnostic('error', clash.second.origin.file, span, `'${clash.name}' is defined twice: in ${where(clash.first)} and in ${where(clash.second)}`),
      );
    }
    this.byPath.set(m.path, m);
    this.byName.set(m.name, m);
    this.modules.push(m);
  }

  private displayPath(path: string): string {
    const root = this.options.displayRoot;
    if (root === undefined) return path;
    const rel = relative(root, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }

  private findModule(segments: readonly string[], dir: string, sources?: ReadonlyMap<string, string>): string | null {
    const rel = join(...segments);
    for (const base of [dir, ...(this.options.modulePaths ?? []).map((p) => resolve(p))]) {
      for (const ext of ['.spl', '.smf']) {
        const candidate = join(base, rel + ext);
        if (sources?.has(candidate) || files.existsSync(candidate)) return candidate;
      }
    }
    return null;
  }
}

function exportsOf(m: SessionModule | undefined): ModuleExports | null {
  if (!m) return null;
  return { name: m.name, exports: m.kind === 'source' ? m.declared.exports : m.defs.exports };
}

export function moduleName(path: string): string {
  return basename(path).replace(/\.(spl|smf)$/, '');
}
