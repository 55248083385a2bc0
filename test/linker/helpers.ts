/**
 * Shared by the linker tests: compiling a folder of Simple modules to SMF files in a temporary
 * folder, linking them, and running a linked (or a separately compiled) program's main through
 * the ModuleLoader with its output captured.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { LinkOptions } from '../../src/linker/link.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { HostFunction } from '../../src/loader/module-loader.js';
import { SimpleTrap, TextCapture } from '../../src/runtime/index.js';

export const PROGRAMS = resolve(import.meta.dirname, 'programs');

export function tempDir(prefix = 'smf-link-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Compiles `files` (and what they use) into `outDir`, keeping the folders below the first
 * file's folder (`use sub.util` finds `sub/util.smf`); returns each module's SMF path by name.
 */
export function compileTo(files: readonly string[], outDir: string): Map<string, string> {
  const session = new CompileSession();
  const out = new Map<string, string>();
  const root = dirname(resolve(files[0]));
  for (const c of session.compileFiles(files.map((f) => resolve(f)))) {
    const dir = join(outDir, relative(root, dirname(c.declared.source.path)));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${c.declared.name}.smf`);
    writeFileSync(path, emitSmf(c));
    out.set(c.declared.name, path);
  }
  return out;
}

/** Every `.spl` of a folder and its subfolders, compiled into a fresh temporary folder. */
export function compileFolder(dir: string): Map<string, string> {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.spl')).sort().map((f) => join(dir, f));
  // The first file names the root folder: a top-level one.
  files.sort((a, b) => a.split('/').length - b.split('/').length);
  return compileTo(files, tempDir());
}

/** Links and writes the output; throws with the formatted diagnostics when the link fails. */
export function linkTo(inputs: readonly string[], output: string, options: LinkOptions = {}): ReturnType<typeof link> & { ok: true } {
  const r = link(inputs, { output, ...options });
  if (!r.ok) throw new Error(formatDiagnostics(r.errors));
  writeFileSync(output, r.bytes);
  return r;
}

export interface RunResult {
  readonly output: string;
  readonly result: unknown;
  readonly trap: string | null;
  readonly loader: ModuleLoader;
}

export const HOST: Record<string, HostFunction> = {
  host_add: (a: bigint, b: bigint) => a + b,
  host_greet: (name: string) => `hello from the host, ${name}`,
};

/** Loads an SMF (linked or not) and calls its main. The loader does not write back into the file. */
export function runMain(path: string, options: { writeBack?: boolean; lazyLoad?: boolean } = {}): RunResult {
  const capture = new TextCapture();
  const loader = new ModuleLoader({ output: capture, host: HOST, lazy: options.lazyLoad, jit: { updateSmf: options.writeBack ?? false } });
  const loaded = loader.load(path);
  if (loaded.kind === 'error') throw loaded.error;
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found' && main.kind !== 'jit') throw new Error(`no main: ${JSON.stringify(main)}`);
  let result: unknown;
  let trap: string | null = null;
  try {
    result = main.call();
  } catch (e) {
    if (!(e instanceof SimpleTrap)) throw e;
    trap = e.message;
  }
  if (options.writeBack) loader.flushWrites();
  return { output: capture.text, result, trap, loader };
}
