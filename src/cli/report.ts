import { CompileError, formatDiagnostics } from '../compiler/diagnostics.js';
import { isSimpleError } from '../errors.js';
import { InstantiationCycleError } from '../loader/errors.js';
import { SimpleTrap } from '../runtime/index.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './program.js';

/** Prints an error the way users read them (no stack trace) and returns the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CompileError) {
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(formatDiagnostics(e.diagnostics) + '\n');
    io.stderr(`${errors} error${errors === 1 ? '' : 's'}\n`);
    return EXIT.error;
  }
  if (e instanceof InstantiationCycleError && e.at) {
    // As the linker prints the same cycle: location first.
    io.stderr(`${e.at}: error: ${e.detail}\n`);
    return EXIT.error;
  }
  if (e instanceof SimpleTrap) {
    io.stderr(`error: ${e.message}\n`);
    return EXIT.trap;
  }
  if (isSimpleError(e)) {
    io.stderr(`error: ${e.message}\n`);
    return EXIT.error;
  }
  throw e;
}
