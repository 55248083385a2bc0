/**
 * The platform in use. This module is the build's swap point: Node's implementation here, the
 * browser's (src/browser/platform.ts) in the browser bundle.
 */
export { files, natives } from './node.js';
export type { FileAccess, FileStats, Natives, Xxh64Hasher } from './file-access.js';
