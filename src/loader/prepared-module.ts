/**
 * A module read and decoded as far as loading needs, ready to be installed (by a load or a
 * reload): from an SMF file, or from a module compiled in this process.
 *
 * A file with a load index is registered from the index alone; its interface is parsed, and
 * its definitions built, on the first lookup of one of them (ProgramEnv.addLazy). Its code is
 * compiled on first use (the loader's materialization units).
 */
import { noteCodeModule } from '../runtime/backtrace.js';
import { CODE_ABI_SECTION, CODE_ABI_VERSION, codeAbiMismatch } from '../compiler/runtime-abi.js';
import type { CompiledModule } from '../compiler/driver/compile-module.js';
import { compilerBackend } from './compiler-seam.js';
import { checkLoadIndex } from '../compiler/interface/load-index.js';
import type { LoadIndexJson } from '../compiler/interface/load-index.js';
import { definitionsFromInterface } from '../compiler/interface/module-interface.js';
import { IndexedDefinitions } from '../compiler/interface/indexed-definitions.js';
import type { SmfModuleParts } from '../compiler/interface/smf-module.js';
import type { FnDef, LazyModuleDefinitions, ProgramEnv, StructDef } from '../compiler/program.js';
import { emptyNote, parseNoteSdn } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import type { SmfReader } from '../smf/index.js';
import { codeSymbols } from './code-symbols.js';
import { isQualified } from '../linker/private-names.js';
import { LoadError } from './errors.js';
import { readableName, symbolBase } from '../types/index.js';

export interface PreparedModule {
  readonly name: string;
  readonly path: string;
  readonly members: readonly string[];
  /** Names of the modules it imports. */
  readonly imports: readonly string[];
  /** Where `use` found them, relative (`sub/util`), in the same order; may be shorter. */
  readonly importPaths: readonly string[];
  readonly structs: readonly StructDef[];
  readonly fns: readonly FnDef[];
  /** Set when the module can be registered by name, its definitions built on first lookup. */
  readonly lazyDefinitions: LazyModuleDefinitions | null;
  /** Its extern fns, with the module that declares each. */
  readonly externs: ReadonlyArray<{ readonly name: string; readonly module: string }>;
  /** Which of `exports` are private (known without describing each symbol). */
  readonly localExports: ReadonlySet<string>;
  readonly note: NoteSdn;
  readonly uses: ReadonlyArray<{ symbol: string; at: string }>;
  /** The file it was read from, or null for a module compiled in this process. */
  readonly reader: SmfReader | null;
  /** The functions its code defines (each gets a table slot). */
  readonly exports: readonly string[];
  /** The functions its code calls through slots (defined elsewhere or instantiated on demand). */
  readonly got: readonly string[];
  /** Compiles its code (once): the work a lazy load defers to first use. */
  compile(): UnitCode;
}

/** What instantiating a unit needs: its compiled code and what it imports. */
export interface UnitCode {
  readonly label: string;
  readonly module: WebAssembly.Module;
  readonly exports: readonly string[];
  readonly got: readonly string[];
  readonly host: readonly string[];
  readonly dataSize: number;
  /** The module whose private symbols and externs the unit sees. */
  readonly owner: string;
  /** The `extern fn`s its module declares: the host functions it may import (else the owner's, looked up). */
  readonly declaredHost?: ReadonlySet<string>;
}

/**
 * Compiles a unit's WebAssembly: as it is, or metered when the loader has limits
 * (src/loader/limits.ts).
 */
export type CodeCompiler = (wasm: Uint8Array, label?: string) => WebAssembly.Module;

export const compilePlain: CodeCompiler = (wasm) => {
  const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  noteCodeModule(module); // for the line numbers of a trap's backtrace
  return module;
};

/**
 * Code compiled for another code ABI (before the collector, say) would hold heap pointers where
 * the collector cannot see them: code read from a file is refused before it is instantiated.
 */
export function checkCodeAbi(module: WebAssembly.Module): void {
  const [section] = WebAssembly.Module.customSections(module, CODE_ABI_SECTION);
  const found = section && section.byteLength > 0 ? new Uint8Array(section)[0] : undefined;
  if (found !== CODE_ABI_VERSION) throw new LoadError('LOAD_CODE_ABI', `cannot run this module's code: ${codeAbiMismatch(found)}`);
}

/** A compiled unit with its imports and exports read off the module itself. */
export function unitOf(module: WebAssembly.Module, label: string, dataSize: number, owner: string): UnitCode {
  const imports = WebAssembly.Module.imports(module);
  return {
    label,
    module,
    exports: WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name),
    got: imports.filter((i) => i.module === 'GOT.func').map((i) => i.name),
    host: imports.filter((i) => i.module === 'host').map((i) => i.name),
    dataSize,
    owner,
  };
}

/** What the file-backed modules share: code compiled on demand, the note parsed on demand. */
abstract class FileModule {
  private unit: UnitCode | undefined;
  private parsedNote: NoteSdn | undefined;

  constructor(
    readonly path: string,
    readonly reader: SmfReader,
    readonly parts: SmfModuleParts,
    private readonly compileCode: CodeCompiler,
  ) {}

  abstract readonly name: string;
  /** Bytes of static data the code needs at `__memory_base`. */
  abstract readonly dataSize: number;

  get note(): NoteSdn {
    if (this.parsedNote) return this.parsedNote;
    const text = this.reader.noteSdnText();
    return (this.parsedNote = text ? parseNoteSdn(text, { file: this.path }) : emptyNote());
  }

  get uses(): ReadonlyArray<{ symbol: string; at: string }> {
    return this.parts.records?.uses() ?? this.parts.iface.uses;
  }

  compile(): UnitCode {
    if (this.unit) return this.unit;
    let module: WebAssembly.Module;
    try {
      module = this.compileCode(this.parts.code, this.path);
      // Only code from a file can be older than this compiler (kept JIT code is keyed by the ABI).
      checkCodeAbi(module);
    } catch (e) {
      if (e instanceof LoadError) throw e.file ? e : new LoadError(e.code, e.message, this.path);
      throw new LoadError('LOAD_INSTANTIATE', `invalid code: ${(e as Error).message}`, this.path);
    }
    return (this.unit = { ...unitOf(module, this.name, this.dataSize, this.name), declaredHost: new Set(this.externs.map((e) => e.name)) });
  }

  abstract readonly externs: ReadonlyArray<{ readonly name: string; readonly module: string }>;
}

/**
 * A module registered from its load index; the interface is parsed when a definition is needed.
 * It is its own LazyModuleDefinitions: the names from the index, the definitions on demand.
 */
class IndexedFileModule extends FileModule implements PreparedModule, LazyModuleDefinitions {
  readonly name: string;
  readonly imports: readonly string[];
  readonly importPaths: readonly string[];
  readonly exports: readonly string[];
  readonly got: readonly string[];
  readonly externs: ReadonlyArray<{ readonly name: string; readonly module: string }>;
  readonly localExports: ReadonlySet<string>;
  readonly structNames: readonly string[];
  readonly fnSymbols: readonly string[];
  readonly dataSize: number;
  private built: { structs: readonly StructDef[]; fns: readonly FnDef[] } | undefined;
  private indexed: IndexedDefinitions | null | undefined;

  constructor(
    path: string,
    reader: SmfReader,
    parts: SmfModuleParts,
    private readonly index: LoadIndexJson,
    private readonly env: ProgramEnv,
    compileCode: CodeCompiler,
  ) {
    super(path, reader, parts, compileCode);
    this.name = index.module;
    this.imports = index.imports;
    this.importPaths = index.importPaths;
    this.exports = index.exports;
    this.got = index.calls;
    this.externs = index.externs.length === 0 ? NO_EXTERNS : index.externs.map((name) => ({ name, module: index.module }));
    this.localExports = index.local.length === 0 ? NO_LOCALS : new Set(index.local);
    this.structNames = index.structs;
    this.fnSymbols = index.fns;
    this.dataSize = index.dataSize;
  }

  get lazyDefinitions(): LazyModuleDefinitions {
    return this;
  }

  get members(): readonly string[] {
    return [this.name];
  }

  buildDefinitions(): { structs: readonly StructDef[]; fns: readonly FnDef[] } {
    if (this.built) return this.built;
    const single = this.single;
    if (single) return (this.built = single.all());
    const iface = this.parts.iface;
    checkLoadIndex(this.index, iface, this.path);
    return (this.built = definitionsFromInterface(iface, this.path, this.env, (offset) => this.parts.template(offset)));
  }

  /** With the interface's directory, definitions are read one record at a time. */
  get single(): IndexedDefinitions | null {
    if (this.indexed !== undefined) return this.indexed;
    const records = this.parts.records;
    return (this.indexed = records && new IndexedDefinitions(this.name, records, this.index.fns, this.path, this.env, (offset) => this.parts.template(offset)));
  }

  get structs(): readonly StructDef[] {
    return this.buildDefinitions().structs;
  }

  get fns(): readonly FnDef[] {
    return this.buildDefinitions().fns;
  }
}

const NO_EXTERNS: PreparedModule['externs'] = [];
const NO_LOCALS: ReadonlySet<string> = new Set();

/**
 * The private functions among `exports`: the module's own private ones, instances of its
 * private templates, and in a linked file its members' private functions under their qualified
 * names (`_helper..lib`; they are exported in the member interfaces only so that templates find
 * them).
 */
function localExportsOf(exports: readonly string[], fns: readonly FnDef[]): ReadonlySet<string> {
  const privateFns = new Set(fns.filter((f) => !f.exported).map((f) => f.symbol));
  const local = exports.filter((s) => isQualified(s) || privateFns.has(symbolBase(s)));
  return local.length === 0 ? NO_LOCALS : new Set(local);
}

/** A module whose interface is read at load (a linked file, or one without a load index). */
class InterfaceFileModule extends FileModule implements PreparedModule {
  readonly name: string;
  readonly dataSize: number;
  readonly members: readonly string[];
  readonly imports: readonly string[];
  readonly importPaths: readonly string[];
  readonly structs: readonly StructDef[];
  readonly fns: readonly FnDef[];
  readonly exports: readonly string[];
  readonly got: readonly string[];
  readonly externs: ReadonlyArray<{ readonly name: string; readonly module: string }>;
  readonly lazyDefinitions = null;
  readonly localExports: ReadonlySet<string>;

  constructor(path: string, reader: SmfReader, parts: SmfModuleParts, env: ProgramEnv, compileCode: CodeCompiler) {
    super(path, reader, parts, compileCode);
    const iface = parts.iface;
    // A linked SMF carries the interfaces of every module linked into it.
    const members = iface.members ?? [iface];
    const structs: StructDef[] = [];
    const fns: FnDef[] = [];
    for (const member of members) {
      const defs = definitionsFromInterface(member, path, env, (offset) => parts.template(offset));
      structs.push(...defs.structs);
      fns.push(...defs.fns);
    }
    this.name = iface.module;
    this.dataSize = iface.dataSize;
    this.members = members.map((m) => m.module);
    this.imports = iface.imports;
    this.importPaths = iface.importPaths ?? [];
    this.structs = structs;
    this.fns = fns;
    this.externs = fns.filter((f) => f.isExtern).map((f) => ({ name: f.name, module: f.module }));
    // The interface lists what the code defines and calls; failing that the symbol table; failing
    // that (a file from another writer), the code must be compiled to find out.
    const known = iface.code ? { exports: iface.code.exports, got: iface.code.calls } : (codeSymbols(reader) ?? { exports: this.compile().exports, got: this.compile().got });
    this.exports = known.exports;
    this.got = known.got;
    this.localExports = localExportsOf(known.exports, fns);
  }
}

/** Prepares a module from its file's parts: from the load index when it has one. */
export function prepareFromFile(path: string, reader: SmfReader, parts: SmfModuleParts, env: ProgramEnv, compileCode: CodeCompiler = compilePlain): PreparedModule {
  const index = parts.loadIndex;
  return index ? new IndexedFileModule(path, reader, parts, index, env, compileCode) : new InterfaceFileModule(path, reader, parts, env, compileCode);
}

/** Prepares a module compiled in this process (the `smf run file.spl` path). */
export function prepareFromCompiled(compiled: CompiledModule, path: string, compileCode: CodeCompiler = compilePlain): PreparedModule {
  const name = compiled.declared.name;
  const { unit: code, declared } = compiled;
  let unit: UnitCode | undefined;
  return {
    name,
    path,
    members: [name],
    imports: declared.imports,
    importPaths: declared.importPaths,
    structs: declared.structs,
    fns: declared.fns,
    lazyDefinitions: null,
    externs: declared.fns.filter((f) => f.isExtern).map((f) => ({ name: f.name, module: f.module })),
    localExports: localExportsOf(code.exports, declared.fns),
    note: compilerBackend().buildNote(compiled, `${name}.smf`),
    uses: [],
    reader: null,
    exports: code.exports,
    got: code.imports.got,
    compile: () =>
      (unit ??= {
        label: name,
        module: compileCode(code.wasm, path),
        exports: code.exports,
        got: code.imports.got,
        host: code.imports.host,
        dataSize: code.dataSize,
        owner: name,
        declaredHost: new Set(code.imports.host),
      }),
  };
}

/**
 * An instance's exports, once every function the module lists is checked to be among them: a
 * file whose index or interface names a function its code lacks is refused before any slot is
 * filled.
 */
export function definedExports(exports: Record<string, unknown>, p: PreparedModule): Record<string, unknown> {
  for (const symbol of p.exports) {
    if (typeof exports[symbol] !== 'function') {
      throw new LoadError('LOAD_INSTANTIATE', `its code does not define '${readableName(symbol)}', which the module lists`, p.path, symbol);
    }
  }
  return exports;
}
