/**
 * `--profile FILE.smf`: the instances the loader JIT-compiled in earlier runs of a program are
 * the `instantiations` rows with status `jit_compiled` in that file's note.sdn (the loader
 * writes them back there). Compiling them in at link time makes the next run start warm.
 */
import { parseNoteSdn } from '../sdn/index.js';
import { SmfReader } from '../smf/index.js';
import type { LinkInput } from './obj-module.js';

export function readProfile(input: LinkInput): Set<string> {
  const reader = typeof input === 'string' ? SmfReader.openSync(input) : SmfReader.fromBytes(input.bytes, { file: input.file });
  const text = reader.noteSdnText();
  const out = new Set<string>();
  if (!text) return out;
  for (const row of parseNoteSdn(text, { file: reader.file }).instantiations) {
    if (row.status === 'jit_compiled') out.add(row.mangledName);
  }
  return out;
}
