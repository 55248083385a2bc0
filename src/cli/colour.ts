/**
 * Colour on a terminal, as the conventions ask: none when `NO_COLOR` is set (to anything but
 * empty), always when `FORCE_COLOR` is set (except `0` or `false`), else only when standard
 * error is a terminal (not `TERM=dumb`). A pipe or a file gets plain text, byte for byte what it
 * got before colour existed.
 */
import type { DiagnosticStyle } from '../compiler/diagnostics.js';

export function wantsColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY === true && env.TERM !== 'dumb';
}

const sgr = (codes: string) => (text: string) => `\x1b[${codes}m${text}\x1b[0m`;

/** Clang's colours: the location and message bold, the severity in its colour, the caret green. */
export const ANSI_STYLE: DiagnosticStyle = {
  location: sgr('1'),
  severity: { error: sgr('1;31'), warning: sgr('1;35'), note: sgr('1;36') },
  message: sgr('1'),
  caret: sgr('1;32'),
};

/** `error:` as the CLI starts a message, in colour or not. */
export function errorLabel(colour: boolean | undefined): string {
  return colour ? ANSI_STYLE.severity.error('error:') : 'error:';
}
