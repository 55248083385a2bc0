/**
 * A trap's backtrace: the engine's stack frames of module code (`wasm-function[N]:0xOFFSET` in an
 * error's `stack`) mapped to `file.spl:line` through the `simple.lines` section each unit carries
 * (src/compiler/lower/line-table.ts). Installed code is only noted here (a weak reference); the
 * sections are read the first time a trap's backtrace is asked for, so a program that does not
 * trap pays nothing for them.
 */
import { LebReader, LINES_SECTION, readLineTable } from '../compiler/wasm/line-section.js';

/** One frame of Simple code, innermost first. */
export interface BacktraceFrame {
  /** The function's display name (`max<i64>`). */
  readonly function: string;
  /** The source file and line, when the code carries a line table. */
  readonly file?: string;
  readonly line?: number;
}

/** Module names whose frames are not Simple code of the program (the runtime). */
const SKIPPED_MODULE = /^simple_rt(-|$)/;

interface FunctionLines {
  readonly file: string;
  readonly line: number;
  /** Module offsets of its instructions: [start, end). */
  readonly start: number;
  readonly end: number;
  /** Pairs: module offset where a line's code starts, line; ascending. */
  readonly marks: readonly number[];
}

interface ModuleLines {
  readonly name: string | undefined;
  readonly names: ReadonlyMap<number, string>;
  readonly functions: ReadonlyMap<number, FunctionLines>;
}

const installed: Array<WeakRef<WebAssembly.Module>> = [];
let liveAfterPrune = 0;
const parsed = new WeakMap<WebAssembly.Module, ModuleLines | null>();

/** Notes code that was compiled to run, so its frames can be found in a later backtrace. */
export function noteCodeModule(module: WebAssembly.Module): void {
  installed.push(new WeakRef(module));
  if (installed.length > 2 * liveAfterPrune + 256) {
    let kept = 0;
    for (const ref of installed) if (ref.deref()) installed[kept++] = ref;
    installed.length = kept;
    liveAfterPrune = kept;
  }
}

/**
 * A frame of WebAssembly code as V8 writes it: `at f (wasm://wasm/app-1a2b3c4d:wasm-function[3]:0x1f)`,
 * or, when a custom `Error.prepareStackTrace` formats the stack (source-map support, test
 * runners), `at f (wasm://wasm/app-1a2b3c4d:1:32)`: line 1 and the module offset plus one.
 */
const FRAME = /\n\s+at (?:(.+?) \()?wasm:\/\/wasm\/([^:)]*):(?:wasm-function\[(\d+)\]:0x([0-9a-f]+)|1:(\d+))\)?/g;

/** The frames of Simple code on an error stack, innermost first, with their source lines when known. */
export function backtraceOf(stack: string): BacktraceFrame[] {
  const frames: BacktraceFrame[] = [];
  FRAME.lastIndex = 0;
  for (let m = FRAME.exec(stack); m; m = FRAME.exec(stack)) {
    const url = m[2];
    if (SKIPPED_MODULE.test(url)) continue;
    const moduleName = url.replace(/-?[0-9a-f]{8,}$/, '') || undefined;
    const index = m[3] === undefined ? undefined : Number(m[3]);
    const offset = m[4] === undefined ? Number(m[5]) - 1 : parseInt(m[4], 16);
    const shown = m[1];
    const found = findFunction(moduleName, index, shown, offset);
    if (!found) {
      frames.push({ function: shown ?? `wasm-function[${index ?? '?'}]` });
      continue;
    }
    frames.push({ function: found.name ?? shown ?? '?', file: found.lines.file, line: lineAt(found.lines, offset) });
  }
  return frames;
}

/**
 * `  at f (file.spl:line)` for each frame, one per line, as the CLI prints them under a trap; a
 * run of the same frame (deep recursion) is one line and a count.
 */
export function formatBacktrace(frames: readonly BacktraceFrame[]): string {
  const out: string[] = [];
  for (let i = 0; i < frames.length; ) {
    const f = frames[i];
    const text = `  at ${f.function}${f.file === undefined ? '' : ` (${f.file}:${f.line})`}`;
    let j = i + 1;
    while (j < frames.length && frames[j].function === f.function && frames[j].file === f.file && frames[j].line === f.line) j++;
    out.push(j - i > 2 ? `${text}\n  … the same ${j - i - 1} more times` : j - i === 2 ? `${text}\n${text}` : text);
    i = j;
  }
  return out.join('\n');
}

function lineAt(fn: FunctionLines, offset: number): number {
  let line = fn.line;
  for (let i = 0; i < fn.marks.length && fn.marks[i] <= offset; i += 2) line = fn.marks[i + 1];
  return line;
}

/**
 * The newest installed code whose module and function carry the names the frame shows (the
 * engine writes `module.function` for a module with a name), and the function's own name. With
 * no function index (see FRAME), the function is the one of that name whose code is at `offset`.
 */
function findFunction(
  moduleName: string | undefined,
  index: number | undefined,
  shown: string | undefined,
  offset: number,
): { lines: FunctionLines; name: string | undefined } | undefined {
  const named = (name: string | undefined): boolean => shown === undefined || shown === name || shown === `${moduleName}.${name}`;
  for (let i = installed.length - 1; i >= 0; i--) {
    const module = installed[i].deref();
    if (!module) continue;
    const table = linesOf(module);
    if (!table || table.name !== moduleName) continue;
    for (const [at, fn] of table.functions) {
      if (index !== undefined && at !== index) continue;
      const name = table.names.get(at);
      if (named(name) && fn.start <= offset && offset < fn.end) return { lines: fn, name };
    }
    // Newer code of the same names but without a table (code from elsewhere, say) is the frame's own:
    // older code must not lend it lines.
    if (table.functions.size > 0) continue;
    if (index !== undefined ? table.names.has(index) && named(table.names.get(index)) : [...table.names.values()].some(named)) return undefined;
  }
  return undefined;
}

function linesOf(module: WebAssembly.Module): ModuleLines | null {
  let lines = parsed.get(module);
  if (lines === undefined) {
    try {
      lines = readLines(module);
    } catch {
      lines = null; // a damaged table only costs the lines, never the trap
    }
    parsed.set(module, lines);
  }
  return lines;
}

function readLines(module: WebAssembly.Module): ModuleLines | null {
  const [section] = WebAssembly.Module.customSections(module, LINES_SECTION);
  const table = section ? readLineTable(new Uint8Array(section)) : null;
  const functions = new Map<number, FunctionLines>();
  for (const f of table?.functions ?? []) {
    // Offsets in the table are in the code section's payload; the engine's are in the module.
    const marks = f.marks.map((v, i) => (i % 2 === 0 ? v + table!.payloadStart : v));
    const start = f.codeStart + table!.payloadStart;
    functions.set(f.index, { file: f.file, line: f.line, start, end: start + f.codeSize, marks });
  }
  const [names] = WebAssembly.Module.customSections(module, 'name');
  return { ...(names ? readNames(new Uint8Array(names)) : { name: undefined, names: new Map() }), functions };
}

/** The module name and function names of a name section. */
function readNames(bytes: Uint8Array): { name: string | undefined; names: Map<number, string> } {
  const r = new LebReader(bytes);
  let name: string | undefined;
  const names = new Map<number, string>();
  while (!r.done) {
    const id = r.u8();
    const end = r.u32() + r.pos;
    if (id === 0) name = r.name();
    else if (id === 1) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.name());
    r.pos = end;
  }
  return { name, names };
}
