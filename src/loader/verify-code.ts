/**
 * The code verifier (docs/trust-model.md): every unit of code the loader installs — a module's
 * code from its file, a module compiled in this process, a JIT instance, an instance kept in a
 * file's `jit_cache` — is checked here before the engine compiles it, in one linear scan.
 *
 * It accepts the shape of code this compiler and linker emit, and nothing that could touch what
 * belongs to the loader or to other modules:
 *
 * - imports: the shared memory and table, `env.__memory_base`, `GOT.func.*` slots, the runtime's
 *   functions by their ABI names (`rt.*`), and `host.*` — which the installer then checks
 *   against the `extern fn`s the unit's module declares (`checkDeclaredHost`);
 * - no table, memory, global, element segment or start function of its own: an active element
 *   segment would write the shared table at instantiation, a start function would run code
 *   before the loader installs anything;
 * - active data segments only at `__memory_base`, within the static data the module declares;
 * - no instruction that writes the shared table (`table.set`, `table.grow`, `table.fill`,
 *   `table.copy`, `table.init`, `elem.drop`) or reads function references out of it
 *   (`table.get`, `ref.func`), no `memory.grow` (the runtime owns the memory's size);
 * - every `call_indirect` takes its slot straight from a `GOT.func` global (the instruction just
 *   before it is `global.get` of one): code can call through the table only the slots the loader
 *   resolved for it, under the symbol table's visibility rules, so a module's private functions
 *   are out of reach of other modules' code whatever slot numbers they compute;
 * - instructions outside the set it knows (exceptions, tail calls, typed function references,
 *   GC, threads) are refused rather than guessed at.
 *
 * The engine validates the rest (types, stack discipline) when it compiles the bytes.
 */
import { Reader, skipImmediates } from '../compiler/wasm/meter.js';
import { readWasmModule, WasmReadError } from '../compiler/wasm/reader.js';
import type { WasmModuleInfo } from '../compiler/wasm/reader.js';
import { ExternalKind, ValType } from '../compiler/wasm/types.js';
import { RUNTIME_ABI } from '../compiler/runtime-abi.js';
import { SimpleError } from '../errors.js';
import { LoadError } from './errors.js';

/** Why a unit of code was refused: the rule, and where — the function and the instruction's byte offset. */
export class CodeVerifyError extends LoadError {
  constructor(
    /** The code's file (or, for code compiled in this process, its unit's name). */
    readonly codeFile: string,
    /** What was refused, in a few words: 'table.set', 'import', 'call_indirect', … */
    readonly rule: string,
    readonly detail: string,
    /** The function's index in the WebAssembly module, when an instruction is refused. */
    readonly functionIndex?: number,
    readonly functionName?: string,
    /** Byte offset of the offending instruction (or section) in the unit's WebAssembly. */
    readonly offset?: number,
  ) {
    const where =
      functionIndex === undefined
        ? ''
        : `function ${functionIndex}${functionName ? ` '${functionName}'` : ''}${offset === undefined ? '' : ` at byte 0x${offset.toString(16)}`}: `;
    super('LOAD_CODE_VERIFY', `code refused by the verifier: ${where}${detail}`, codeFile, functionName);
  }
}

/** What the installer still checks once it knows the unit's module and static data. */
export interface VerifiedCode {
  /** End of the static data its segments write, from `__memory_base`. */
  readonly dataEnd: number;
  /** Its `host.*` imports. */
  readonly host: readonly string[];
}

const verified = new WeakMap<WebAssembly.Module, VerifiedCode>();

/** What `verifyCode` found for a module compiled after it; undefined for one it never saw. */
export function verifiedCode(module: WebAssembly.Module): VerifiedCode | undefined {
  return verified.get(module);
}

/** Records what the verifier found for the module compiled from the verified bytes. */
export function markVerified(module: WebAssembly.Module, code: VerifiedCode): WebAssembly.Module {
  verified.set(module, code);
  return module;
}

const RUNTIME_NAMES: ReadonlySet<string> = new Set(Object.keys(RUNTIME_ABI));

/** Checks one unit's WebAssembly (before it is metered or compiled); throws CodeVerifyError. */
export function verifyCode(wasm: Uint8Array, file: string): VerifiedCode {
  let info: WasmModuleInfo;
  try {
    info = readWasmModule(wasm, file);
  } catch (e) {
    if (e instanceof WasmReadError) throw new LoadError('LOAD_INSTANTIATE', `invalid code at byte 0x${e.offset.toString(16)}: ${e.detail}`, file);
    throw e;
  }
  const refuse = (rule: string, detail: string): never => {
    throw new CodeVerifyError(file, rule, detail);
  };
  const { gotGlobals, memoryBase, host } = checkImports(info, refuse);
  if (info.definedTables > 0) refuse('table', 'it defines a table of its own');
  if (info.definedMemories > 0) refuse('memory', 'it defines a memory of its own');
  if (info.definedGlobals > 0) refuse('global', 'it defines globals of its own');
  if (info.elementSegments > 0) refuse('elem', 'it has element segments (they would write table slots; only the loader writes slots)');
  if (info.hasStart) refuse('start', 'it has a start function (code would run before the loader installs it)');
  for (const e of info.exports) if (e.kind !== ExternalKind.func) refuse('export', `it exports '${e.name}', which is not a function`);
  let dataEnd = 0;
  for (const d of info.data) {
    if (d.offset.kind !== 'global.get' || d.offset.global !== memoryBase) refuse('data', 'a data segment is placed elsewhere than at env.__memory_base');
    dataEnd = Math.max(dataEnd, d.bytes.length);
  }
  const codeStart = info.code.byteOffset - wasm.byteOffset;
  for (let i = 0; i < info.bodies.length; i++) checkBody(info, i, gotGlobals, file, codeStart);
  return { dataEnd, host };
}

/** The imports the trust model grants (see the file comment); returns what the body scan needs. */
function checkImports(info: WasmModuleInfo, refuse: (rule: string, detail: string) => never): { gotGlobals: ReadonlySet<number>; memoryBase: number; host: string[] } {
  const gotGlobals = new Set<number>();
  const host: string[] = [];
  let memoryBase = -1;
  let global = 0;
  for (const imp of info.imports) {
    const name = `${imp.module}.${imp.field}`;
    const ok =
      imp.kind === 'memory'
        ? name === 'env.memory'
        : imp.kind === 'table'
          ? name === 'env.table' && imp.element === ValType.funcref
          : imp.kind === 'global'
            ? imp.valType === ValType.i32 && !imp.mutable && (imp.module === 'GOT.func' || name === 'env.__memory_base')
            : (imp.module === 'rt' && RUNTIME_NAMES.has(imp.field)) || imp.module === 'host';
    if (!ok) refuse('import', `it imports ${imp.kind} '${name}', which the loader does not grant`);
    if (imp.kind === 'global') {
      if (imp.module === 'GOT.func') gotGlobals.add(global);
      else memoryBase = global;
      global++;
    } else if (imp.kind === 'func' && imp.module === 'host') host.push(imp.field);
  }
  return { gotGlobals, memoryBase, host };
}

/** Opcodes refused with their name: what writes or reads the shared table, and memory.grow. */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [0x25, 'table.get reads a function reference out of the shared table'],
  [0x26, 'table.set writes the shared table; only the loader writes slots'],
  [0x40, 'memory.grow: the runtime owns the shared memory\'s size'],
  [0xd2, 'ref.func makes a function reference; the loader alone puts functions in slots'],
  [0x12, 'return_call (tail calls) is not part of the code model'],
  [0x13, 'return_call_indirect (tail calls) is not part of the code model'],
]);
const REFUSED_FC: ReadonlyMap<number, string> = new Map([
  [8, 'memory.init: units have no passive data'],
  [9, 'data.drop: units have no passive data'],
  [12, 'table.init writes the shared table; only the loader writes slots'],
  [13, 'elem.drop: units have no element segments'],
  [14, 'table.copy writes the shared table; only the loader writes slots'],
  [15, 'table.grow writes the shared table; only the loader writes slots'],
  [17, 'table.fill writes the shared table; only the loader writes slots'],
]);

/**
 * Single-byte opcodes whose immediates the scan knows (control, calls, variables, memory
 * access, numeric, `select`, `ref.null`, `ref.is_null`) plus the 0xfc and 0xfd prefixes. Anything
 * else is refused: a misread immediate could hide an instruction from the scan.
 */
function known(op: number): boolean {
  return (
    op <= 0x05 || (op >= 0x0b && op <= 0x11) || (op >= 0x1a && op <= 0x1c) || (op >= 0x20 && op <= 0x24) || (op >= 0x28 && op <= 0xc4) || op === 0xd0 || op === 0xd1 || op === 0xfc || op === 0xfd
  );
}

function checkBody(info: WasmModuleInfo, i: number, gotGlobals: ReadonlySet<number>, file: string, codeStart: number): void {
  const body = info.bodies[i];
  const index = info.importedFunctions + i;
  const r = new Reader(info.code, body.code);
  let at = body.code;
  /** The rule is the instruction's name: the detail's first word. */
  const refuse = (detail: string, rule = detail.slice(0, detail.search(/[ :]|$/))): never => {
    throw new CodeVerifyError(file, rule, detail, index, info.names.get(index), codeStart + at);
  };
  /** The global the previous instruction read with `global.get`, else -1. */
  let lastGlobal = -1;
  try {
    while (r.pos < body.end) {
      at = r.pos;
      const op = r.u8();
      const refused = REFUSED.get(op);
      if (refused) refuse(refused);
      if (!known(op)) refuse(`instruction 0x${op.toString(16)} is not one the verifier accepts`, 'instruction');
      if (op === 0x23) {
        lastGlobal = r.u32();
        continue;
      }
      if (op === 0x11) {
        r.u32();
        const table = r.u32();
        if (table !== 0 || !gotGlobals.has(lastGlobal)) {
          refuse('call_indirect must take its slot from a GOT.func global (global.get of one just before it)');
        }
      } else if (op === 0xfc) {
        const sub = r.u32();
        const subRefused = REFUSED_FC.get(sub);
        if (subRefused) refuse(subRefused);
        if (sub > 17) refuse(`instruction 0xfc ${sub} is not one the verifier accepts`, 'instruction');
        r.pos = at + 1;
        skipImmediates(r, op);
      } else skipImmediates(r, op);
      lastGlobal = -1;
    }
  } catch (e) {
    if (e instanceof CodeVerifyError) throw e;
    if (e instanceof SimpleError) refuse(`cannot read the instruction: ${e.message}`, 'instruction');
    throw e;
  }
  if (r.pos !== body.end) {
    at = body.end;
    refuse('its last instruction runs past the end of the function', 'instruction');
  }
}

/**
 * The installer's half: a unit may import only the host functions its module declares as
 * `extern fn`, and write static data only within what its module declares.
 */
export function checkDeclaredHost(code: VerifiedCode, declared: (name: string) => boolean, dataSize: number, file: string): void {
  for (const name of code.host) {
    if (!declared(name)) throw new CodeVerifyError(file, 'import', `it imports host.${name}, which its module does not declare as an extern fn`);
  }
  if (code.dataEnd > dataSize) {
    throw new CodeVerifyError(file, 'data', `its data segments write ${code.dataEnd} bytes of static data, more than the ${dataSize} its module declares`);
  }
}

/**
 * A code compiler that verifies first: `compile` (plain or metering) sees only bytes that passed,
 * and the module it returns is marked, so the installer can tell verified code from any other.
 */
export function verifyingCompiler(compile: (wasm: Uint8Array) => WebAssembly.Module): (wasm: Uint8Array, label?: string) => WebAssembly.Module {
  return (wasm, label = '<code>') => {
    const code = verifyCode(wasm, label);
    return markVerified(compile(wasm), code);
  };
}

/**
 * Whether kept code (a `jit_cache` entry) imports a symbol `isPrivate` says is private to the
 * template's module. Such code would run as that module, but it comes from whichever file kept
 * it — possibly another module's — so the loader compiles the instance anew instead of trusting
 * it with the module's private functions. Unreadable code answers false: the verifier reports it.
 */
export function importsPrivate(wasm: Uint8Array, isPrivate: (symbol: string) => boolean): boolean {
  try {
    return readWasmModule(wasm).imports.some((i) => i.module === 'GOT.func' && isPrivate(i.field));
  } catch {
    return false;
  }
}
