/**
 * Shared probes of what the lowering gives a function, for tests where no result shows it: the
 * locals its WebAssembly declares, and its shadow-stack frame size, seen as how many frames of a
 * recursion fit in a small shadow stack before it overflows.
 */
import { readWasmModule } from '../../../src/compiler/wasm/reader.js';
import { ModuleLoader } from '../../../src/loader/module-loader.js';
import { SimpleTrap, TextCapture } from '../../../src/runtime/index.js';
import { compileSource } from './run-source.js';

/** The shadow stack of `frameLoader`: 4 KiB, 1,024 slots. */
export const SHADOW_BYTES = 4096;

/** Declared locals (beyond the parameters) of each defined function, by its name. */
export function localCounts(source: string): Map<string, number> {
  const [c] = compileSource(source);
  const info = readWasmModule(c.unit.wasm);
  const out = new Map<string, number>();
  info.bodies.forEach((b, i) => {
    let at = b.start;
    const leb = (): number => {
      let v = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = info.code[at++];
        v += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return v;
      }
    };
    let total = 0;
    for (let groups = leb(); groups > 0; groups--) {
      total += leb();
      at++; // the value type
    }
    out.set(info.names.get(info.importedFunctions + i) ?? `#${i}`, total);
  });
  return out;
}

/** A loader with `source` loaded and a shadow stack of SHADOW_BYTES. */
export function frameLoader(source: string): ModuleLoader {
  const l = new ModuleLoader({ output: new TextCapture(), memory: { maximumPages: 512, shadowStackBytes: SHADOW_BYTES }, jit: { updateSmf: false } });
  for (const c of compileSource(source)) {
    const r = l.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  return l;
}

/** How many frames of `name(n, …args)` (n + 1 for depth n) fit in the shadow stack. */
export function framesOf(l: ModuleLoader, name: string, args: unknown[] = []): number {
  const r = l.resolveSymbol(name);
  if (r.kind !== 'found') throw new Error(`${name}: ${r.kind}`);
  const fits = (n: number): boolean => {
    try {
      r.call(BigInt(n), ...args);
      return true;
    } catch (e) {
      if (e instanceof SimpleTrap && e.code === 'TRAP_STACK_OVERFLOW') return false;
      throw e;
    }
  };
  let lo = 0;
  let hi = SHADOW_BYTES;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}
