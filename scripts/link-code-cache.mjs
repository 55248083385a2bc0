// Writes the V8 code cache of `smf link`'s CommonJS bundle (src/cli/cached-bundle.ts): loads the
// bundle as the launcher does and links the compiled hello.smf in the directory given, so the cache
// holds the functions such a link compiles. Run by scripts/bundle.mjs: node scripts/link-code-cache.mjs dir
import { join, resolve } from 'node:path';
import { loadCachedBundle } from '../dist/cli/cached-bundle.js';
import { fastLinkArgs } from '../dist/cli/link-args.js';

const dir = process.argv[2];
const bundle = loadCachedBundle(resolve('dist/cli/smf-link.cjs'), { refreshAtExit: false });
const code = await bundle.exports.linkFast(fastLinkArgs(['link', join(dir, 'hello.smf'), '-o', join(dir, 'linked.smf')]));
if (code !== 0) throw new Error(`link-code-cache: linking the sample program exited with ${code}`);
bundle.writeCache();
