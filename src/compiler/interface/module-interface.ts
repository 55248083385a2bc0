/**
 * A module's interface, stored as JSON in its TypeInfo section (`type_info`): every struct and
 * function it defines (private ones too, since its templates may call them), with signatures in
 * the surface type syntax, the names its templates can see, and what its code needs at load time.
 *
 * It is what lets another module compile against `lib.smf` instead of `lib.spl`, and what lets
 * the linker and the loader check and instantiate templates.
 */
import { SimpleError } from '../../errors.js';
import type { Receiver } from '../ast.js';
import type { DeclaredModule } from '../resolve/declare.js';
import { Scope } from '../program.js';
import type { Definition, FnBody, FnDef, Origin, ParamDef, ProgramEnv, StructDef } from '../program.js';
import { SourceExcerpt } from '../source-excerpt.js';
import { parseType, typeToString } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import type { FnTemplatePayload } from './templates.js';
import { unpackMembers } from './packed-members.js';

export const INTERFACE_FORMAT = 1;

export interface StructJson {
  name: string;
  params: string[];
  fields: Array<{ name: string; type: string }>;
  exported: boolean;
}

export interface FunctionJson {
  symbol: string;
  name: string;
  owner: string | null;
  receiver: Receiver;
  typeParams: string[];
  params: Array<{ name: string; type: string }>;
  ret: string;
  extern: boolean;
  exported: boolean;
  /** Offset of the function's entry in the TemplateCode section, for generic functions. */
  template: number | null;
}

export interface ModuleInterfaceJson {
  format: number;
  module: string;
  /** Modules this one imports, by name. */
  imports: string[];
  /** The same modules as `use` names them, as relative paths (`sub/util`), in the same order. */
  importPaths?: string[];
  structs: StructJson[];
  functions: FunctionJson[];
  /** The names templates of this module see: [name, 'fn' | 'struct', defining module, symbol]. */
  scope: Array<[string, 'fn' | 'struct', string, string]>;
  /** Bytes of static data the code needs placed at `__memory_base`. */
  dataSize: number;
  /** Symbols the code calls that other modules (or the loader) provide, with where they are used. */
  uses: Array<{ symbol: string; at: string }>;
  /**
   * The functions the code defines and the ones it calls through slots, so a loader can register
   * a module without compiling its code (lazy loading). Absent in files of other writers.
   */
  code?: { exports: string[]; calls: string[] };
  /**
   * In a linked SMF: the interfaces of the modules linked into it (template offsets refer to the
   * linked file's TemplateCode section). The top-level lists are then empty. Stored packed
   * (packed-members.ts); parsed, always this list.
   */
  members?: ModuleInterfaceJson[];
}

export class InterfaceError extends SimpleError {
  readonly code = 'SMF_BAD_INTERFACE';
  constructor(
    readonly file: string,
    readonly detail: string,
    /** The section the detail is about: the interface's own, or the load index's. */
    readonly section = 'type_info',
  ) {
    super(`${file}: ${section}: ${detail}`);
  }
}

export function buildInterface(
  declared: DeclaredModule,
  templateOffsets: ReadonlyMap<string, number>,
  dataSize: number,
  uses: ModuleInterfaceJson['uses'],
  code?: ModuleInterfaceJson['code'],
): ModuleInterfaceJson {
  const scope: ModuleInterfaceJson['scope'] = [];
  for (const [name, def] of declared.scope.entries()) {
    scope.push([name, def.kind, def.module, def.kind === 'fn' ? def.symbol : def.name]);
  }
  return {
    format: INTERFACE_FORMAT,
    module: declared.name,
    imports: [...declared.imports],
    importPaths: [...declared.importPaths],
    structs: declared.structs.map((s) => ({
      name: s.name,
      params: [...s.typeParams],
      fields: s.fields.map((f) => ({ name: f.name, type: typeToString(f.type) })),
      exported: s.exported,
    })),
    functions: declared.fns.map((f) => ({
      symbol: f.symbol,
      name: f.name,
      owner: f.owner?.name ?? null,
      receiver: f.receiver,
      typeParams: [...f.typeParams],
      params: f.params.map((p) => ({ name: p.name, type: typeToString(p.type) })),
      ret: typeToString(f.ret),
      extern: f.isExtern,
      exported: f.exported,
      template: templateOffsets.get(f.symbol) ?? null,
    })),
    scope,
    dataSize,
    uses,
    ...(code ? { code } : {}),
  };
}

export interface InterfaceModule {
  readonly name: string;
  readonly structs: readonly StructDef[];
  readonly fns: readonly FnDef[];
  readonly exports: ReadonlyMap<string, Definition>;
  readonly json: ModuleInterfaceJson;
}

/**
 * Definitions from an interface. Template bodies are decoded on first use through
 * `loadTemplate`, so loading a module costs nothing for templates nobody instantiates.
 */
export function definitionsFromInterface(
  json: ModuleInterfaceJson,
  file: string,
  env: ProgramEnv,
  loadTemplate: (offset: number) => FnTemplatePayload,
): InterfaceModule {
  if (json.format !== INTERFACE_FORMAT) throw new InterfaceError(file, `unsupported format ${String(json.format)}`);
  const build = new DefinitionBuilder(json.module, file, env, loadTemplate, () => scopeTable(json.scope));
  const structs = new Map<string, StructDef>();
  for (const s of json.structs) structs.set(s.name, build.struct(s));
  const fns: FnDef[] = [];
  for (const f of json.functions) {
    const owner = f.owner === null ? null : (structs.get(f.owner) ?? build.bad(`function ${f.symbol}: unknown owner ${f.owner}`));
    fns.push(build.fn(f, owner));
  }
  const exports = new Map<string, Definition>();
  for (const s of structs.values()) if (s.exported) exports.set(s.name, s);
  for (const f of fns) if (f.owner === null && f.exported) exports.set(f.name, f);
  return { name: json.module, structs: [...structs.values()], fns, exports, json };
}

/**
 * Makes the definitions of one module's interface, one record at a time: the whole interface at
 * once (definitionsFromInterface), or only the records a lookup needs (indexed-definitions.ts).
 */
export class DefinitionBuilder {
  private scopeOf: InterfaceScope | undefined;

  constructor(
    readonly module: string,
    readonly file: string,
    private readonly env: ProgramEnv,
    private readonly loadTemplate: (offset: number) => FnTemplatePayload,
    private readonly scopeOfModule: () => ScopeTable,
  ) {}

  bad(detail: string): never {
    throw new InterfaceError(this.file, detail);
  }

  /** The names the module's templates see, read when a template is first decoded. */
  private get scope(): InterfaceScope {
    return (this.scopeOf ??= new InterfaceScope(this.module, this.scopeOfModule(), this.env));
  }

  private parse(src: string, params: readonly string[], what: string): Type {
    // Most signatures are made of a few common types: parse each distinct one once.
    const key = params.length === 0 ? src : `${params.join(',')}|${src}`;
    const known = typeCache.get(key);
    if (known) return known;
    try {
      const t = parseType(src, { params: new Set(params) });
      if (typeCache.size < 10_000) typeCache.set(key, t);
      return t;
    } catch (e) {
      return this.bad(`${what}: ${(e as Error).message}`);
    }
  }

  struct(s: StructJson): StructDef {
    return {
      kind: 'struct',
      name: s.name,
      module: this.module,
      typeParams: s.params,
      fields: s.fields.map((f) => ({ name: f.name, type: this.parse(f.type, s.params, `struct ${s.name}.${f.name}`) })),
      methods: new Map(),
      exported: s.exported,
      origin: { file: this.file, span: null },
    };
  }

  /** A function; a method is added to its owner's methods. */
  fn(f: FunctionJson, owner: StructDef | null): FnDef {
    const params = [...(owner?.typeParams ?? []), ...f.typeParams];
    const def = new InterfaceFnDef(
      f,
      this.module,
      owner,
      f.params.map((p) => ({ name: p.name, type: this.parse(p.type, params, `function ${f.symbol}`) })),
      this.parse(f.ret, params, `function ${f.symbol}`),
      { file: this.file, span: null },
      f.template === null
        ? null
        : () => {
            const t = this.loadTemplate(f.template!);
            if (t.symbol !== f.symbol) this.bad(`template at ${f.template} is for ${t.symbol}, not ${f.symbol}`);
            return { decl: t.decl, source: new SourceExcerpt(t.file, t.text, t.lineOffset), scope: this.scope };
          },
    );
    if (owner) owner.methods.set(f.name, def);
    return def;
  }
}

export function parseInterface(text: string, file: string): ModuleInterfaceJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InterfaceError(file, `not valid JSON (${(e as Error).message})`);
  }
  // A linked file's members are packed (packed-members.ts).
  if (isRecord(json) && isRecord(json.members)) {
    const members = unpackMembers(json.members);
    if (typeof members === 'string') throw new InterfaceError(file, members);
    json.members = members;
  }
  const problem = interfaceProblem(json, 'interface');
  if (problem) throw new InterfaceError(file, problem);
  return json as ModuleInterfaceJson;
}

const RECEIVERS: ReadonlySet<unknown> = new Set<Receiver>(['none', 'fn', 'me', 'static']);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNamedType = (v: unknown): boolean => isRecord(v) && isString(v.name) && isString(v.type);

/** The shape of one struct record (every nested field). */
export function isStructJson(st: unknown): st is StructJson {
  return isRecord(st) && isString(st.name) && isStrings(st.params) && Array.isArray(st.fields) && st.fields.every(isNamedType) && typeof st.exported === 'boolean';
}

/** The shape of one function record (every nested field). */
export function isFunctionJson(f: unknown): f is FunctionJson {
  return (
    isRecord(f) &&
    isString(f.symbol) &&
    isString(f.name) &&
    (f.owner === null || isString(f.owner)) &&
    RECEIVERS.has(f.receiver) &&
    isStrings(f.typeParams) &&
    Array.isArray(f.params) &&
    f.params.every(isNamedType) &&
    isString(f.ret) &&
    typeof f.extern === 'boolean' &&
    typeof f.exported === 'boolean' &&
    (f.template === null || (typeof f.template === 'number' && Number.isSafeInteger(f.template)))
  );
}

/** What is wrong with a scope list, or null. */
export function scopeProblem(scope: unknown): string | null {
  if (!Array.isArray(scope)) return 'scope is not a list';
  for (const [k, e] of scope.entries()) {
    const ok = Array.isArray(e) && e.length === 4 && isString(e[0]) && (e[1] === 'fn' || e[1] === 'struct') && isString(e[2]) && isString(e[3]);
    if (!ok) return `scope[${k}] is malformed`;
  }
  return null;
}

/** What is wrong with a uses list, or null. */
export function usesProblem(uses: unknown): string | null {
  if (!Array.isArray(uses)) return 'uses is not a list';
  for (const [k, u] of uses.entries()) {
    if (!isRecord(u) || !isString(u.symbol) || !isString(u.at)) return `uses[${k}] is malformed`;
  }
  return null;
}

/**
 * What is wrong with an interface's shape, or null. Checked in full (every nested field), since
 * the file may be hostile even with a valid module hash: what passes can be used without checks.
 */
function interfaceProblem(j: unknown, where: string): string | null {
  if (!isRecord(j)) return `${where} is not an object`;
  if (!isString(j.module) || !isStrings(j.imports) || (j.importPaths !== undefined && !isStrings(j.importPaths))) return `${where}: module or imports missing or mistyped`;
  if (typeof j.dataSize !== 'number' || !Number.isSafeInteger(j.dataSize) || j.dataSize < 0) return `${where}: dataSize is not a byte count`;
  if (!Array.isArray(j.structs) || !Array.isArray(j.functions) || !Array.isArray(j.scope) || !Array.isArray(j.uses)) return `${where}: missing or mistyped fields`;
  for (const [k, st] of j.structs.entries()) if (!isStructJson(st)) return `${where}: structs[${k}] is malformed`;
  for (const [k, f] of j.functions.entries()) if (!isFunctionJson(f)) return `${where}: functions[${k}] is malformed`;
  const scope = scopeProblem(j.scope);
  if (scope) return `${where}: ${scope}`;
  const uses = usesProblem(j.uses);
  if (uses) return `${where}: ${uses}`;
  if (j.code !== undefined && !(isRecord(j.code) && isStrings(j.code.exports) && isStrings(j.code.calls))) return `${where}: code is malformed`;
  if (j.members !== undefined) {
    if (!Array.isArray(j.members)) return `${where}: members is not a list`;
    for (const [k, m] of j.members.entries()) {
      const problem = interfaceProblem(m, `members[${k}]`);
      if (problem) return problem;
    }
  }
  return null;
}

/** Types parsed from interfaces, by their text (types are immutable values, so sharing is safe). */
const typeCache = new Map<string, Type>();

/**
 * A function known from an interface. A class, so that every instance shares one shape and the
 * template body is decoded on first use through a prototype getter (object literals with
 * getters are slow to create in V8, and a loader creates thousands of these).
 */
class InterfaceFnDef implements FnDef {
  readonly kind = 'fn' as const;
  readonly name: string;
  readonly symbol: string;
  readonly receiver: Receiver;
  readonly typeParams: readonly string[];
  readonly isExtern: boolean;
  readonly exported: boolean;
  private decoded: FnBody | null | undefined;

  constructor(
    f: FunctionJson,
    readonly module: string,
    readonly owner: StructDef | null,
    readonly params: readonly ParamDef[],
    readonly ret: Type,
    readonly origin: Origin,
    private readonly load: (() => FnBody) | null,
  ) {
    this.name = f.name;
    this.symbol = f.symbol;
    this.receiver = f.receiver;
    this.typeParams = f.typeParams;
    this.isExtern = f.extern;
    this.exported = f.exported;
    this.decoded = load === null ? null : undefined;
  }

  get body(): FnBody | null {
    if (this.decoded === undefined) this.decoded = this.load!();
    return this.decoded;
  }
}

/** What a name in a module's scope is: its kind, the module that defines it, its symbol. */
export type ScopeEntry = readonly ['fn' | 'struct', string, string];

/** The names a module's templates see. */
export interface ScopeTable {
  get(name: string): ScopeEntry | undefined;
}

/** The table of a scope list as stored. */
export function scopeTable(entries: ModuleInterfaceJson['scope']): ScopeTable {
  const table = new Map<string, ScopeEntry>();
  for (const [name, kind, defModule, symbol] of entries) table.set(name, [kind, defModule, symbol]);
  return table;
}

/** The scope of a module known from its interface: names resolve through the program on use. */
class InterfaceScope extends Scope {
  constructor(
    module: string,
    private readonly table: ScopeTable,
    private readonly env: ProgramEnv,
  ) {
    super(module);
  }

  override lookup(name: string): Definition | undefined {
    const entry = this.table.get(name);
    if (!entry) return undefined;
    const [kind, defModule, symbol] = entry;
    return kind === 'struct' ? this.env.struct(symbol) : this.env.fn(symbol, defModule);
  }

  override has(name: string): boolean {
    return this.table.get(name) !== undefined;
  }
}
