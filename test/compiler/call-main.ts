// Calling a loaded program's `main` the way `smf run` does, its output captured: shared by the
// program suite and the lowering's mutation tests.
import type { ModuleLoader } from '../../src/loader/module-loader.js';
import { SimpleTrap } from '../../src/runtime/index.js';
import type { TextCapture } from '../../src/runtime/index.js';

export interface MainResult {
  readonly stdout: string;
  /** main's i64 result (0 for a main returning unit), 3 for a trap. */
  readonly exit: number;
  readonly trap: string | null;
}

export function callMain(loader: ModuleLoader, out: TextCapture): MainResult {
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found' && main.kind !== 'jit') throw new Error(`no main: ${JSON.stringify(main)}`);
  let exit = 0;
  let trap: string | null = null;
  try {
    const r = main.call();
    if (typeof r === 'bigint') exit = Number(BigInt.asIntN(32, r));
  } catch (e) {
    if (!(e instanceof SimpleTrap)) throw e;
    exit = 3;
    trap = e.message;
  }
  loader.runtime.flush();
  return { stdout: out.text, exit, trap };
}
