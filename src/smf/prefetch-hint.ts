/**
 * The header's prefetch fields as this toolchain writes them: a module that imports others has
 * `prefetch_hint` 1 and `prefetch_file_count` the number of modules it imports directly,
 * saturating at 255 ("255 or more"); a module importing nothing has both 0. The loader follows a
 * file's imports ahead of loading only when its hint is set (src/loader/import-prefetch.ts).
 */

/** The `prefetch_file_count` that means "this many or more". */
export const PREFETCH_COUNT_SATURATED = 0xff;

/** The header's prefetch fields for a module importing `imports` others. */
export function prefetchHintFor(imports: number): { prefetchHint: number; prefetchFileCount: number } {
  return imports <= 0 ? { prefetchHint: 0, prefetchFileCount: 0 } : { prefetchHint: 1, prefetchFileCount: Math.min(imports, PREFETCH_COUNT_SATURATED) };
}

/** How many of a file's `imports` its header asks to be prefetched (the first ones, in order). */
export function hintedImportCount(header: { readonly prefetchHint: number; readonly prefetchFileCount: number }, imports: number): number {
  if (header.prefetchHint === 0) return 0;
  return header.prefetchFileCount === PREFETCH_COUNT_SATURATED ? imports : Math.min(header.prefetchFileCount, imports);
}
