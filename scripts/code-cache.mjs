// Writes the V8 code cache of a CommonJS bundle (src/node/cached-bundle.ts): loads the bundle as
// its entry does and runs a sample through it, so the cache holds the functions such a run
// compiles. Run by scripts/bundle.mjs: node scripts/code-cache.mjs <bundle> <sample.smf>
//   dist/cli/smf-run.cjs: `smf run` of the sample (a compiled hello);
//   dist/cli/smf-link.cjs: `smf link` of it;
//   dist/simple-smf.lib.cjs: the library loads the sample (max<T>, Pair<T>, larger<T>), instantiates
//   templates at load time and calls them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fastLinkArgs } from '../dist/cli/link-args.js';
import { loadCachedBundle } from '../dist/node/cached-bundle.js';

const [file, sample] = process.argv.slice(2);
const bundle = loadCachedBundle(resolve(file), { refreshAtExit: false });
const lib = bundle.exports;
if (file.endsWith('smf-run.cjs')) {
  if (lib.fitsMainThread(sample) !== true) throw new Error('code-cache: the sample program should fit on the main thread');
  const code = await lib.runFastHere(['run', sample]);
  if (code !== 0) throw new Error(`code-cache: the sample program exited with ${code}`);
} else if (file.endsWith('smf-link.cjs')) {
  const out = mkdtempSync(join(tmpdir(), 'smf-link-cache-'));
  const code = await lib.linkFast(fastLinkArgs(['link', sample, '-o', join(out, 'linked.smf')]));
  rmSync(out, { recursive: true, force: true });
  if (code !== 0) throw new Error(`code-cache: linking the sample program exited with ${code}`);
} else {
  const loader = new lib.ModuleLoader();
  const loaded = loader.load(sample);
  if (loaded.kind !== 'loaded') throw new Error(`code-cache: ${loaded.message}`);
  for (const [symbol, args, expected] of [['max<f64>', [2.5, 1.5], 2.5], ['max<i64>', [2n, 3n], 3n]]) {
    const r = loader.resolveSymbol(symbol);
    if (r.kind === 'error') throw new Error(`code-cache: ${r.message}`);
    if (r.call(...args) !== expected) throw new Error(`code-cache: ${symbol} gave a wrong result`);
  }
  if (loader.resolveSymbol('larger<i32>').kind === 'error') throw new Error('code-cache: larger<i32> did not instantiate');
}
bundle.writeCache();
