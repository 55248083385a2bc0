/**
 * Trust domains (docs/trust-model.md): real isolation for code that is not trusted. Each domain
 * is a loader of its own — its own WebAssembly memory (heap, allocator, collector, shadow stack),
 * its own function table, runtime instance, symbol table and module namespace — so code in one
 * domain has no address, slot or symbol by which to reach another's. Domains meet only through
 * the host: a *bridge* grants one domain's modules an `extern fn` that calls a function of another
 * domain, its arguments and result copied across (numbers, bigints, booleans, text); a heap value
 * never crosses, because a pointer means nothing in another memory.
 */
import { SimpleError } from '../errors.js';
import { LoadError } from './errors.js';
import type { HostFunction } from './installer.js';
import { ModuleLoader } from './module-loader.js';
import type { LoadResult, ModuleLoaderOptions, SymbolResult } from './module-loader.js';
import { HeapHandle } from './values.js';

/** Several isolated domains made with the same defaults (host grants, limits, memory size, …). */
export class TrustDomains {
  private readonly domains = new Map<string, TrustDomain>();

  constructor(private readonly defaults: ModuleLoaderOptions = {}) {}

  /** A new domain; `options` add to (and override) the defaults — `host` grants are merged. */
  create(name: string, options: ModuleLoaderOptions = {}): TrustDomain {
    if (this.domains.has(name)) throw new LoadError('LOAD_DOMAIN', `a trust domain named '${name}' already exists`);
    const host = { ...this.defaults.host, ...options.host };
    const domain = new TrustDomain(name, { ...this.defaults, ...options, host });
    this.domains.set(name, domain);
    return domain;
  }

  get(name: string): TrustDomain | undefined {
    return this.domains.get(name);
  }

  list(): TrustDomain[] {
    return [...this.domains.values()];
  }
}

/** One isolation domain: a loader with its own memory, table and runtime. */
export class TrustDomain {
  readonly loader: ModuleLoader;
  /** The host functions its modules may declare: the embedder's grants and the bridges, own properties only. */
  private readonly grants: Record<string, HostFunction>;

  constructor(
    readonly name: string,
    options: ModuleLoaderOptions = {},
  ) {
    this.grants = Object.assign(Object.create(null) as Record<string, HostFunction>, options.host);
    this.loader = new ModuleLoader({ ...options, host: this.grants });
  }

  load(path: string): LoadResult {
    return this.loader.load(path);
  }

  loadAsync(path: string, options?: Parameters<ModuleLoader['loadAsync']>[1]): Promise<LoadResult> {
    return this.loader.loadAsync(path, options);
  }

  resolveSymbol(name: string): SymbolResult {
    return this.loader.resolveSymbol(name);
  }

  /** Calls a function of this domain from the host; a symbol that cannot be had is a typed error. */
  call(symbol: string, ...args: unknown[]): unknown {
    const r = this.loader.resolveSymbol(symbol);
    if (r.kind === 'found' || r.kind === 'jit') return r.call(...args);
    if (r.kind === 'error') throw r.error ?? new LoadError('LOAD_UNDEFINED_SYMBOL', r.message, undefined, r.name);
    throw new LoadError('LOAD_UNDEFINED_SYMBOL', `'${r.name}' is not defined in trust domain '${this.name}'`, undefined, r.name);
  }

  /**
   * Grants this domain's modules `extern fn <externName>` as a call of `symbol` in `target`: the
   * only way code in one domain reaches another. Arguments and the result are copied; a heap
   * value (a handle) in either direction is refused with a DomainCrossingError, a trap of the caller.
   * Declare bridges before loading the modules that use them (a module's externs are checked at load).
   */
  bridge(externName: string, target: TrustDomain, symbol: string): this {
    if (target === this) throw new LoadError('LOAD_DOMAIN', `a bridge joins two domains; '${externName}' would call back into '${this.name}'`);
    if (Object.hasOwn(this.grants, externName)) {
      throw new LoadError('LOAD_DOMAIN', `trust domain '${this.name}' already grants a host function '${externName}'`, undefined, externName);
    }
    const where = `bridge '${this.name}.${externName}' -> '${target.name}.${symbol}'`;
    this.grants[externName] = (...args: unknown[]) => {
      args.forEach((a, i) => refuseHandle(a, `argument ${i + 1} of ${where}`));
      const result = target.call(symbol, ...args);
      refuseHandle(result, `the result of ${where}`);
      return result;
    };
    return this;
  }
}

/** A heap value offered to another domain: values cross by copy, and heap values do not copy. */
export class DomainCrossingError extends SimpleError {
  readonly code = 'LOAD_DOMAIN';
  constructor(readonly position: string, readonly type: string) {
    super(`${position}: a heap value (${type}) cannot cross between trust domains; pass numbers, booleans or text`);
  }
}

function refuseHandle(v: unknown, position: string): void {
  if (!(v instanceof HeapHandle)) return;
  v.release();
  throw new DomainCrossingError(position, v.type);
}
