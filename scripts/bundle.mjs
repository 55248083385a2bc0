// Bundles the `smf` command and the library entries, after `tsc` has compiled the sources to
// dist/: loading the hundred-odd small ES modules of dist/ one by one is about a third of the
// start-up of `smf run` or of `import 'simple-smf'`. Dependencies stay outside.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The runtime's stack bound (src/cli/stack-bound.ts) is the same in every process: found here.
const { runtimeStackBound } = await import(pathToFileURL('dist/cli/stack-bound.js').href);
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: { __SMF_RUNTIME_STACK_BOUND__: String(runtimeStackBound()) },
};

// The compiler proper is its own entry (smf-compiler.js), as is the wasm meter, loaded by the loader on its first
// load-time JIT: in the bundles the loader's seam to it (src/loader/compiler-seam.ts) becomes a
// synchronous require of that entry (require of an ES module: Node 20.19 and newer), which shares
// every module the entries have in common, so classes and state stay one.
const SEAM = /[\\/]loader[\\/]compiler-seam\.js$/;
const lazyCompiler = {
  name: 'lazy-compiler',
  setup(b) {
    b.onLoad({ filter: SEAM }, (args) => ({
      contents: `import { createRequire } from 'node:module';
import { LoadError } from './errors.js';
const require = createRequire(import.meta.url);
function load(file, what) {
  try {
    return require(file);
  } catch (e) {
    throw new LoadError('LOAD_COMPILER_UNAVAILABLE', \`\${what} needs the compiler, \${new URL(file, import.meta.url).pathname}, which could not be loaded: \${e.message}\`);
  }
}
let backend, meter;
export function compilerBackend() {
  return (backend ??= load('../smf-compiler.js', 'compiling an instance at load time'));
}
export function wasmMeter() {
  return (meter ??= load('../smf-meter.js', 'running with limits'));
}`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// The runtime's WebAssembly module is the same in every process: built here once, from the
// runtime's own builder, and carried in the bundles as bytes, instead of being built by the
// encoder at every start (that took a tenth of `smf run hello.smf`).
const runtimeModule = await import(pathToFileURL('dist/runtime/runtime-module.js').href);
const prebuiltRuntime = {
  name: 'prebuilt-runtime',
  setup(b) {
    b.onLoad({ filter: /[\\/]runtime[\\/]runtime-module\.js$/ }, () => {
      const lines = ['// Built by scripts/bundle.mjs from src/runtime/runtime-module.ts.'];
      for (const [name, value] of Object.entries(runtimeModule)) {
        if (name === 'runtimeModuleBytes' || name === 'runtimeModule') continue;
        if (typeof value === 'function') throw new Error(`bundle: runtime-module.js exports a function '${name}' that the prebuilt runtime lacks`);
        lines.push(`export const ${name} = ${JSON.stringify(value)};`);
      }
      const bytes = Buffer.from(runtimeModule.runtimeModuleBytes()).toString('base64');
      lines.push(
        `let bytes, compiled;`,
        `export function runtimeModuleBytes() { return (bytes ??= new Uint8Array(Buffer.from(${JSON.stringify(bytes)}, 'base64'))); }`,
        `export function runtimeModule() { return (compiled ??= new WebAssembly.Module(runtimeModuleBytes())); }`,
      );
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

// An ES module importing node:fs makes Node build its ES facade, which reads every export —
// among them the lazy ReadStream, which loads the whole of node:stream: a fifth of a small
// program's start-up. The bundles take node:fs through require(), which reads nothing.
const fsNames = Object.entries(Object.getOwnPropertyDescriptors(createRequire(import.meta.url)('node:fs')))
  .filter(([name, d]) => !d.get && /^[A-Za-z_$][\w$]*$/.test(name))
  .map(([name]) => name);
const requiredFs = {
  name: 'required-fs',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: 'node:fs', namespace: 'required-fs' }));
    b.onLoad({ filter: /.*/, namespace: 'required-fs' }, () => ({
      contents: [`import { createRequire } from 'node:module';`, `const fs = createRequire(import.meta.url)('node:fs');`, `export default fs;`, ...fsNames.map((n) => `export const ${n} = fs.${n};`)].join('\n'),
      loader: 'js',
    }));
  },
};

// The `smf` launcher stays small and on its own: `smf run` starts its run thread before anything
// else is loaded, and the thread (or, for the other commands, the launcher) loads the rest.
// Chunks are named by content: the ones of an earlier build would pile up.
rmSync('dist/chunks', { recursive: true, force: true });
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/cli/smf.js', plugins: [requiredFs] });
// The `smf` command itself (package.json "bin"): Node starts a CommonJS script about 10 ms sooner
// than an ES module. Its dynamic imports of the ES bundles stay imports.
await build({
  ...common,
  format: 'cjs',
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/cli/smf.cjs',
  define: { ...common.define, 'import.meta.url': '__smf_bundle_url' },
  banner: { js: `'use strict';const __smf_bundle_url = require('node:url').pathToFileURL(__filename).href;` },
});
const { metafile } = await build({
  ...common,
  splitting: true,
  metafile: true,
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: {
    'simple-smf': 'dist/index.js',
    'simple-smf-loader': 'dist/loader-entry.js',
    'smf-compiler': 'dist/compiler/jit-backend.js',
    'smf-meter': 'dist/compiler/wasm/meter.js',
    'cli/smf-cli': 'dist/cli/run-entry.js',
    'cli/smf-thread': 'dist/cli/thread-entry.js',
  },
  plugins: [lazyCompiler, prebuiltRuntime, requiredFs],
});
// The seam names the compiler's entry relative to where it lands: a shared chunk.
const seamAt = Object.entries(metafile.outputs).filter(([, o]) => Object.keys(o.inputs).some((i) => SEAM.test(i)));
if (seamAt.length !== 1 || !seamAt[0][0].startsWith('dist/chunks/')) throw new Error(`bundle: the compiler seam landed in ${seamAt.map(([f]) => f).join(', ')}, not one chunk`);
// `require('simple-smf')` goes through a CommonJS entry beside the bundle (see require-entry.cjs).
copyFileSync('scripts/require-entry.cjs', 'dist/simple-smf.cjs');

// `smf run app.smf` on the main thread: the same fast path as one CommonJS script, which the
// launcher loads through V8's code cache (src/cli/cached-bundle.ts; Node 20 caches no ES
// module). Self-contained: the compiler and the meter are in it too, behind the seam's lazy
// require, so that they share every module with the loader; neither is compiled or run unless a
// load-time JIT or a limit asks for it.
const bundledSeam = {
  name: 'bundled-seam',
  setup(b) {
    b.onLoad({ filter: SEAM }, () => ({
      contents: `let backend, meter;
export function compilerBackend() {
  return (backend ??= require('../compiler/jit-backend.js'));
}
export function wasmMeter() {
  return (meter ??= require('../compiler/wasm/meter.js'));
}`,
      resolveDir: 'dist/loader',
      loader: 'js',
    }));
  },
};
const cachedScript = {
  ...common,
  format: 'cjs',
  // Read as Latin-1 without decoding (cached-bundle.ts): ASCII only, comments dropped.
  charset: 'ascii',
  legalComments: 'none',
  minifyWhitespace: true,
  define: { ...common.define, 'import.meta.url': '__smf_bundle_url' },
  // The text is the function Node would wrap a CommonJS module in, so the loader compiles the file
  // as it is (no copy of it with the wrapper around); strict from its first statement, as the ES
  // modules it is made of were.
  banner: { js: `(function (exports, require, module, __filename, __dirname) {'use strict';const __smf_bundle_url = require('node:url').pathToFileURL(__filename).href;` },
  footer: { js: '})' },
  plugins: [bundledSeam, prebuiltRuntime],
};
// `smf link` of plain command lines (src/cli/link-args.ts) the same way: `smf-link.cjs`.
for (const [entry, file] of [
  ['dist/cli/run-fast.js', 'dist/cli/smf-run.cjs'],
  ['dist/cli/link-fast.js', 'dist/cli/smf-link.cjs'],
]) {
  await build({ ...cachedScript, entryPoints: [entry], outfile: file });
  // What charset: 'ascii' leaves as it is (a regular expression with the u flag): \uXXXX means
  // the same there, and in a string.
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
{
  const d = mkdtempSync(join(tmpdir(), 'smf-code-cache-'));
  writeFileSync(join(d, 'hello.spl'), 'fn main():\n    print("Hello, world!")\n');
  const run = (args) => spawnSync(process.execPath, args, { encoding: 'utf8' });
  const compiled = run(['dist/cli/smf.js', 'compile', join(d, 'hello.spl'), '-o', join(d, 'hello.smf')]);
  const cached = compiled.status === 0 ? run(['scripts/code-cache.mjs', join(d, 'hello.smf')]) : compiled;
  // Without it `smf run` still works, and writes the cache at its first run.
  if (cached.status !== 0) console.warn(`bundle: no code cache for dist/cli/smf-run.cjs: ${cached.stderr}`);
  const linked = compiled.status === 0 ? run(['scripts/link-code-cache.mjs', d]) : compiled;
  if (linked.status !== 0) console.warn(`bundle: no code cache for dist/cli/smf-link.cjs: ${linked.stderr}`);
  rmSync(d, { recursive: true, force: true });
}
