/**
 * ObjModule — what "a module" is for the ObjTaker and the linker: one SMF file (a compiled
 * module, or an already linked program), opened and checked once. It bundles
 *
 * - the SMF reader and the compiler's view of it (`readSmfModule`: interface, code, templates),
 * - its note.sdn, parsed,
 * - its code, read by the strict WebAssembly reader, with its `reloc.CODE` entries,
 * - the interfaces of the source modules in it (one, or every member of a linked SMF) with
 *   private functions given their global linked names (see private-names.ts), and — once
 *   registered (`registerMember`) — their definitions in the ProgramEnv templates are
 *   instantiated against.
 *
 * Everything is keyed by final symbol names, i.e. the names the linked output will use.
 */
import { definitionsFromInterface } from '../compiler/interface/module-interface.js';
import type { InterfaceModule, ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import type { SmfModuleParts } from '../compiler/interface/smf-module.js';
import type { FnTemplatePayload } from '../compiler/interface/templates.js';
import type { FnDef, ProgramEnv } from '../compiler/program.js';
import { readWasmModule } from '../compiler/wasm/reader.js';
import { CODE_ABI_VERSION, codeAbiMismatch } from '../compiler/runtime-abi.js';
import type { WasmModuleInfo, WasmReloc } from '../compiler/wasm/reader.js';
import { ExternalKind, ValType } from '../compiler/wasm/types.js';
import { emptyNote, parseNoteSdn, serializeNoteSdn } from '../sdn/index.js';
import type { NoteSdn } from '../sdn/index.js';
import { Binding, SmfReader, SYMBOL_ENTRY_SIZE } from '../smf/index.js';
import type { SmfSymbol } from '../smf/index.js';
import { natives } from '../platform/index.js';
import { LinkInputError } from './errors.js';
import { readLinkParts } from './link-parts.js';
import { qualifyMember, renameSymbol } from './private-names.js';

/** A link input: a path, or SMF bytes held in memory with the name to report them under. */
export type LinkInput = string | { readonly file: string; readonly bytes: Uint8Array };

export interface ObjMember {
  readonly name: string;
  /** The member's interface with private functions qualified. */
  readonly iface: ModuleInterfaceJson;
  /** Private base symbol → qualified symbol. */
  readonly renamed: ReadonlyMap<string, string>;
  /** Its definitions, once registered in a ProgramEnv (see registerMember). */
  defs: InterfaceModule | null;
}

export interface ObjModule {
  /** The module name (`iface.module`); for a linked input, the name it was linked under. */
  readonly name: string;
  readonly file: string;
  readonly reader: SmfReader;
  readonly parts: SmfModuleParts;
  readonly members: readonly ObjMember[];
  readonly note: NoteSdn;
  readonly wasm: WasmModuleInfo;
  readonly relocs: readonly WasmReloc[];
  /** Final symbol of each defined function, by defined-function index. */
  readonly exportOf: readonly string[];
  /** Final symbol of each defined function → its defined-function index. */
  readonly functionIndex: ReadonlyMap<string, number>;
  /** The symbol of each `GOT.func` import, in import order (global index - 1). */
  readonly got: readonly string[];
  /** Functions and templates of the registered members, by final symbol. */
  readonly fns: Map<string, FnDef>;
  /** Final names of the symbols with Weak binding. */
  readonly weak: ReadonlySet<string>;
  /** The SMF symbol entry of a final name (decoded on demand: most are never asked for). */
  symbol(name: string): SmfSymbol | undefined;
  /** Where the code uses each imported symbol (`file:line:col`), from the interface. */
  readonly uses: ReadonlyMap<string, readonly string[]>;
  /** Bytes of static data its code expects at `__memory_base`. */
  readonly dataSize: number;
}

/** Opens an input and registers all its definitions in `env`, ready for an ObjTaker. */
export function openObjModule(input: LinkInput, env: ProgramEnv): ObjModule {
  const m = readObjModule(input);
  for (let i = 0; i < m.members.length; i++) registerMember(m, i, env);
  return m;
}

/**
 * Registers a member's definitions (structs, functions, templates) in `env`. Only needed for
 * members that instantiation can reach; the linker skips the others, which is most of the work
 * of reading a large program whose modules define no generics.
 */
export function registerMember(m: ObjModule, index: number, env: ProgramEnv): void {
  const member = m.members[index];
  if (member.defs) return;
  const loadTemplate = (offset: number): FnTemplatePayload => {
    const payload = m.parts.template(offset);
    const renamedTo = member.renamed.get(payload.symbol);
    return renamedTo === undefined ? payload : { ...payload, symbol: renamedTo };
  };
  const defs = definitionsFromInterface(member.iface, m.file, env, loadTemplate);
  // Clashes are reported by the linker's symbol pass, which knows bindings and files.
  env.add(defs.structs, defs.fns);
  for (const f of defs.fns) if (!m.fns.has(f.symbol)) m.fns.set(f.symbol, f);
  member.defs = defs;
}

/** Opens and checks an input without registering its definitions anywhere. */
export function readObjModule(input: LinkInput): ObjModule {
  const reader = typeof input === 'string' ? SmfReader.openSync(input) : SmfReader.fromBytes(input.bytes, { file: input.file });
  const file = reader.file;
  const parts = readLinkParts(reader);
  const noteText = hasEmptyNote(reader) ? undefined : reader.noteSdnText();
  const note = noteText ? parseNoteSdn(noteText, { file }) : EMPTY_NOTE;
  const wasm = readWasmModule(parts.code, `${file}: code`);
  const bad = (detail: string): never => {
    throw new LinkInputError(`${file}: code`, detail);
  };
  checkUnitShape(wasm, bad);
  if (wasm.functions.length > 0 && wasm.relocs === undefined) {
    bad('no reloc.CODE section (the module was written by an older compiler; recompile it)');
  }
  const dataSize = wasm.data.reduce((n, d) => n + d.bytes.length, 0);
  if (dataSize !== parts.iface.dataSize) bad(`${dataSize} bytes of static data, but the interface declares ${parts.iface.dataSize}`);

  const memberIfaces = parts.iface.members ?? [parts.iface];
  const members: ObjMember[] = [];
  const fns = new Map<string, FnDef>();
  for (const m of memberIfaces) {
    const q = qualifyMember(m);
    members.push({ name: m.module, iface: q.iface, renamed: q.renamed, defs: null });
  }
  // Only a plain module has unqualified private names in its code and tables; its one member's map applies.
  const renamed = members.length === 1 ? members[0].renamed : NO_RENAMES;

  const exportOf: string[] = new Array(wasm.functions.length);
  for (const e of wasm.exports) {
    if (e.kind !== ExternalKind.func) bad(`export '${e.name}' is not a function`);
    const i = e.index - wasm.importedFunctions;
    if (i < 0) bad(`export '${e.name}' re-exports an imported function`);
    if (exportOf[i] !== undefined) bad(`function ${e.index} is exported twice`);
    exportOf[i] = renameSymbol(e.name, renamed);
  }
  const functionIndex = new Map<string, number>();
  for (let i = 0; i < exportOf.length; i++) {
    if (exportOf[i] === undefined) bad(`defined function ${i} is not exported under a symbol`);
    functionIndex.set(exportOf[i], i);
  }
  const got = wasm.imports.filter((i) => i.module === 'GOT.func').map((i) => i.field);

  const original = renamed.size === 0 ? renamed : new Map([...renamed].map(([from, to]) => [to, from]));
  const symbol = (name: string): SmfSymbol | undefined => {
    const s = reader.lookup(renameSymbol(name, original));
    return s && s.name !== name ? { ...s, name } : s;
  };
  let uses: ReadonlyMap<string, readonly string[]> = NO_USES;
  if (parts.iface.uses.length > 0) {
    const byUse = new Map<string, string[]>();
    for (const u of parts.iface.uses) {
      const list = byUse.get(u.symbol);
      if (list) list.push(u.at);
      else byUse.set(u.symbol, [u.at]);
    }
    uses = byUse;
  }
  return {
    name: parts.iface.module,
    file,
    reader,
    parts,
    members,
    note: renamed.size === 0 ? note : renameNote(note, renamed),
    wasm,
    relocs: wasm.relocs ?? [],
    exportOf,
    functionIndex,
    got,
    fns,
    weak: weakSymbols(reader, renamed),
    symbol,
    uses,
    dataSize: parts.iface.dataSize,
  };
}

/** The import layout of docs/code-model.md, and nothing a merge could not carry over. */
function checkUnitShape(wasm: WasmModuleInfo, bad: (detail: string) => never): void {
  const [memory, second] = wasm.imports;
  if (memory?.kind !== 'memory' || memory.module !== 'env' || memory.field !== 'memory') bad('import 0 is not env.memory');
  // Only units that call through slots import the table.
  const hasTable = second?.kind === 'table';
  if (hasTable && (second.module !== 'env' || second.field !== 'table')) bad('import 1 is a table other than env.table');
  const base = wasm.imports[hasTable ? 2 : 1];
  if (base?.kind !== 'global' || base.module !== 'env' || base.field !== '__memory_base' || base.valType !== ValType.i32) {
    bad('the import after env.memory (and env.table) is not the i32 global env.__memory_base');
  }
  const got = wasm.imports.filter((i) => i.module === 'GOT.func').length;
  if (got > 0 && !hasTable) bad('calls through GOT.func slots but does not import env.table');
  const seen = new Set<string>();
  for (const imp of wasm.imports.slice(hasTable ? 3 : 2)) {
    const key = `${imp.module}.${imp.field}`;
    if (seen.has(key)) bad(`import ${key} appears twice`);
    seen.add(key);
    if (imp.module === 'GOT.func') {
      if (imp.kind !== 'global' || imp.valType !== ValType.i32 || imp.mutable) bad(`import ${key} is not an immutable i32 global`);
    } else if (imp.module === 'rt' || imp.module === 'host') {
      if (imp.kind !== 'func') bad(`import ${key} is not a function`);
    } else {
      bad(`unexpected import ${key}`);
    }
  }
  if (wasm.definedTables || wasm.definedMemories || wasm.definedGlobals || wasm.elementSegments || wasm.hasStart) {
    bad('defines tables, memories, globals, element segments or a start function, which a unit never does');
  }
  if (wasm.data.length > 1) bad(`${wasm.data.length} data segments; a unit has at most one`);
  if (wasm.codeAbi !== CODE_ABI_VERSION) bad(codeAbiMismatch(wasm.codeAbi));
  const seg = wasm.data[0];
  if (seg && !(seg.offset.kind === 'global.get' && seg.offset.global === 0)) bad('the data segment is not placed at __memory_base');
}

/**
 * Weak symbols, found by reading the binding byte of each 56-byte entry: decoding every entry
 * (name, hash check) would cost more than everything else the linker does with a module.
 */
function weakSymbols(reader: SmfReader, renamed: ReadonlyMap<string, string>): ReadonlySet<string> {
  if (reader.symbolCount === 0) return NO_WEAK;
  let out: Set<string> | undefined;
  const table = reader.symbolTableAt;
  for (let i = 0; i < reader.symbolCount; i++) {
    if (reader.bytes[table + i * SYMBOL_ENTRY_SIZE + BINDING_AT] === Binding.Weak) (out ??= new Set()).add(renameSymbol(reader.symbol(i).name, renamed));
  }
  return out ?? NO_WEAK;
}

let emptyNoteBytes: Uint8Array | undefined;

/**
 * Whether the file's note is the one the compiler writes for a module with no generics in play:
 * most inputs of a large link carry it, and comparing its bytes in place is far cheaper than
 * decoding and parsing it. Its text holds the terminator only at its end, so a note that starts
 * with these bytes, within the note's room, is that text and no other.
 */
function hasEmptyNote(reader: SmfReader): boolean {
  const at = reader.noteFileOffset();
  const capacity = reader.noteCapacity();
  if (at === undefined || capacity === undefined) return false;
  const empty = (emptyNoteBytes ??= new TextEncoder().encode(serializeNoteSdn(emptyNote())));
  if (capacity < empty.length || at + empty.length > reader.bytes.length) return false;
  // Compared natively: a byte loop here runs cold, once for every input.
  return natives.indexOfBytes(reader.bytes.subarray(at, at + empty.length), empty) === 0;
}

const NO_WEAK: ReadonlySet<string> = new Set();
const NO_RENAMES: ReadonlyMap<string, string> = new Map();
const NO_USES: ReadonlyMap<string, readonly string[]> = new Map();

/** The note of every input that carries the empty one: shared, and frozen, so that no one changes it for all. */
const EMPTY_NOTE: NoteSdn = (() => {
  const note = emptyNote();
  for (const rows of Object.values(note)) Object.freeze(rows);
  return Object.freeze(note);
})();

/** Offset of `binding` in a symbol entry (docs/smf-format.md §4). */
const BINDING_AT = 9;

function renameNote(note: NoteSdn, renamed: ReadonlyMap<string, string>): NoteSdn {
  return {
    ...note,
    instantiations: note.instantiations.map((r) => ({ ...r, template: renameSymbol(r.template, renamed), mangledName: renameSymbol(r.mangledName, renamed) })),
    dependencies: note.dependencies.map((r) => ({ ...r, fromInst: renameSymbol(r.fromInst, renamed) })),
  };
}
