/**
 * The parts of `node:path` the toolchain uses, for the browser build (which maps `node:path`
 * here): POSIX paths, with `/` as the working directory.
 */
export const sep = '/';

/** The path's names with `.` and `..` applied; a relative path keeps the `..`s that climb above it. */
function normalizeParts(path: string): string[] {
  const out: string[] = [];
  const relative = !path.startsWith('/');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (relative) out.push('..');
  }
  return out;
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

export function resolve(...paths: string[]): string {
  let joined = '';
  for (let i = paths.length - 1; i >= 0 && !isAbsolute(joined); i--) {
    if (paths[i]) joined = joined ? `${paths[i]}/${joined}` : paths[i];
  }
  return '/' + normalizeParts(`/${joined}`).join('/');
}

export function normalize(path: string): string {
  const parts = normalizeParts(path);
  const body = (isAbsolute(path) ? '/' : '') + (parts.join('/') || (isAbsolute(path) ? '' : '.'));
  return path.endsWith('/') && parts.length > 0 ? `${body}/` : body;
}

export function join(...paths: string[]): string {
  return normalize(paths.filter((p) => p !== '').join('/') || '.');
}

export function dirname(path: string): string {
  const abs = isAbsolute(path);
  const parts = path.split('/').filter((p) => p !== '');
  parts.pop();
  if (parts.length === 0) return abs ? '/' : '.';
  return (abs ? '/' : '') + parts.join('/');
}

export function basename(path: string, ext?: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  const base = parts.length ? parts[parts.length - 1] : '';
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}

export function extname(path: string): string {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

export function relative(from: string, to: string): string {
  const a = normalizeParts(resolve(from));
  const b = normalizeParts(resolve(to));
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export default { sep, isAbsolute, resolve, normalize, join, dirname, basename, extname, relative };
