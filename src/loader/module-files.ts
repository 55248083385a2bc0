/** Where the loader finds module files: an import's file, and paths made absolute cheaply. */
import { isAbsolute, join, resolve } from 'node:path';
import { files } from '../platform/index.js';

/** `name.smf` in `dir`, else in the first of `modulePaths` that has it; null if none does. */
export function findModuleFile(name: string, dir: string, modulePaths: readonly string[] | undefined): string | null {
  for (const base of [dir, ...(modulePaths ?? []).map((p) => resolve(p))]) {
    const candidate = join(base, `${name}.smf`);
    if (files.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * `path.resolve`, skipped for a path that is already absolute and normal (the common case, and
 * `resolve` costs as much as registering a small module's symbols).
 */
export function absolutePath(path: string): string {
  return isAbsolute(path) && !path.includes('/.') && !path.includes('//') && !path.endsWith('/') && !path.includes('\\') ? path : resolve(path);
}
