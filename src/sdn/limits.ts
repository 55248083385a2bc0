/** Resource limits for parsing text that may come from an untrusted file. */
export interface SdnLimits {
  /** Deepest nesting of containers; the document itself is level 1. */
  maxDepth: number;
  /** Longest single string (key, bare or quoted), in UTF-8 bytes after unescaping. */
  maxStringBytes: number;
  /** Most values of any kind (scalars, containers, table cells) in one document. */
  maxValues: number;
  /** Largest input, in UTF-8 bytes. */
  maxInputBytes: number;
}

/**
 * The parser recurses once per nesting level; capping the depth here keeps it far below the
 * JavaScript stack limit whatever a caller configures.
 */
export const HARD_MAX_DEPTH = 1000;

export const DEFAULT_SDN_LIMITS: Readonly<SdnLimits> = Object.freeze({
  maxDepth: 50,
  maxStringBytes: 1024 * 1024,
  maxValues: 1_000_000,
  maxInputBytes: 16 * 1024 * 1024,
});

export function resolveLimits(given: Partial<SdnLimits> | undefined): SdnLimits {
  const l = { ...DEFAULT_SDN_LIMITS, ...stripUndefined(given) };
  for (const [name, v] of Object.entries(l)) {
    if (!(typeof v === 'number' && v >= 0 && !Number.isNaN(v))) {
      throw new RangeError(`SDN limit ${name} must be a non-negative number, got ${String(v)}`);
    }
  }
  l.maxDepth = Math.min(l.maxDepth, HARD_MAX_DEPTH);
  return l;
}

function stripUndefined(given: Partial<SdnLimits> | undefined): Partial<SdnLimits> {
  const out: Partial<SdnLimits> = {};
  if (given === undefined) return out;
  for (const key of ['maxDepth', 'maxStringBytes', 'maxValues', 'maxInputBytes'] as const) {
    if (given[key] !== undefined) out[key] = given[key];
  }
  return out;
}

/** UTF-8 length without allocating; a lone surrogate counts as the 3-byte U+FFFD an encoder writes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
