/**
 * The JavaScript half of the runtime ABI: printing, float formatting, float remainder and traps.
 * Float text is made here because the host already has shortest round-trip formatting
 * (format.ts), and the remainder because WebAssembly has no float `rem` instruction.
 */
import { TEXT_HEADER } from '../compiler/layout.js';
import type { RuntimeFunctionName } from './abi.js';
import { formatF32, formatF64 } from './format.js';
import type { RuntimeImports } from './js-abi.js';
import { textBytes, writeAsciiTextAt } from './memory-io.js';
import type { BufferedOutput } from './output.js';
import type { WasmRuntimeFunctionName } from './runtime-module.js';
import { trapFromPanic } from './trap.js';

export type HostFunctionName = Exclude<RuntimeFunctionName, WasmRuntimeFunctionName>;
export type HostFunctions = { readonly [K in HostFunctionName]: RuntimeImports[K] };

export interface HostContext {
  readonly memory: WebAssembly.Memory;
  readonly output: BufferedOutput;
  /** The runtime's allocator (bound once the runtime module exists); traps on failure. */
  alloc(size: number, site: number): number;
  /** Runs the collector (at a safepoint of compiled code). */
  collect(): void;
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8');

/** The function name a `site` text names, or undefined when there is none to read. */
export function siteName(memory: WebAssembly.Memory, site: number): string | undefined {
  const bytes = textBytes(memory, site);
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

export function createHostFunctions(cx: HostContext): HostFunctions {
  const { memory, output } = cx;

  const printLine = (s: string): void => {
    output.writeAscii(s);
    output.writeByte(NEWLINE);
  };
  const newText = (s: string, site: number): number => {
    const ptr = cx.alloc(TEXT_HEADER.size + s.length, site);
    writeAsciiTextAt(memory, ptr, s);
    return ptr;
  };

  return {
    print_text(ptr) {
      const bytes = textBytes(memory, ptr);
      if (bytes === undefined) throw new RangeError(`print: no text object at address ${ptr >>> 0}`);
      output.writeBytes(bytes);
      output.writeByte(NEWLINE);
    },
    print_i64: (v) => printLine(v.toString()),
    print_u64: (v) => printLine(BigInt.asUintN(64, v).toString()),
    print_f64: (x) => printLine(formatF64(x)),
    print_f32: (x) => printLine(formatF32(x)),
    print_bool: (b) => printLine(b !== 0 ? 'true' : 'false'),
    text_from_f64: (x, site) => newText(formatF64(x), site),
    text_from_f32: (x, site) => newText(formatF32(x), site),
    gc_collect: () => cx.collect(),
    // ECMAScript's % is C fmod: exact, with the sign of the dividend.
    f64_rem: (a, b) => a % b,
    panic(kind, site, a, b) {
      // The program's output so far belongs before the error message.
      output.flush();
      throw trapFromPanic(kind, siteName(memory, site), a, b);
    },
  };
}
