import { CompileError, formatDiagnostics, PLAIN_STYLE } from '../compiler/diagnostics.js';
import { ANSI_STYLE, errorLabel } from './colour.js';
import { isSimpleError } from '../errors.js';
import { InstantiationCycleError } from '../loader/errors.js';
import { formatBacktrace, SimpleTrap } from '../runtime/index.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './program.js';

/** Prints an error the way users read them (no stack trace) and returns the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  const error = errorLabel(io.colour);
  if (e instanceof CompileError) {
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(formatDiagnostics(e.diagnostics, io.colour ? ANSI_STYLE : PLAIN_STYLE) + '\n');
    io.stderr(`${errors} error${errors === 1 ? '' : 's'}\n`);
    return EXIT.error;
  }
  if (e instanceof InstantiationCycleError && e.at) {
    // As the linker prints the same cycle: location first.
    io.stderr(`${e.at}: ${error} ${e.detail}\n`);
    return EXIT.error;
  }
  if (e instanceof SimpleTrap) {
    const frames = e.backtrace;
    io.stderr(`${error} ${e.message}\n${frames.length > 0 ? formatBacktrace(frames) + '\n' : ''}`);
    return EXIT.trap;
  }
  if (isSimpleError(e)) {
    io.stderr(`${error} ${e.message}\n`);
    return EXIT.error;
  }
  throw e;
}
