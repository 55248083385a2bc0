/**
 * Whether `smf run app.smf` may run `main` on the main thread instead of starting its big-stack
 * run thread (src/cli/thread.ts), whose start costs about as much CPU as the rest of a small
 * program's run. The main thread has about 1 MiB of stack; the thread exists for deep recursion.
 *
 * When every call `main` can reach stays within the file's one unit of code (or goes to the
 * runtime) and those calls form no cycle, `main`'s deepest chain of frames is finite and known
 * before it runs: it is bounded frame by frame, from above (src/loader/call-graph.ts). Anything else — a cycle, a call to another module,
 * to a template instance the loader would make or keep, to the host (`extern fn`), code this
 * scan does not read — answers "unknown", and the program runs on the thread as before.
 */
import { SectionType, SmfReader } from '../smf/index.js';
import { MAX_SMF_FILE_SIZE, readRegularFileSync } from '../read-file.js';
import { CODE_SECTION } from '../compiler/interface/smf-module.js';
import { readWasmModule } from '../compiler/wasm/reader.js';
import { ExternalKind } from '../compiler/wasm/types.js';
import { runtimeModuleBytes } from '../runtime/runtime-module.js';
import { FunctionBounds, stackBound } from '../loader/call-graph.js';

/**
 * How much of the main thread's stack `main`'s frames may take: a quarter of V8's limit there
 * (about 984 KiB), leaving room for the frames below `main` (Node's, the loader's) and for the
 * JavaScript the runtime's functions run (output, the collector).
 */
export const MAIN_THREAD_STACK_BUDGET = 256 * 1024;

/**
 * A call into the runtime: its WebAssembly functions' own frames, bounded by the same scan
 * (runtimeStackBound), plus the JavaScript they reach (the output sink, the collector), which
 * runs in loops of a few frames.
 */
const RUNTIME_JS_BYTES = 64 * 1024;

/** The upper bound on the stack `main` of the file's code can use, in bytes; undefined if unknown. */
export function mainStackBoundOfFile(file: string): number | undefined {
  try {
    const reader = SmfReader.fromBytes(readRegularFileSync(file, MAX_SMF_FILE_SIZE), { file, verifyHash: false });
    const code = reader.findSectionIndex(SectionType.Code, CODE_SECTION);
    if (code < 0) return undefined;
    const runtime = runtimeStackBound();
    if (runtime === undefined) return undefined;
    return stackBound(reader.sectionData(code), 'main', (module) => (module === 'rt' ? runtime + RUNTIME_JS_BYTES : undefined));
  } catch {
    // Whatever the file's trouble, the loader reports it; here it only means "not known".
    return undefined;
  }
}

/** Does `main` of this compiled module or linked program fit on the main thread's stack? */
export function fitsMainThread(file: string): boolean {
  const bound = mainStackBoundOfFile(file);
  return bound !== undefined && bound <= MAIN_THREAD_STACK_BUDGET;
}

/** Set by the bundles (scripts/bundle.mjs), which find the runtime's bound when they are built. */
declare const __SMF_RUNTIME_STACK_BOUND__: number | undefined;

let runtimeBound: number | null | undefined = typeof __SMF_RUNTIME_STACK_BOUND__ === 'number' ? __SMF_RUNTIME_STACK_BOUND__ : undefined;

/** The deepest stack any function of the runtime's WebAssembly module can use (its imports are JavaScript). */
export function runtimeStackBound(): number | undefined {
  if (runtimeBound === undefined) {
    const wasm = runtimeModuleBytes();
    const info = readWasmModule(wasm, '<runtime>');
    let max: number | null = 0;
    const bounds = new FunctionBounds(info, () => 0);
    for (const e of info.exports) {
      if (e.kind !== ExternalKind.func) continue;
      const b = bounds.of(e.index);
      if (b === undefined) {
        max = null;
        break;
      }
      max = Math.max(max, b);
    }
    runtimeBound = max;
  }
  return runtimeBound ?? undefined;
}
