// Shared by the runtime tests: runtimes with captured output, and plain memory access.
import { createRuntime } from '../../src/runtime/instance.js';
import type { Runtime, RuntimeOptions } from '../../src/runtime/instance.js';
import { TextCapture } from '../../src/runtime/output.js';

export interface TestRuntime {
  readonly rt: Runtime;
  readonly out: TextCapture;
  /** Everything printed so far. */
  printed(): string;
  /** A `site` text naming a function. */
  site(name: string): number;
}

export function testRuntime(options: Omit<RuntimeOptions, 'output'> = {}): TestRuntime {
  const out = new TextCapture();
  const rt = createRuntime({ ...options, output: out });
  return {
    rt,
    out,
    printed() {
      rt.flush();
      return out.text;
    },
    site: (name) => rt.writeText(name),
  };
}

export function view(rt: Runtime): DataView {
  return new DataView(rt.memory.buffer);
}

export function u32(rt: Runtime, addr: number): number {
  return view(rt).getUint32(addr >>> 0, true);
}

/** Runs `f` and returns what it threw. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}
