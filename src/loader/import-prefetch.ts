/**
 * Prefetch of a module's imports: before a load, the files a module imports — and, transitively,
 * theirs — are read into the SmfCache in parallel (SmfCache.prefetch with `follow`), so that the
 * load that follows finds them cached. Only a file whose header asks for it (`prefetch_hint` 1,
 * written by the compiler and the linker for a module that imports others) has its imports
 * followed, and at most `prefetch_file_count` of them (255 means "255 or more": all).
 *
 * This is a hint and nothing more: a file that cannot be read or decoded here is left for the
 * load, which reads it again and raises its typed error exactly as without prefetch.
 */
import { dirname } from 'node:path';
import { hintedImportCount } from '../smf/index.js';
import type { CachedSmf, SmfCache } from './smf-cache.js';

/** Where an import is found: the importing file's folder, then the loader's module paths. */
export type ImportResolver = (name: string, fromDir: string) => string | null;

export interface ImportPrefetchOptions {
  /** Files read at a time. Default 32. */
  readonly concurrency?: number;
  /** Modules already loaded by name: their files are not read (the load does not read them either). */
  readonly isLoaded?: (name: string) => boolean;
}

export interface ImportPrefetchResult {
  /** Files read by this prefetch (those already cached are not counted). */
  readonly loaded: number;
  /** Files whose imports were followed (their header's hint set). */
  readonly followed: number;
  /** Files that could not be read; the load reports them in its own way. */
  readonly failed: number;
}

/**
 * The files `file`'s imports resolve to, when its header asks for them to be prefetched, in
 * import order, as the loader finds them (by the path `use` wrote, else by module name).
 */
export function hintedImports(file: CachedSmf, resolveImport: ImportResolver, isLoaded?: (name: string) => boolean): string[] {
  const { header } = file.reader;
  if (header.prefetchHint === 0 || header.prefetchFileCount === 0) return [];
  const { parts } = file;
  const listed = parts.loadIndex ?? parts.iface;
  const count = hintedImportCount(header, listed.imports.length);
  const dir = dirname(file.path);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    if (isLoaded?.(listed.imports[i])) continue;
    const written = listed.importPaths?.[i];
    const found = (written ? resolveImport(written, dir) : null) ?? resolveImport(listed.imports[i], dir);
    if (found) paths.push(found);
  }
  return paths;
}

/** Reads `root` and, as their headers ask, the files it imports, transitively, into `cache`. */
export async function prefetchImports(
  cache: SmfCache,
  root: string,
  resolveImport: ImportResolver,
  options: ImportPrefetchOptions = {},
): Promise<ImportPrefetchResult> {
  let followed = 0;
  const r = await cache.prefetch([root], {
    concurrency: options.concurrency,
    follow: (file) => {
      const paths = hintedImports(file, resolveImport, options.isLoaded);
      if (file.reader.header.prefetchHint !== 0) followed++;
      return paths;
    },
  });
  return { loaded: r.loaded, followed, failed: r.failed.length };
}
