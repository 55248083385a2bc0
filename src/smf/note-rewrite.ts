import { MAX_SMF_FILE_SIZE, readRegularFileSync } from '../read-file.js';
import { files } from '../platform/index.js';
import { computeModuleHash } from './hash.js';
import { HeaderField } from './header.js';
import { encodeNote } from './note.js';
import { SmfReader, type SmfReaderOptions } from './reader.js';
import { moduleSpecFromReader } from './rebuild.js';
import { writeSmf } from './writer.js';

export type NoteRewriteResult =
  | { kind: 'rewritten' }
  | { kind: 'needs_rebuild'; required: number; available: number };

type InPlace = { kind: 'fits'; bytes: Uint8Array<ArrayBuffer> } | { kind: 'needs_rebuild'; required: number; available: number };

/**
 * Rewrites the note of the SMF file at `path` without moving anything else, if the new text
 * (with its terminator) fits in the space the note already has. The file is replaced
 * atomically. When it does not fit, the file is left alone and the sizes are reported; use
 * {@link rewriteNote} or {@link replaceNote} to rebuild the module instead.
 */
export async function rewriteNoteInPlace(path: string, newText: string, opts: SmfReaderOptions = {}): Promise<NoteRewriteResult> {
  const bytes = readRegularFileSync(path, MAX_SMF_FILE_SIZE);
  const result = patchNote(SmfReader.fromBytes(bytes, { ...opts, file: opts.file ?? path }), newText);
  if (result.kind === 'needs_rebuild') return result;
  await files.writeFileAtomic(path, result.bytes);
  return { kind: 'rewritten' };
}

/** Like {@link rewriteNoteInPlace}, but rebuilds the whole module when the note does not fit. */
export async function rewriteNote(path: string, newText: string, opts: SmfReaderOptions = {}): Promise<{ kind: 'rewritten' | 'rebuilt' }> {
  const bytes = readRegularFileSync(path, MAX_SMF_FILE_SIZE);
  const reader = SmfReader.fromBytes(bytes, { ...opts, file: opts.file ?? path });
  const result = patchNote(reader, newText);
  await files.writeFileAtomic(path, result.kind === 'fits' ? result.bytes : rebuildWithNote(reader, newText));
  return { kind: result.kind === 'fits' ? 'rewritten' : 'rebuilt' };
}

/**
 * New file bytes with the note replaced: patched in place when it fits, otherwise the module
 * is rewritten by the writer (sections, symbols and header fields preserved). Pure.
 */
export function replaceNote(bytes: Uint8Array, newText: string, opts: SmfReaderOptions = {}): Uint8Array<ArrayBuffer> {
  const reader = SmfReader.fromBytes(bytes, opts);
  const result = patchNote(reader, newText);
  return result.kind === 'fits' ? result.bytes : rebuildWithNote(reader, newText);
}

function patchNote(reader: SmfReader, newText: string): InPlace {
  const encoded = encodeNote(newText);
  const note = reader.noteSection();
  const available = reader.noteCapacity() ?? 0;
  if (note === undefined || encoded.length > available) {
    return { kind: 'needs_rebuild', required: encoded.length, available };
  }
  const out = reader.bytes.slice();
  // Zero the old text completely so no stale terminator can follow the new one.
  out.fill(0, note.fileOffset, note.fileOffset + available);
  out.set(encoded, note.fileOffset);
  if (reader.header.moduleHash !== 0n) {
    const hashAt = reader.headerOffset + HeaderField.module_hash;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    view.setBigUint64(hashAt, computeModuleHash(out, reader.dataOffset, hashAt), true);
  }
  return { kind: 'fits', bytes: out };
}

function rebuildWithNote(reader: SmfReader, newText: string): Uint8Array<ArrayBuffer> {
  return writeSmf({ ...moduleSpecFromReader(reader), note: newText }, { hash: reader.header.moduleHash !== 0n });
}
