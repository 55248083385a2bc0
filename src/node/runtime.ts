/**
 * What the JavaScript module generated for an imported Simple module calls (hooks.ts): the
 * process's one ModuleLoader, and the exports as the host sees them — typed callables (i64 as
 * bigint, heap values as HeapHandles), `.of(...types)` for generic functions and structs.
 */
import type { ModuleLoader, SymbolResult } from '../loader/module-loader.js';
import type { ExportShape, FnShape, StructShape } from '../compiler/interface/export-shape.js';
import type { ModuleSpec } from './compile-cache.js';
import type { PlainDiagnostic } from './errors.js';

/**
 * The package's bundled entry (dist/simple-smf.js), what `import … from 'simple-smf'` loads: so
 * the loader, its HeapHandles and its errors are the very classes a program imports from the
 * package root (`e instanceof SimpleError` holds), and start-up loads one file.
 */
const lib = (await import(new URL('../simple-smf.js', import.meta.url).href)) as typeof import('../index.js');
const { SimpleError, LoadError } = lib;

/** A Simple module imported from Node did not compile: the compiler's message, with caret; `diagnostics` as data. */
export class SimpleImportError extends SimpleError {
  readonly code = 'COMPILE_ERROR';
  constructor(
    message: string,
    readonly diagnostics: readonly PlainDiagnostic[],
  ) {
    super(message, true);
  }
}

/** A Simple export used in a way it cannot be: a generic function called without its type arguments. */
export class SimpleUsageError extends SimpleError {
  readonly code = 'USAGE';
}

const modulePaths: string[] = [];
let shared: ModuleLoader | undefined;

/** The loader every imported Simple module is loaded into (so they can call each other). */
export function sharedLoader(): ModuleLoader {
  return (shared ??= new lib.ModuleLoader({ modulePaths }));
}

export function importFailed(message: string, diagnostics: readonly PlainDiagnostic[]): SimpleImportError {
  return new SimpleImportError(message, diagnostics);
}

export function simpleModule(spec: ModuleSpec): ImportedModule {
  for (const p of spec.modulePaths) if (!modulePaths.includes(p)) modulePaths.push(p);
  const loader = sharedLoader();
  const r = loader.load(spec.smf);
  if (r.kind === 'error') throw r.error;
  return new ImportedModule(loader, spec.shape);
}

/** A callable export; a generic one is called through `.of(...typeArguments)`. */
export type SimpleFunction = ((...args: unknown[]) => unknown) & { readonly simpleName: string; readonly signature: string; of?: (...types: string[]) => SimpleFunction };

export class ImportedModule {
  constructor(
    readonly loader: ModuleLoader,
    readonly shape: ExportShape,
  ) {}

  fn(index: number): SimpleFunction {
    return exported(this.loader, this.shape.functions[index], []);
  }

  struct(index: number): object {
    const s = this.shape.structs[index];
    if (s.typeParams.length === 0) return structObject(this.loader, s, []);
    const instances = new Map<string, object>();
    return Object.freeze({
      name: s.name,
      of: (...types: string[]) => {
        checkCount(`${s.name}`, s.typeParams.length, types);
        const key = types.join(',');
        let o = instances.get(key);
        if (!o) instances.set(key, (o = structObject(this.loader, s, types)));
        return o;
      },
    });
  }
}

function structObject(loader: ModuleLoader, s: StructShape, types: readonly string[]): object {
  const o: Record<string, unknown> = { name: types.length ? `${s.name}<${types.join(', ')}>` : s.name };
  for (const m of s.methods) o[m.name] = exported(loader, m, types);
  return Object.freeze(o);
}

function signature(f: FnShape): string {
  const self = f.receiver === 'fn' || f.receiver === 'me' ? ['self'] : [];
  const tp = f.typeParams.length ? `<${f.typeParams.join(', ')}>` : '';
  return `fn ${f.symbol}${tp}(${[...self, ...f.params.map((p) => `${p.name}: ${p.type}`)].join(', ')}) -> ${f.ret}`;
}

/** A function with `given` of its type arguments: callable once all are given, else `.of(...)` for the rest. */
function exported(loader: ModuleLoader, f: FnShape, given: readonly string[]): SimpleFunction {
  const label = f.symbol + (given.length ? `<${given.join(', ')}>` : '');
  if (given.length === f.typeParams.length) {
    let resolved: SymbolResult | undefined;
    const call = (...args: unknown[]): unknown => {
      resolved ??= given.length === 0 ? loader.resolveSymbol(f.symbol) : loader.resolveGeneric(f.symbol, given);
      if (resolved.kind === 'found' || resolved.kind === 'jit') return resolved.call(...args);
      const r = resolved;
      resolved = undefined;
      throw r.kind === 'error' && r.error ? r.error : new LoadError('LOAD_UNDEFINED_SYMBOL', r.kind === 'error' ? r.message : `'${label}' is not loaded`, undefined, f.symbol);
    };
    return Object.assign(call, { simpleName: label, signature: signature(f) });
  }
  const open = f.typeParams.slice(given.length);
  const instances = new Map<string, SimpleFunction>();
  const call = (): never => {
    throw new SimpleUsageError(`'${label}' is generic (${open.join(', ')}): give its type arguments first, e.g. ${f.name}.of(${open.map(() => "'i64'").join(', ')})(…)`);
  };
  return Object.assign(call, {
    simpleName: label,
    signature: signature(f),
    of: (...types: string[]): SimpleFunction => {
      checkCount(label, open.length, types);
      const key = types.join(',');
      let g = instances.get(key);
      if (!g) instances.set(key, (g = exported(loader, f, [...given, ...types])));
      return g;
    },
  });
}

function checkCount(name: string, expected: number, types: readonly string[]): void {
  if (types.length !== expected || types.some((t) => typeof t !== 'string')) {
    throw new SimpleUsageError(`'${name}' takes ${expected} type argument${expected === 1 ? '' : 's'} (as strings, e.g. 'i64'), given ${types.length}`);
  }
}
