/**
 * Name resolution at module level: turns a parsed module into definitions (structs, functions,
 * methods with their signatures as Types) and the scope its bodies are checked in.
 *
 * Bodies are not looked into here; the checker resolves names inside bodies against the scope.
 */
import type { FnDecl, ModuleAst, StructDecl, TypeParam } from '../ast.js';
import type { DiagnosticBag } from '../diagnostics.js';
import { makeDiagnostic } from '../diagnostics.js';
import type { SourceFile, Span } from '../source.js';
import { Scope } from '../program.js';
import type { Definition, FnDef, ParamDef, StructDef, StructTable } from '../program.js';
import { resolveTypeExpr } from './type-expr.js';
import { suggestion } from './suggest.js';
import type { TypeResolveContext } from './type-expr.js';
import { builtinType, param, T } from '../../types/index.js';
import type { Type } from '../../types/index.js';

/** What `use` can see of another module: its exported definitions by name. */
export interface ModuleExports {
  readonly name: string;
  readonly exports: ReadonlyMap<string, Definition>;
}

export interface ImportResolver {
  /**
   * The module named by a `use` path, or null when it cannot be had. The resolver reports why
   * (not found, unreadable, an import cycle): it knows, and one error per `use` is enough.
   */
  module(path: readonly string[]): ModuleExports | null;
}

export interface DeclaredModule {
  readonly name: string;
  readonly source: SourceFile;
  readonly scope: Scope;
  readonly structs: readonly StructDef[];
  /** Free functions and methods, in source order. */
  readonly fns: readonly FnDef[];
  readonly exports: ReadonlyMap<string, Definition>;
  /** Modules this one imports from, by name. */
  readonly imports: readonly string[];
  /** The same modules as written in `use`, as relative paths (`sub/util`), in the same order. */
  readonly importPaths: readonly string[];
}

/** Names the language reserves for built-ins; declaring one is an error. */
const BUILTIN_FUNCTIONS = new Set(['print', 'assert']);

export function isExportedName(name: string): boolean {
  return !name.startsWith('_');
}

export function declareModule(
  ast: ModuleAst,
  source: SourceFile,
  moduleName: string,
  imports: ImportResolver,
  structs: StructTable,
  diagnostics: DiagnosticBag,
): DeclaredModule {
  const scope = new Scope(moduleName);
  const error = (span: Span, message: string): void => diagnostics.add(makeDiagnostic('error', source, span, message));
  const typeCtx = (params: ReadonlyMap<string, Type>): TypeResolveContext => ({ scope, structs, params, error });
  const declared = new Map<string, Span>();

  const claim = (name: string, span: Span, what: string): boolean => {
    if (builtinType(name) || BUILTIN_FUNCTIONS.has(name)) {
      error(span, `'${name}' is a built-in name and cannot be declared as a ${what}`);
      return false;
    }
    const previous = declared.get(name);
    if (previous) {
      const { line, col } = source.lineCol(previous.start);
      error(span, `'${name}' is already declared at ${line}:${col}`);
      return false;
    }
    declared.set(name, span);
    return true;
  };

  // Structs first, so every signature below can name any of them.
  const structDefs: StructDef[] = [];
  const structDecls = new Map<StructDef, StructDecl>();
  for (const item of ast.items) {
    if (item.kind !== 'Struct' || !claim(item.name.name, item.name.span, 'struct')) continue;
    const def: StructDef = {
      kind: 'struct',
      name: item.name.name,
      module: moduleName,
      typeParams: typeParamNames(item.typeParams, error),
      fields: [],
      methods: new Map(),
      exported: isExportedName(item.name.name),
      origin: { file: source, span: item.name.span },
    };
    scope.define(def.name, def);
    structDefs.push(def);
    structDecls.set(def, item);
  }

  const importedModules: string[] = [];
  const importPaths: string[] = [];
  for (const use of ast.uses) {
    const path = use.path.map((p) => p.name);
    const target = imports.module(path);
    if (!target) continue;
    if (!importedModules.includes(target.name)) {
      importedModules.push(target.name);
      importPaths.push(path.join('/'));
    }
    const bring = (name: string, def: Definition, span: Span): void => {
      if (declared.has(name)) {
        error(span, `imported name '${name}' clashes with a declaration of this module`);
        return;
      }
      const existing = scope.lookup(name);
      if (existing && existing !== def) {
        error(span, `'${name}' is imported twice, from '${existing.module}' and from '${def.module}'`);
        return;
      }
      scope.define(name, def);
    };
    if (use.imports.kind === 'UseAll') {
      for (const [name, def] of target.exports) bring(name, def, use.span);
    } else {
      for (const id of use.imports.names) {
        const def = target.exports.get(id.name);
        if (!def) {
          const hint = isExportedName(id.name)
            ? suggestion(id.name, target.exports.keys())
            : ` (names starting with '_' are private to their module)`;
          error(id.span, `module '${target.name}' has no exported name '${id.name}'${hint}`);
        }
        else bring(id.name, def, id.span);
      }
    }
  }

  for (const def of structDefs) {
    const decl = structDecls.get(def)!;
    const params = paramMap(def.typeParams);
    const seen = new Set<string>();
    const fields = decl.fields.map((f) => {
      if (seen.has(f.name.name)) error(f.name.span, `field '${f.name.name}' is declared twice`);
      seen.add(f.name.name);
      return { name: f.name.name, type: resolveTypeExpr(f.type, typeCtx(params)) };
    });
    // Fields are filled in after every struct of the module is in scope (they may refer to each other).
    (def as unknown as { fields: typeof fields }).fields = fields;
  }

  const fns: FnDef[] = [];
  const declareFn = (decl: FnDecl, owner: StructDef | null): FnDef => {
    const own = typeParamNames(decl.typeParams, error);
    const ownerParams = owner?.typeParams ?? [];
    for (const p of own) {
      if (ownerParams.includes(p)) error(decl.name.span, `type parameter '${p}' shadows the struct's parameter of the same name`);
    }
    const params = paramMap([...ownerParams, ...own]);
    const ctx = typeCtx(params);
    const paramDefs: ParamDef[] = [];
    for (const p of decl.params) {
      if (paramDefs.some((q) => q.name === p.name.name)) error(p.name.span, `parameter '${p.name.name}' is declared twice`);
      if (p.name.name === 'self') error(p.name.span, `'self' cannot be declared as a parameter`);
      paramDefs.push({ name: p.name.name, type: resolveTypeExpr(p.type, ctx) });
    }
    if (decl.isExtern && own.length > 0) error(decl.name.span, `an extern fn cannot be generic`);
    return {
      kind: 'fn',
      name: decl.name.name,
      symbol: owner ? `${owner.name}.${decl.name.name}` : decl.name.name,
      module: moduleName,
      owner,
      receiver: decl.receiver,
      typeParams: own,
      params: paramDefs,
      ret: decl.returnType ? resolveTypeExpr(decl.returnType, ctx) : T.unit,
      isExtern: decl.isExtern,
      exported: isExportedName(decl.name.name) && (owner === null || owner.exported),
      body: decl.body ? { decl, source, scope } : null,
      origin: { file: source, span: decl.name.span },
    };
  };

  for (const item of ast.items) {
    if (item.kind === 'Fn') {
      if (item.receiver !== 'none') error(item.name.span, `'${item.receiver}' methods belong inside an 'impl' block`);
      if (!claim(item.name.name, item.name.span, 'function')) continue;
      const def = declareFn(item, null);
      scope.define(def.name, def);
      fns.push(def);
    } else if (item.kind === 'Impl') {
      const target = scope.lookup(item.target.name);
      if (!target || target.kind !== 'struct') {
        error(item.target.span, target ? `'${item.target.name}' is not a struct` : `unknown struct '${item.target.name}'`);
        continue;
      }
      if (target.module !== moduleName) {
        error(item.target.span, `methods of '${target.name}' must be declared in its own module '${target.module}'`);
        continue;
      }
      if (item.typeParams.length > 0) {
        const written = item.typeParams.map((p) => p.name.name);
        if (written.join(',') !== target.typeParams.join(',')) {
          error(item.span, `'impl ${target.name}' must name the struct's type parameters <${target.typeParams.join(', ')}>`);
        }
      }
      for (const m of item.methods) {
        if (m.receiver === 'none') {
          error(m.name.span, `a method needs 'fn', 'me' or 'static fn'`);
          continue;
        }
        if (target.methods.has(m.name.name)) {
          error(m.name.span, `method '${m.name.name}' is already declared for '${target.name}'`);
          continue;
        }
        if (target.fields.some((f) => f.name === m.name.name)) {
          error(m.name.span, `method '${m.name.name}' has the name of a field of '${target.name}'`);
        }
        const def = declareFn(m, target);
        target.methods.set(def.name, def);
        fns.push(def);
      }
    }
  }

  const exports = new Map<string, Definition>();
  for (const s of structDefs) if (s.exported) exports.set(s.name, s);
  for (const f of fns) if (f.owner === null && f.exported) exports.set(f.name, f);
  return { name: moduleName, source, scope, structs: structDefs, fns, exports, imports: importedModules, importPaths };
}

function typeParamNames(params: readonly TypeParam[], error: (span: Span, message: string) => void): string[] {
  const names: string[] = [];
  for (const p of params) {
    if (names.includes(p.name.name)) error(p.name.span, `type parameter '${p.name.name}' is declared twice`);
    else if (builtinType(p.name.name)) error(p.name.span, `'${p.name.name}' is a built-in type and cannot be a type parameter`);
    else names.push(p.name.name);
  }
  return names;
}

function paramMap(names: readonly string[]): Map<string, Type> {
  return new Map(names.map((n) => [n, param(n)]));
}
