/**
 * The browser build's entry (dist/browser/simple-smf.js): the package's API — compiler, SMF,
 * linker, loader — over in-memory files, plus what a page needs: the files themselves, the
 * playground engine and the graphs.
 */
export * from '../index.js';
export { files } from './platform.js';
export { MemoryFiles } from './memory-files.js';
export { Playground } from '../playground/engine.js';
export type { RunOutcome, PlaygroundOptions } from '../playground/engine.js';
export * from '../graph/index.js';
