import { BlockParser } from './block.js';
import { ParseContext } from './context.js';
import { SdnError, SdnLimitError } from './errors.js';
import type { SdnLimits } from './limits.js';
import { resolveLimits, utf8Length } from './limits.js';
import { significantLines } from './lines.js';
import { SdnPositions } from './positions.js';
import type { SdnDict } from './value.js';

export interface SdnParseOptions extends Partial<SdnLimits> {
  /** Named in error messages. */
  file?: string;
}

export interface SdnParseResult {
  value: SdnDict;
  positions: SdnPositions;
}

/** Parses an SDN document (its top level is always a dict). Throws `SdnError` on bad input. */
export function parseSdn(input: string | Uint8Array, options: SdnParseOptions = {}): SdnDict {
  return run(input, options, undefined);
}

/** As `parseSdn`, also returning where each container, table, row and cell started. */
export function parseSdnWithPositions(input: string | Uint8Array, options: SdnParseOptions = {}): SdnParseResult {
  const positions = new SdnPositions();
  return { value: run(input, options, positions), positions };
}

function run(input: string | Uint8Array, options: SdnParseOptions, positions: SdnPositions | undefined): SdnDict {
  const limits = resolveLimits(options);
  const text = decode(input, limits, options.file);
  const lines = significantLines(text, options.file);
  return new BlockParser(lines, new ParseContext(limits, positions), options.file).document();
}

function decode(input: string | Uint8Array, limits: SdnLimits, file: string | undefined): string {
  const start = { file, line: 1, column: 1 };
  const tooBig = () => new SdnLimitError('maxInputBytes', limits.maxInputBytes, 'input too large', start);
  let text: string;
  if (typeof input === 'string') {
    // Every code unit is at least one byte, so the length alone can reject without counting.
    if (input.length > limits.maxInputBytes || utf8Length(input) > limits.maxInputBytes) throw tooBig();
    text = input;
  } else {
    if (input.byteLength > limits.maxInputBytes) throw tooBig();
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new SdnError('input is not valid UTF-8', start, 'SDN_ENCODING');
    }
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
