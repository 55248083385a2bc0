/**
 * Loads a CommonJS bundle with V8's code cache: the bytecode of the functions a run used, kept in
 * a file beside the bundle (`<bundle>.cache`). Node 20 keeps no code cache for ES modules
 * (`module.enableCompileCache` is Node 22.1+), and parsing and compiling the loader's JavaScript
 * was most of what `smf run hello.smf` did besides starting Node (docs/performance.md).
 *
 * The cache is written when the package is built (scripts/bundle.mjs runs a small program
 * through the bundle, then asks V8 for it), and again, at the exit of a run, whenever V8 refuses
 * the one there (another Node version, other V8 flags) or there is none. A package that cannot
 * be written to simply runs without it.
 */
import type * as Fs from 'node:fs';

/** The cache beside a bundle. */
export const cacheFileOf = (bundle: string): string => `${bundle}.cache`;

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
  const { createRequire } = process.getBuiltinModule('node:module');
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
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(path), module, path, dir);
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
