// Shared by the SDN tests: the first value of a document, where and why one is refused, and
// where and why the serializer refuses a value.
import { SdnError, SdnSerializeError, parseSdn, stringifySdn } from '../../src/sdn/index.js';
import type { SdnDict } from '../../src/sdn/index.js';

export const firstValue = (text: string) => parseSdn(text).values().next().value;

export function failure(text: string): { line: number; column: number; reason: string } {
  try {
    parseSdn(text);
  } catch (e) {
    if (e instanceof SdnError) return { line: e.line, column: e.column, reason: e.reason };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

/** Where and why the serializer refuses `doc` (or what `write` writes: a note, say). */
export function refusal(doc: SdnDict | (() => unknown)): { path: string; reason: string } {
  try {
    if (typeof doc === 'function') doc();
    else stringifySdn(doc);
  } catch (e) {
    if (e instanceof SdnSerializeError) return { path: e.path, reason: e.reason };
    throw e;
  }
  throw new Error('expected a refusal');
}
