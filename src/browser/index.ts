/**
 * The browser build's entry (dist/browser/simple-smf.js): the package's API — compiler, SMF,
 * linker, loader — over in-memory files, plus what a page needs to put files there.
 */
export * from '../index.js';
export { files } from './platform.js';
export { MemoryFiles } from './memory-files.js';


