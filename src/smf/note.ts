import { MAX_NOTE_SIZE, NOTE_TERMINATOR } from './format.js';
import { SmfWriteError } from './errors.js';

export const NOTE_TERMINATOR_BYTES = new TextEncoder().encode(NOTE_TERMINATOR);

/**
 * The bytes stored for a note: its UTF-8 text ending with exactly one terminator.
 * Readers stop at the first terminator, so one anywhere else would silently cut the note.
 */
export function encodeNote(text: string, field = 'note'): Uint8Array {
  const full = text.endsWith(NOTE_TERMINATOR) ? text : text + NOTE_TERMINATOR;
  const first = full.indexOf(NOTE_TERMINATOR);
  if (first !== full.length - NOTE_TERMINATOR.length) {
    throw new SmfWriteError(field, `the terminator ${JSON.stringify(NOTE_TERMINATOR)} may only appear at the end`);
  }
  const bytes = new TextEncoder().encode(full);
  if (bytes.length > MAX_NOTE_SIZE) {
    throw new SmfWriteError(field, `${bytes.length} bytes exceed the ${MAX_NOTE_SIZE}-byte note limit`);
  }
  return bytes;
}

/** Zero bytes reserved after a note so later rewrites usually fit in place. */
export function defaultNoteReserve(noteBytes: number): number {
  return Math.max(256, Math.ceil(noteBytes / 10));
}
