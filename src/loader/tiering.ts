/**
 * How compiled code reaches V8's optimizing tier (ModuleLoaderOptions.tiering; the choices and
 * their measurements are in docs/performance.md). node:v8 is loaded only when a flag is set:
 * importing it loads node:stream and perf_hooks, a fifth of a small program's start-up.
 */
import { createRequire } from 'node:module';

export type Tiering = 'dynamic' | 'optimized';

/** Sets the process's V8 flags for `tiering`. */
export function applyTiering(tiering: Tiering | undefined): void {
  if (tiering === 'optimized') v8().setFlagsFromString('--no-liftoff');
}

function v8(): typeof import('node:v8') {
  return createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
}
