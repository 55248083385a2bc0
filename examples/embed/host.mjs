// Embedding the loader: compile a Simple module, load it with host functions, call into it.
// Run from the repository (after `npm install`): node examples/embed/host.mjs
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession, emitSmf, ModuleLoader, SimpleTrap } from 'simple-smf';

// 1. Compile plugin.spl to an SMF file (as `smf compile` would).
const [plugin] = new CompileSession().compileFiles([new URL('plugin.spl', import.meta.url).pathname]);
const smfPath = join(mkdtempSync(join(tmpdir(), 'smf-embed-')), 'plugin.smf');
writeFileSync(smfPath, emitSmf(plugin));

// 2. Load it, granting the extern fns it declares. A missing one would be a load error naming it.
const started = Date.now();
const loader = new ModuleLoader({
  host: {
    log: (message) => console.log(`[plugin] ${message}`),
    now_ms: () => Date.now(),
  },
});
const loaded = loader.load(smfPath);
if (loaded.kind === 'error') {
  console.error(loaded.message);
  process.exit(1);
}

// 3. Resolve symbols and call them: text is a string, i64 a bigint, f64 a number.
const call = (result, ...args) => {
  if (result.kind !== 'found' && result.kind !== 'jit') throw new Error(`${result.name}: ${result.kind}`);
  return result.call(...args);
};
console.log(call(loader.resolveSymbol('greet'), 'embedder'));
console.log(call(loader.resolveSymbol('sum_to'), 100n));

// 4. Generic functions: nobody compiled max<f64> or max<text>; the loader instantiates them now.
const maxF64 = loader.resolveGeneric('max', ['f64']);
console.log(maxF64.kind, call(maxF64, 2.5, 1.5));
console.log(call(loader.resolveSymbol('max<text>'), 'pear', 'apple'));

// 5. What is not there is a result, not an exception.
console.log(loader.resolveSymbol('nothing_here').kind);
console.log(call(loader.resolveSymbol('uptime_s'), started) >= 0);

const stats = loader.stats();
console.log(`modules ${stats.modules}, JIT-compiled ${stats.jit.compiled}`);

// 6. Untrusted code runs with limits (docs/limits.md): a call that runs too long, or too much,
//    is a typed trap naming the function, and the loader stays usable.
const bounded = new ModuleLoader({ host: { log: () => {}, now_ms: () => Date.now() }, limits: { fuel: 1_000_000, timeoutMs: 100 } });
bounded.load(smfPath);
try {
  call(bounded.resolveSymbol('sum_to'), 10_000_000n);
} catch (e) {
  if (!(e instanceof SimpleTrap)) throw e;
  console.log(`${e.code}: ${e.message}`);
}
console.log(call(bounded.resolveSymbol('sum_to'), 100n));
