import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import type { CompressionName, SmfModuleSpec } from '../../src/smf/index.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/smf.js');

/** Runs the built `smf` binary in a child process, as a user would; `timeout` in ms guards against hangs. */
export function smf(args: string[], cwd: string, timeout = 20_000): { code: number | null; stdout: string; stderr: string; signal: string | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** A fresh folder with these files in it. */
export function workspace(files: Record<string, string | Uint8Array> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-hostile-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content);
  return d;
}

/** The SMF bytes of one module compiled from `source` (named `name`). */
export function compiledSmf(source: string, name = 'm', compression: CompressionName = 'none'): Uint8Array {
  const d = workspace({ [`${name}.spl`]: source });
  const [c] = new CompileSession().compileFiles([join(d, `${name}.spl`)]).filter((m) => m.declared.name === name);
  return emitSmf(c, { compression });
}

/**
 * The module `bytes` rewritten through the writer (the module hash recomputed, so the change
 * reaches the parsers behind the hash check): `edit` changes the spec in place.
 */
export function rewritten(bytes: Uint8Array, edit: (spec: SmfModuleSpec) => void): Uint8Array {
  const reader = SmfReader.fromBytes(bytes);
  const spec = moduleSpecFromReader(reader);
  spec.note = reader.noteSdnText();
  edit(spec);
  return writeSmf(spec);
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** `rewritten`, with the JSON of section `name` changed by `edit`. */
export function withJson(bytes: Uint8Array, name: string, edit: (json: Record<string, unknown>) => void): Uint8Array {
  return rewritten(bytes, (spec) => {
    const s = spec.sections.find((x) => x.name === name);
    if (!s) throw new Error(`no section ${name}`);
    const json = JSON.parse(utf8d.decode(s.data)) as Record<string, unknown>;
    edit(json);
    s.data = utf8.encode(JSON.stringify(json));
  });
}
