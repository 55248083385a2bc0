// Bundles the `smf` command and the library entries, after `tsc` has compiled the sources to
// dist/: loading the hundred-odd small ES modules of dist/ one by one is about a third of the
// start-up of `smf run` or of `import 'simple-smf'`. Dependencies stay outside.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    'smf-compiler': 'dist/compiler/jit-backend.js',
    'smf-meter': 'dist/compiler/wasm/meter.js',
    'cli/smf-cli': 'dist/cli/run-entry.js',
    'cli/smf-thread': 'dist/cli/thread-entry.js',
  },
  plugins: [lazyCompiler, prebuiltRuntime, requiredFs],
});
// The seam names the compiler's entry relative to where it lands: one file a folder below dist/.
const seamAt = Object.entries(metafile.outputs).filter(([f, o]) => f.endsWith('.js') && Object.keys(o.inputs).some((i) => SEAM.test(i)));
if (seamAt.length !== 1 || !/^dist\/(chunks|cli)\/[^/]+$/.test(seamAt[0][0])) throw new Error(`bundle: the compiler seam landed in ${seamAt.map(([f]) => f).join(', ')}, not one file a folder below dist/`);

// `smf run app.smf` on the main thread: the same fast path as one CommonJS script, which the
// launcher loads through V8's code cache (src/node/cached-bundle.ts; Node 20 caches no ES
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
/**
 * A CommonJS bundle made to be loaded through V8's code cache (src/node/cached-bundle.ts): its
 * text is the function Node would wrap a CommonJS module in, so the loader compiles the file as
 * it is (no copy of it with the wrapper around), strict from its first statement as the ES
 * modules it is made of were; and it is ASCII, read as Latin-1 without decoding.
 */
async function cachedCjs(options) {
  await build({
    ...common,
    format: 'cjs',
    charset: 'ascii',
    legalComments: 'none',
    minifyWhitespace: true,
    // Short lines: Node shows the source line an uncaught error was thrown at.
    lineLimit: 160,
    define: { ...common.define, 'import.meta.url': '__smf_bundle_url' },
    banner: { js: `(function (exports, require, module, __filename, __dirname) {'use strict';const __smf_bundle_url = require('node:url').pathToFileURL(__filename).href;` },
    footer: { js: '})' },
    ...options,
  });
  // What charset: 'ascii' leaves as it is (a regular expression with the u flag): \uXXXX means
  // the same there, and in a string.
  const text = readFileSync(options.outfile, 'utf8');
  writeFileSync(options.outfile, leanInit(lazyNamespaces(text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))));
}

/**
 * esbuild's lazy module wrapper finds a module's init function by listing its one key
 * (`getOwnPropertyNames`) each time an init runs: an array per module, ~200 of them as the
 * library starts. A `for…in` finds the same key without one; otherwise the helper is the same
 * (the init runs once, `fn` cleared first, an error rethrown on every later call).
 */
function leanInit(text) {
  const esbuildInit = 'var __esm=(fn,res,err)=>function __init(){if(err)throw err[0];try{return fn&&(res=(0,fn[__getOwnPropNames(fn)[0]])(fn=0)),res}catch(e){throw err=[e],e}};';
  const lean = 'var __esm=(fn,res,err)=>function __init(){if(err)throw err[0];try{if(fn){let init;for(const k in fn){init=fn[k];break}fn=0;res=init()}return res}catch(e){throw err=[e],e}};';
  if (!text.includes('__esm(')) return text;
  if (text.split(esbuildInit).length !== 2) throw new Error('bundle: esbuild\'s __esm helper is not the one leanInit knows');
  return text.replace(esbuildInit, lean);
}

/**
 * esbuild makes the namespace object of every module something `require`s when the bundle starts
 * — a getter closure and an accessor per name, ~200 for the package's index — though it is read
 * only when that `require` runs (the rest of the package, the compiler). Such a namespace is
 * filled on that first `require` instead. Only one used exactly so (made, filled, and read once,
 * inside a function: `(init_x(), __toCommonJS(x_exports))`) is changed; any other (a bundle's
 * own entry, read as it starts) is left as esbuild wrote it.
 */
function lazyNamespaces(text) {
  // A namespace made and filled where the bundle starts: `var x_exports={};__export(x_exports,{…});`.
  const made = /var (\w+_exports)=\{\};__export\(\1,\{([^{}]*)\}\);/g;
  const lazy = new Set();
  for (const [, ns] of text.matchAll(made)) {
    const uses = text.match(new RegExp(`\\b${ns}\\b`, 'g')).length;
    if (uses === 3 && text.split(`(),__toCommonJS(${ns}))`).length === 2) lazy.add(ns);
  }
  return text
    .replace(made, (all, ns, body) =>
      lazy.has(ns) ? `var ${ns}={};var __fill_${ns}=()=>{__fill_${ns}=()=>{};__export(${ns},{${body}})};` : all,
    )
    .replace(/\(\),__toCommonJS\((\w+_exports)\)\)/g, (all, ns) => (lazy.has(ns) ? `(),__toCommonJS((__fill_${ns}(),${ns})))` : all));
}
await cachedCjs({ entryPoints: ['dist/cli/run-fast.js'], outfile: 'dist/cli/smf-run.cjs', plugins: [bundledSeam, prebuiltRuntime] });
// `smf link` of plain command lines (src/cli/link-args.ts) the same way.
await cachedCjs({ entryPoints: ['dist/cli/link-fast.js'], outfile: 'dist/cli/smf-link.cjs', plugins: [bundledSeam, prebuiltRuntime] });

// The library, `import 'simple-smf'` and `'simple-smf/loader'`: one CommonJS bundle loaded
// through its code cache, as `smf run` is, with ES module entries that re-export it — so both
// entries share one copy of every class. What the loader entry exports is evaluated when the
// bundle loads; the rest of the package (the compiler among it) only when a name of it is first
// read, by `import 'simple-smf'` or the loader's first load-time JIT.
const everything = Object.keys(await import(pathToFileURL('dist/index.js').href));
const loaderNames = Object.keys(await import(pathToFileURL('dist/loader-entry.js').href));
const lazyNames = everything.filter((n) => !loaderNames.includes(n));
// The bundle's own exports are the loader's names, and `__rest` (not enumerable), which evaluates
// the rest of the package: the getters for the package's other names are made by the root entry
// only (below), since making ~180 of them was a tenth of what `import 'simple-smf/loader'`
// allocated — and the young generation's first collection falls wherever that fills it.
await cachedCjs({
  stdin: {
    contents: [
      `const eager = require('./loader-entry.js');`,
      `for (const name of ${JSON.stringify(loaderNames)}) Object.defineProperty(exports, name, { enumerable: true, value: eager[name] });`,
      `let full;`,
      `Object.defineProperty(exports, '__rest', { value: () => (full ??= require('./index.js')) });`,
    ].join('\n'),
    resolveDir: 'dist',
    sourcefile: 'library-entry.js',
  },
  outfile: 'dist/simple-smf.lib.cjs',
  plugins: [bundledSeam, prebuiltRuntime],
});
// The one instance of the library: the bundle loaded through its cache once in a process
// (sharedBundle, src/node/cached-bundle.ts), whichever entry asks first — so every entry shares
// every class.
await build({
  ...common,
  format: 'cjs',
  sourcemap: false,
  stdin: {
    contents: `const { sharedBundle } = require('./node/cached-bundle.js');\nmodule.exports = sharedBundle(require('node:path').join(__dirname, 'simple-smf.lib.cjs')).exports;`,
    resolveDir: 'dist',
    sourcefile: 'library-instance.js',
  },
  outfile: 'dist/simple-smf.lib-instance.cjs',
});
// `require('simple-smf')`: every name of the package; the loader's are values, the others getters
// that evaluate the rest of the package when first read.
writeFileSync(
  'dist/simple-smf.cjs',
  [
    `'use strict';`,
    `const lib = require('./simple-smf.lib-instance.cjs');`,
    `for (const name of ${JSON.stringify(loaderNames)}) Object.defineProperty(exports, name, { enumerable: true, value: lib[name] });`,
    `for (const name of ${JSON.stringify(lazyNames)}) Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => lib.__rest()[name] });`,
    '',
  ].join('\n'),
);
// `import 'simple-smf'`: named exports of the CommonJS entry (reading them all evaluates the rest).
writeFileSync(
  'dist/simple-smf.js',
  [`import { createRequire } from 'node:module';`, `const lib = createRequire(import.meta.url)('./simple-smf.cjs');`, `export const { ${everything.join(', ')} } = lib;`, ''].join('\n'),
);
// `import 'simple-smf/loader'`: reaches the instance without Node's CommonJS loader (loading one
// small CommonJS file through it from an ES module was ~2 ms of this import).
await build({
  ...common,
  format: 'esm',
  sourcemap: false,
  stdin: {
    contents: [
      `import { sharedBundle } from './node/cached-bundle.js';`,
      `const lib = sharedBundle(process.getBuiltinModule('node:url').fileURLToPath(new URL('./simple-smf.lib.cjs', import.meta.url))).exports;`,
      `export const { ${loaderNames.join(', ')} } = lib;`,
    ].join('\n'),
    resolveDir: 'dist',
    sourcefile: 'loader-entry-module.js',
  },
  outfile: 'dist/simple-smf-loader.js',
});

// A class that names itself in its own body comes out renamed (`class _FileError`), and its name
// shows in errors and stack traces: the sources avoid that (src/errors.ts), and the build checks.
for (const file of ['dist/simple-smf.lib.cjs', 'dist/cli/smf-run.cjs', 'dist/cli/smf-link.cjs']) {
  const renamed = readFileSync(file, 'latin1').match(/\bclass _[A-Z]\w*/g);
  if (renamed) throw new Error(`bundle: ${file} renames ${[...new Set(renamed)].join(', ')}: a class names itself in its own body`);
}

// The code caches, written by running a sample through each bundle: `smf run` and `smf link` of a
// compiled hello, and the library loading a module and instantiating one of its templates at load time
// (so the first load-time JIT in a process runs cached bytecode too). Without them everything
// still works, and a bundle writes its cache at the exit of its first run.
{
  const d = mkdtempSync(join(tmpdir(), 'smf-code-cache-'));
  writeFileSync(join(d, 'hello.spl'), 'fn main():\n    print("Hello, world!")\n');
  writeFileSync(join(d, 'lib.spl'), 'struct Pair<T>:\n    a: T\n    b: T\n\nfn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n\nfn larger<T>(p: Pair<T>) -> T:\n    max(p.a, p.b)\n');
  const run = (args) => spawnSync(process.execPath, args, { encoding: 'utf8' });
  const samples = [
    ['hello', 'dist/cli/smf-run.cjs'],
    ['hello', 'dist/cli/smf-link.cjs'],
    ['lib', 'dist/simple-smf.lib.cjs'],
  ];
  for (const [name, bundle] of samples) {
    const compiled = existsSync(join(d, `${name}.smf`)) ? { status: 0 } : run(['dist/cli/smf.js', 'compile', join(d, `${name}.spl`), '-o', join(d, `${name}.smf`)]);
    const cached = compiled.status === 0 ? run(['scripts/code-cache.mjs', bundle, join(d, `${name}.smf`)]) : compiled;
    if (cached.status !== 0) console.warn(`bundle: no code cache for ${bundle}: ${cached.stderr}`);
  }
  rmSync(d, { recursive: true, force: true });
}
