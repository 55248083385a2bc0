// Shared by the SDN tests: the first value of a document, and where and why one is refused.
import { SdnError, parseSdn } from '../../src/sdn/index.js';

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
