/**
 * Installation: a unit's code compiled and instantiated against the shared table, memory and
 * runtime, its `GOT.func` imports resolved to slots (materializing the modules they belong to,
 * JIT-compiling missing instances), its exports written into their slots.
 */
import type { Instance } from '../compiler/context.js';
import { INSTANCE_EXPORT } from '../compiler/lower/unit-abi.js';
import type { ProgramEnv } from '../compiler/program.js';
import { hostErrorTrap } from '../runtime/index.js';
import type { Runtime } from '../runtime/index.js';
import { wasmMeter } from './compiler-seam.js';
import type { ModuleData } from './module-data.js';
import { grantedHostFunction } from './host-grants.js';
import { readableName } from '../types/index.js';
import { InstantiationCycleError, LoadError } from './errors.js';
import type { ExecMemory } from './exec-memory.js';
import type { JitInstantiator } from './jit-instantiator.js';
import type { ModuleRegistry } from './module-registry.js';
import { definedExports } from './prepared-module.js';
import { checkDeclaredHost, verifiedCode } from './verify-code.js';
import type { CodeCompiler, PreparedModule, UnitCode } from './prepared-module.js';
import type { SymbolTable } from './symbol-table.js';
import { fromWasm, toWasm } from './values.js';

/** An `extern fn` the embedder provides. `any[]` so that functions with typed parameters fit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostFunction = (...args: any[]) => unknown;

export interface InstallerServices {
  readonly env: ProgramEnv;
  readonly symbols: SymbolTable;
  readonly exec: ExecMemory;
  readonly runtime: Runtime;
  /** Where each unit's static data goes, owned by its module (released on unload). */
  readonly data: ModuleData;
  readonly registry: ModuleRegistry;
  readonly jit: () => JitInstantiator;
  readonly host: Readonly<Record<string, HostFunction>> | undefined;
  /** Compiles a unit's code (metered when the loader has limits). */
  readonly compileCode: CodeCompiler;
  /** The metering pass's imports, when code is metered (docs/limits.md). */
  readonly meterImports: WebAssembly.ModuleImports | undefined;
}

export class Installer {
  constructor(private readonly s: InstallerServices) {}

  /** Compiles, instantiates and installs a module loaded lazily, if it is not yet. */
  materialize(name: string): void {
    const m = this.s.registry.get(name);
    if (!m || m.materialized) return;
    const p = m.prepared;
    // Marked first: modules that call each other materialize each other once.
    m.materialized = true;
    try {
      const exports = definedExports(this.instantiate(p.compile(), undefinedMessage(p)), p);
      for (const symbol of p.exports) {
        const sym = this.s.symbols.lookup(symbol, name);
        if (sym && sym.owner === name) this.s.exec.install(sym.slot, exports[symbol]);
      }
    } catch (e) {
      m.materialized = false;
      throw e;
    }
  }

  /** Resolves a unit's imports and instantiates it; returns its exports. */
  instantiate(unit: UnitCode, undefinedMessage: (symbol: string) => string, slots?: ReadonlyMap<string, number>): Record<string, unknown> {
    const { symbols, exec, runtime } = this.s;
    // A module's own code is named by its file; other units (instances) by their symbol.
    const file = unit.label === unit.owner ? (this.s.registry.get(unit.owner)?.path ?? unit.label) : unit.label;
    const got: Record<string, number> = {};
    for (const symbol of unit.got) {
      const given = slots?.get(symbol);
      if (given !== undefined) {
        got[symbol] = given;
        continue;
      }
      const known = symbols.lookup(symbol, unit.owner);
      if (known) {
        // What this unit calls must have code before this unit can run.
        this.materialize(known.owner);
        got[symbol] = known.slot;
        continue;
      }
      const r = this.s.jit().instantiateOnFirstCall(symbol, unit.owner);
      if (r.kind === 'success') got[symbol] = r.slot;
      else if (r.kind === 'error' && r.error instanceof InstantiationCycleError) throw r.error;
      else if (r.kind === 'not_found') throw new LoadError('LOAD_UNDEFINED_SYMBOL', undefinedMessage(symbol), file, symbol);
      else throw new LoadError('LOAD_UNDEFINED_SYMBOL', r.kind === 'error' ? r.message : `circular dependency: ${r.cycle.join(' -> ')}`, file, symbol);
    }
    const verified = verifiedCode(unit.module);
    if (!verified) throw new LoadError('LOAD_CODE_VERIFY', 'its code did not pass the verifier', file);
    const declared = unit.declaredHost ?? this.declaredExterns(unit.owner);
    checkDeclaredHost(verified, (name) => declared.has(name), unit.dataSize, file);
    const host: Record<string, HostFunction> = Object.create(null);
    for (const name of unit.host) host[name] = this.hostFunction(name, unit.owner);
    const memoryBase = unit.dataSize > 0 ? this.s.data.place(unit.owner, unit.dataSize) : 0;
    try {
      const instance = new WebAssembly.Instance(unit.module, {
        env: { memory: runtime.memory, table: exec.table, __memory_base: memoryBase },
        'GOT.func': got,
        rt: runtime.imports as unknown as Record<string, HostFunction>,
        ...(this.s.meterImports ? { [wasmMeter().METER_MODULE]: this.s.meterImports } : {}),
        host,
      });
      return instance.exports as Record<string, unknown>;
    } catch (e) {
      throw new LoadError('LOAD_INSTANTIATE', `cannot instantiate: ${(e as Error).message}`, file);
    }
  }

  /** Instantiates a template instance's unit with its calls resolved to `slots`; returns its function. */
  instantiateInstance(instance: Instance, slots: ReadonlyMap<string, number>): unknown {
    const { symbols } = this.s;
    const unit: UnitCode = {
      label: instance.symbol,
      module: this.s.compileCode(instance.unit.wasm, readableName(instance.symbol)),
      exports: instance.unit.exports,
      got: instance.unit.imports.got,
      host: instance.unit.imports.host,
      dataSize: instance.unit.dataSize,
      owner: symbols.lookup(instance.symbol)?.fn?.module ?? '',
      // The compiler made it from the template: it imports exactly the extern fns the template calls.
      declaredHost: new Set(instance.unit.imports.host),
    };
    for (const symbol of slots.keys()) {
      // Private functions of the template's module are found from that module.
      const owner = symbols.ownerOf(symbol, unit.owner);
      if (owner) this.materialize(owner);
    }
    const exports = this.instantiate(unit, (s) => `undefined symbol '${readableName(s)}'`, slots);
    return exports[INSTANCE_EXPORT] ?? exports[instance.symbol];
  }

  /** The extern fns a module declares (a linked file's members' included), for code that does not carry them. */
  private declaredExterns(owner: string): ReadonlySet<string> {
    const m = this.s.registry.get(owner) ?? [...this.s.registry.values()].find((r) => r.members.includes(owner));
    return new Set(m ? m.prepared.externs.map((e) => e.name) : []);
  }

  /** The embedder's function for an `extern fn`, wrapped to convert values both ways. */
  private hostFunction(name: string, module: string): HostFunction {
    const impl = grantedHostFunction(this.s.host, name);
    if (!impl) throw missingHostFunction(name, module, module);
    const decl = this.s.env.fn(name, module);
    const runtime = this.s.runtime;
    const call = (raw: unknown[]): unknown => {
      if (!decl) return impl(...raw);
      // A unit parameter has no wasm value: the import's signature leaves it out.
      let at = 0;
      const args = decl.params.map((p) => (p.type.kind === 'unit' ? undefined : fromWasm(p.type, raw[at++], runtime)));
      return toWasm(decl.ret, impl(...args), runtime, `result of extern fn '${name}'`);
    };
    // An error the embedder's function throws is a trap of the Simple code that called it.
    return (...raw: unknown[]) => {
      try {
        return call(raw);
      } catch (e) {
        throw hostErrorTrap(e, name);
      }
    };
  }
}

/** The message for a symbol `p` calls that nothing defines, with where it is called (read only then). */
export function undefinedMessage(p: PreparedModule): (symbol: string) => string {
  return (symbol) => {
    const where = p.uses.filter((u) => u.symbol === symbol).map((u) => u.at);
    return `undefined symbol '${readableName(symbol)}'${where.length ? ` (used at ${where.join(', ')})` : ''}`;
  };
}

export function missingHostFunction(name: string, module: string, where: string): LoadError {
  return new LoadError('LOAD_MISSING_HOST_FUNCTION', `the host does not provide extern fn '${name}' (declared in module '${module}')`, where, name);
}
