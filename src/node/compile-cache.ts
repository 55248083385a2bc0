/**
 * The hooks' compiler: a `.spl` file imported from Node is compiled on first import, with every
 * `.spl` module it uses, into a cache folder keyed by a hash of its path and content; later
 * imports (this run or the next) load the cached SMF files, unless a file it was compiled from
 * changed. A `.smf` file is loaded as it is. What comes back is what the generated JavaScript
 * module needs: the SMF to load, where its imports are, and the shape of its exports.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CompileSession } from '../compiler/driver/session.js';
import { emitSmf } from '../compiler/driver/emit-smf.js';
import { CompileError, formatDiagnostics } from '../compiler/diagnostics.js';
import { exportShape } from '../compiler/interface/export-shape.js';
import type { ExportShape } from '../compiler/interface/export-shape.js';
import type { PlainDiagnostic } from './errors.js';

export interface ModuleSpec {
  /** The SMF file to load. */
  readonly smf: string;
  /** Folders of `.smf` modules it imports from where they are. */
  readonly modulePaths: readonly string[];
  readonly shape: ExportShape;
}

export type CompileOutcome = { readonly ok: true; readonly spec: ModuleSpec; readonly cached: boolean } | { readonly ok: false; readonly message: string; readonly diagnostics: readonly PlainDiagnostic[] };

interface Manifest {
  readonly version: string;
  /** Every source file the compilation read, with the hash of its content then. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly hash: string }>;
  readonly spec: ModuleSpec;
}

/** `SIMPLE_SMF_CACHE`, else a folder in the system's temporary folder. */
export function cacheRoot(): string {
  return process.env.SIMPLE_SMF_CACHE || join(tmpdir(), 'simple-smf-cache');
}

/** The package's version: a cache entry written by another version is compiled again. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const hashOf = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function readHash(path: string): string | null {
  try {
    return hashOf(readFileSync(path));
  } catch {
    return null;
  }
}

/** Compiles (or finds in the cache) the module at `path`, a `.spl` or `.smf` file. */
export function compileForImport(path: string): CompileOutcome {
  const session = new CompileSession({ displayRoot: process.cwd() });
  if (path.endsWith('.smf')) {
    try {
      session.compileFiles([path]);
    } catch (e) {
      return failure(e);
    }
    const m = session.modules.find((x) => x.path === path)!;
    const exports = m.kind === 'smf' ? m.defs.exports : m.declared.exports;
    return { ok: true, cached: false, spec: { smf: path, modulePaths: smfFolders(session), shape: exportShape(m.name, exports) } };
  }
  const text = readFileSync(path);
  const dir = join(cacheRoot(), hashOf(`${VERSION}\0${path}\0`).slice(0, 16) + '-' + hashOf(text).slice(0, 32));
  const manifestPath = join(dir, 'manifest.json');
  const cached = readManifest(manifestPath);
  if (cached && cached.version === VERSION && cached.inputs.every((i) => readHash(i.path) === i.hash)) return { ok: true, cached: true, spec: cached.spec };

  let compiled;
  try {
    compiled = session.compileFiles([path]);
  } catch (e) {
    return failure(e);
  }
  mkdirSync(dir, { recursive: true });
  // The modules it uses go beside it: the loader finds an import next to its importer.
  for (const c of compiled) writeAtomically(join(dir, `${c.declared.name}.smf`), emitSmf(c));
  const name = session.modules.find((m) => m.path === path)!.name;
  const main = compiled.find((c) => c.declared.name === name)!;
  const spec: ModuleSpec = { smf: join(dir, `${main.declared.name}.smf`), modulePaths: smfFolders(session), shape: exportShape(main.declared.name, main.declared.exports) };
  const inputs = session.modules.map((m) => ({ path: m.path, hash: readHash(m.path) ?? '' }));
  writeAtomically(manifestPath, JSON.stringify({ version: VERSION, inputs, spec } satisfies Manifest));
  return { ok: true, cached: false, spec };
}

function smfFolders(session: CompileSession): string[] {
  return [...new Set(session.modules.filter((m) => m.kind === 'smf').map((m) => dirname(m.path)))];
}

function readManifest(path: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Another process may be importing the same module: each file appears whole or not at all. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function failure(e: unknown): CompileOutcome {
  if (e instanceof CompileError) {
    return {
      ok: false,
      message: formatDiagnostics(e.diagnostics),
      diagnostics: e.diagnostics.map((d) => {
        const file = typeof d.file === 'string' ? d.file : d.file.path;
        const at = d.span && typeof d.file !== 'string' ? d.file.lineCol(d.span.start) : null;
        return at ? { severity: d.severity, message: d.message, file, line: at.line, column: at.col } : { severity: d.severity, message: d.message, file };
      }),
    };
  }
  if (e instanceof Error && 'code' in e) return { ok: false, message: e.message, diagnostics: [{ severity: 'error', message: e.message, file: '' }] };
  throw e;
}
