// Bundles the `smf` command and the library entry into one file each, after `tsc` has compiled
// the sources to dist/: loading the hundred-odd small ES modules of dist/ one by one is about a
// third of the start-up of `smf run` or of `import 'simple-smf'`. Dependencies stay outside.
import { copyFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };
// The `smf` launcher stays small: `smf run` starts its run thread before anything else is loaded,
// and the thread (or, for the other commands, the launcher) loads the command line bundle.
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/cli/smf.js' });
await build({ ...common, entryPoints: ['dist/cli/run-entry.js'], outfile: 'dist/cli/smf-cli.js' });
await build({ ...common, entryPoints: ['dist/index.js'], outfile: 'dist/simple-smf.js' });
// `require('simple-smf')` goes through a CommonJS entry beside the bundle (see require-entry.cjs).
copyFileSync('scripts/require-entry.cjs', 'dist/simple-smf.cjs');
