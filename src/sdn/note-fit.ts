import { NoteSdnTerminatorError } from './errors.js';
import { NOTE_SDN_TERMINATOR } from './note-model.js';

export type NoteFit =
  | { kind: 'fits'; bytes: Uint8Array }
  | { kind: 'needs_rebuild'; current?: number; required: number; available: number };

/**
 * Decides whether a rewritten note can replace the old one in place: its UTF-8 bytes must fit
 * in the `capacityBytes` available before the next section. The caller writes `bytes` at the
 * note's offset; whatever follows them in the region is never read, because readers stop at
 * the terminator. `currentBytes` (the old note's size) is only echoed in the rebuild answer.
 * Text that does not end with the terminator, or contains it earlier, is refused with
 * `NoteSdnTerminatorError` since a reader would cut it short.
 */
export function fitNoteInPlace(newText: string, capacityBytes: number, opts: { currentBytes?: number } = {}): NoteFit {
  if (!Number.isSafeInteger(capacityBytes) || capacityBytes < 0) {
    throw new RangeError(`capacityBytes must be a non-negative integer, got ${capacityBytes}`);
  }
  const first = newText.indexOf(NOTE_SDN_TERMINATOR);
  if (first < 0 || first !== newText.length - NOTE_SDN_TERMINATOR.length) throw new NoteSdnTerminatorError(first);
  const bytes = new TextEncoder().encode(newText);
  if (bytes.length <= capacityBytes) return { kind: 'fits', bytes };
  const rebuild: NoteFit = { kind: 'needs_rebuild', required: bytes.length, available: capacityBytes };
  if (opts.currentBytes !== undefined) rebuild.current = opts.currentBytes;
  return rebuild;
}
