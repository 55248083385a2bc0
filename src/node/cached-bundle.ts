/**
 * Loads a CommonJS bundle with V8's code cache: the bytecode of the functions a run used, kept in
 * a file beside the bundle (`<bundle>.cache`). Node 20 keeps no code cache for ES modules
 * (`module.enableCompileCache` is Node 22.1+), and parsing and compiling the loader's JavaScript
 * was most of what `smf run hello.smf` did besides starting Node (docs/performance.md).
 *
 * The cache is written when the package is built (scripts/bundle.mjs runs a small program
 * through the bundle, then asks V8 for it), and again, at the exit of a run, whenever V8 refuses
 * the one there (another Node version) or there is none. V8 also refuses a cache made under other
 * V8 flags, so a process started with some (`--trace-gc`, a NODE_OPTIONS heap size) keeps a cache
 * of its own beside the bundle: it never overwrites the one plain runs take. A package that
 * cannot be written to simply runs without it.
 */
import type * as Fs from 'node:fs';

/** The cache beside a bundle, for this process's flags: `<bundle>.cache` for none. */
export const cacheFileOf = (bundle: string, flags = v8Flags()): string => (flags === '' ? `${bundle}.cache` : `${bundle}.${fnv1a(flags)}.cache`);

/**
 * Options of Node's own that leave V8's flags, and so the caches it accepts, as they are. Any
 * other option counts; one counted for nothing costs only a cache file of its own.
 */
const NODE_ONLY =
  /^--?(?:(?:input-type|import|require|r|loader|no-warnings|warnings|enable-source-maps|conditions|C|env-file|inspect|inspect-brk|debug-port|test|watch|title|preserve-symlinks|trace-warnings|trace-deprecation|no-deprecation|throw-deprecation|pending-deprecation|unhandled-rejections|cpu-prof|heap-prof|diagnostic-dir|redirect-warnings|eval|e|print|p|check|c|interactive|i)(?:=.*)?|(?:experimental-|no-experimental-|inspect-|test-|watch-|cpu-prof-|heap-prof-|report-).*)$/;

/** The options of this process that may set V8 flags, in one canonical line. */
function v8Flags(): string {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return options
    .filter((o) => o.startsWith('-') && !NODE_ONLY.test(o))
    .sort()
    .join(' ');
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface CachedBundle {
  readonly exports: Record<string, unknown>;
  /** Whether V8 took the code cache (false: none there, or refused). */
  readonly cacheAccepted: boolean;
  /** Writes the cache from what this process compiled so far (what the build does). */
  writeCache(): void;
}

/**
 * Loads the bundle at `path` (an absolute file path), through its cache when V8 accepts it. The
 * bundle's text is one function expression, `(function (exports, require, module, __filename,
 * __dirname) { … })`, as Node wraps a CommonJS module; it is called as such.
 */
export function loadCachedBundle(path: string, { refreshAtExit = true } = {}): CachedBundle {
  const fs = process.getBuiltinModule('node:fs');
  const vm = process.getBuiltinModule('node:vm');
  // The bundle is ASCII (scripts/bundle.mjs): read as Latin-1, it becomes a one-byte string without decoding.
  const source = fs.readFileSync(path, 'latin1');
  const cacheFile = cacheFileOf(path);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(source, { filename: path, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const module = { exports: {} as Record<string, unknown> };
  const dir = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')));
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, bundleRequire(path), module, path, dir);
  const writeCache = (): void => writeAtomically(fs, cacheFile, script.createCachedData());
  const cacheAccepted = cachedData !== undefined && script.cachedDataRejected === false;
  if (refreshAtExit && !cacheAccepted) {
    process.once('exit', () => {
      try {
        writeCache();
      } catch {
        // A read-only package: it runs without a cache.
      }
    });
  }
  return { exports: module.exports, cacheAccepted, writeCache };
}

/**
 * The bundle at `path`, loaded once in a process whichever of the package's entries (an ES module
 * or a CommonJS one) asks first, so that they share every class. Kept on the global object, keyed
 * by the path: another copy of the package in the same process has its own.
 */
export function sharedBundle(path: string): CachedBundle {
  const shared = globalThis as unknown as Record<symbol, CachedBundle | undefined>;
  return (shared[Symbol.for(`simple-smf.bundle ${path}`)] ??= loadCachedBundle(path));
}

/**
 * The bundle's `require`: a bundle asks for Node's built-in modules only (its packages are its
 * own), which `getBuiltinModule` gives without the CommonJS loader; anything else goes through a
 * real `require`, made on first need (making one, and first loading through it, was ~2 ms of
 * `import 'simple-smf/loader'`).
 */
function bundleRequire(path: string): (id: string) => unknown {
  let real: ((id: string) => unknown) | undefined;
  return (id) => process.getBuiltinModule(id) ?? (real ??= process.getBuiltinModule('node:module').createRequire(path))(id);
}

/** Another process may be reading the cache: it sees the old file or the new one, never half of one. */
function writeAtomically(fs: typeof Fs, file: string, data: Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}
