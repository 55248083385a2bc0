/**
 * The browser build's src/smf/atomic-write.ts: the same exports, writing to the in-memory files,
 * where one store of the new bytes is already atomic (modes and owners do not exist there).
 */
import { FileError } from '../errors.js';
import { files } from './platform.js';

export class ReadOnlyFileError extends FileError {
  constructor(path: string, mode: number) {
    super(path, 'write', `the file is read-only (mode 0${mode.toString(8)}); left unchanged`);
  }
}

export interface AtomicWriteOptions {
  mode?: number;
}

export function atomicWriteFile(path: string, data: Uint8Array, _options: AtomicWriteOptions = {}): Promise<void> {
  return files.writeFileAtomic(path, data);
}

export function atomicWriteFileSync(path: string, data: Uint8Array, _options: AtomicWriteOptions = {}): void {
  files.writeFileAtomicSync(path, data);
}
