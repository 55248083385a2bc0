// Writes the V8 code cache of `smf run`'s CommonJS bundle (src/cli/cached-bundle.ts): loads the
// bundle as the launcher does and runs a compiled program through it, so the cache holds the
// functions such a run compiles. Run by scripts/bundle.mjs: node scripts/code-cache.mjs app.smf
import { resolve } from 'node:path';
import { loadCachedBundle } from '../dist/cli/cached-bundle.js';

const bundle = loadCachedBundle(resolve('dist/cli/smf-run.cjs'), { refreshAtExit: false });
if (bundle.exports.fitsMainThread(process.argv[2]) !== true) throw new Error('code-cache: the sample program should fit on the main thread');
const code = await bundle.exports.runFastHere(['run', process.argv[2]]);
if (code !== 0) throw new Error(`code-cache: the sample program exited with ${code}`);
bundle.writeCache();
