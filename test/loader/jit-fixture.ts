// The JIT over real compiled templates that the JitInstantiator tests share.
import { join } from 'node:path';
import { JitInstantiator } from '../../src/loader/jit-instantiator.js';
import type { JitServices } from '../../src/loader/jit-instantiator.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { ExecMemory } from '../../src/loader/exec-memory.js';
import { SymbolTable } from '../../src/loader/symbol-table.js';
import { CompilerContext } from '../../src/compiler/context.js';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { INSTANCE_EXPORT } from '../../src/compiler/lower/unit.js';
import { workspace } from './fixtures.js';

/** A JIT over real compiled templates of one module `g`, with hooks to observe or interfere. */
export function jitFor(source: string, overrides: Partial<JitServices> = {}, config = {}) {
  const dir = workspace({ 'g.spl': source });
  const session = new CompileSession();
  session.compileFiles([join(dir, 'g.spl')]);
  const loader = new ModuleLoader();
  const services: JitServices = {
    env: session.env,
    context: new CompilerContext(session.env),
    symbols: new SymbolTable(),
    exec: new ExecMemory(),
    findPossible: () => undefined,
    instantiateInstance: (instance, slots) => {
      const module = new WebAssembly.Module(instance.unit.wasm as Uint8Array<ArrayBuffer>);
      const got: Record<string, number> = {};
      for (const i of WebAssembly.Module.imports(module)) if (i.module === 'GOT.func') got[i.name] = slots.get(i.name)!;
      const inst = new WebAssembly.Instance(module, {
        env: { memory: loader.runtime.memory, table: services.exec.table, __memory_base: loader.runtime.allocStatic(new Uint8Array(instance.unit.dataSize + 1)) },
        'GOT.func': got,
        rt: loader.runtime.imports as never,
      });
      return inst.exports[INSTANCE_EXPORT] ?? inst.exports[instance.symbol];
    },
    ...overrides,
  };
  return { jit: new JitInstantiator(services, config), services };
}
