import type { SdnDict, SdnValue } from '../../src/sdn/index.js';

/** A dict from an object literal, keeping its key order. */
export function d(obj: Record<string, SdnValue>): SdnDict {
  return new Map(Object.entries(obj));
}
