/**
 * Reading an SMF file whole for `SmfReader.openSync`: a small file (a compiled module is a few
 * KiB) in one read, without asking its status (`readRegularFileSync`'s `firstRead`).
 */
import { MAX_SMF_FILE_SIZE, readRegularFileSync } from '../read-file.js';

/** Files up to this size are read in one go. */
const SMALL_READ = 64 * 1024;
/** One buffer for the first read of every file; a file's bytes are copied out of it. */
let scratch: Uint8Array | undefined;

export function readSmfFileSync(path: string): Uint8Array {
  scratch ??= new Uint8Array(SMALL_READ);
  return readRegularFileSync(path, MAX_SMF_FILE_SIZE, scratch);
}
