/**
 * Fuel metering: a WebAssembly-to-WebAssembly pass that makes a unit's code charge one unit of
 * fuel on every function entry and every loop iteration (at the loop header, so each back-edge
 * pays), the places Wasmtime charges too. A loop or a recursion that never ends therefore always
 * reaches a check.
 *
 * The pass adds two imports to the module:
 *
 * - `limits.fuel`, a mutable i64 global shared by every metered unit: the fuel left;
 * - `limits.out_of_fuel`, a function `[] -> []` the code calls when the counter goes below zero.
 *   The host decides there: refill it and return (a time slice ended and the deadline is not
 *   reached), or throw a trap (out of fuel, timeout, interrupted).
 *
 * Each charge is `fuel -= 1; if (fuel < 0) out_of_fuel()`, on a copy of the counter kept in an
 * added local (see meterCode). The function import shifts every defined function's index by one,
 * so `call`, `return_call`, `ref.func`, function exports, the start function and the name section
 * are renumbered; the
 * global import comes after the module's imported globals and shifts its defined globals (units
 * define none, but they are renumbered all the same). `reloc.CODE` is dropped: its offsets no
 * longer hold, and only the linker reads it. Element sections are refused (units have none).
 *
 * Code that is not metered (fuel off) is never passed through here: metering costs nothing
 * unless asked for.
 */
import { ByteWriter } from './bytes.js';
import { WasmEncodeError } from './errors.js';
import { RELOC_SECTION } from '../lower/unit-abi.js';
import { LINES_SECTION } from './line-section.js';
import { BodyOffsets, carryLines } from './meter-lines.js';
import { ExternalKind, SectionId, ValType } from './types.js';

export const METER_MODULE = 'limits';
export const METER_FUEL_GLOBAL = 'fuel';
export const METER_CHECK_FUNCTION = 'out_of_fuel';
/** The runtime's import module: its functions never call back into module code. */
const RUNTIME_IMPORT_MODULE = 'rt';

/** A cursor over module bytes; shared with the loader's code verifier (src/loader/verify-code.ts). */
export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.bytes.length) throw malformed('unexpected end');
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) {
        // The fifth byte: at most four more bits.
        const last = this.u8();
        return (result | ((last & 0x0f) << 28)) >>> 0;
      }
    }
  }
  /** Skips a LEB of any width (signed immediates are copied, never decoded). */
  skipLeb(): void {
    while (this.u8() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length) throw malformed('unexpected end');
  }
  name(): string {
    const n = this.u32();
    const start = this.pos;
    this.skip(n);
    return new TextDecoder().decode(this.bytes.subarray(start, this.pos));
  }
}

function malformed(detail: string): WasmEncodeError {
  return new WasmEncodeError('WASM_RANGE', `cannot meter the module: ${detail}`);
}

interface Section {
  readonly id: number;
  readonly start: number;
  readonly end: number;
}

/** Returns a copy of `bytes` (a unit this compiler emitted) that charges fuel as described above. */
export function meterModule(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (r.pos < bytes.length) {
    const id = r.u8();
    const size = r.u32();
    sections.push({ id, start: r.pos, end: r.pos + size });
    r.skip(size);
  }
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);

  const typeSection = find(SectionId.type);
  const importSection = find(SectionId.import);
  // Every unit imports at least its memory, so both sections exist; another module is refused.
  if (!typeSection || !importSection) throw malformed('it has no type or import section');
  const checkType = new Reader(bytes, typeSection.start).u32();
  let importedFunctions = 0;
  let importedGlobals = 0;
  const leaf = new Set<number>();
  {
    const s = new Reader(bytes, importSection.start);
    for (let n = s.u32(); n > 0; n--) {
      const module = s.name();
      s.name();
      const kind = s.u8();
      if (kind === ExternalKind.func) {
        s.u32();
        if (module === RUNTIME_IMPORT_MODULE) leaf.add(importedFunctions);
        importedFunctions++;
      } else if (kind === ExternalKind.table) {
        s.u8();
        skipLimits(s);
      } else if (kind === ExternalKind.memory) {
        skipLimits(s);
      } else if (kind === ExternalKind.global) {
        s.skip(2);
        importedGlobals++;
      } else throw malformed(`unknown import kind ${kind}`);
    }
  }
  const checkFn = importedFunctions;
  const fuelGlobal = importedGlobals;
  const fn = (i: number): number => (i >= importedFunctions ? i + 1 : i);
  const global = (i: number): number => (i >= importedGlobals ? i + 1 : i);

  const out = new ByteWriter(bytes.length + bytes.length / 4 + 64);
  out.bytes(bytes.subarray(0, 8));
  const emit = (id: number, body: (w: ByteWriter) => void): void => {
    out.u8(id);
    const at = out.beginSized();
    body(out);
    out.endSized(at);
  };
  const copy = (s: Section): void => {
    out.u8(s.id).u32leb(s.end - s.start).bytes(bytes.subarray(s.start, s.end));
  };
  const bodies: BodyOffsets[] = [];
  let linesPayload: Uint8Array | undefined;
  for (const s of sections) {
    switch (s.id) {
      case SectionId.type:
        emit(s.id, (w) => {
          const rest = new Reader(bytes, s.start);
          w.u32leb(rest.u32() + 1).bytes(bytes.subarray(rest.pos, s.end));
          w.u8(0x60).u32leb(0).u32leb(0);
        });
        break;
      case SectionId.import:
        emit(s.id, (w) => {
          const rest = new Reader(bytes, s.start);
          w.u32leb(rest.u32() + 2).bytes(bytes.subarray(rest.pos, s.end));
          w.name(METER_MODULE).name(METER_FUEL_GLOBAL).u8(ExternalKind.global).u8(ValType.i64).u8(1);
          w.name(METER_MODULE).name(METER_CHECK_FUNCTION).u8(ExternalKind.func).u32leb(checkType);
        });
        break;
      case SectionId.global:
        emit(s.id, (w) => rewriteGlobals(bytes, s, w, global));
        break;
      case SectionId.export:
        emit(s.id, (w) => {
          const e = new Reader(bytes, s.start);
          const n = e.u32();
          w.u32leb(n);
          for (let i = 0; i < n; i++) {
            const name = e.name();
            const kind = e.u8();
            const index = e.u32();
            w.name(name).u8(kind).u32leb(kind === ExternalKind.func ? fn(index) : kind === ExternalKind.global ? global(index) : index);
          }
        });
        break;
      case SectionId.start:
        emit(s.id, (w) => w.u32leb(fn(new Reader(bytes, s.start).u32())));
        break;
      case SectionId.element:
        throw malformed('element segments are not supported');
      case SectionId.code:
        emit(s.id, (w) => meterCode(bytes, s, w, { fn, global, checkFn, fuelGlobal, leaf }, paramCountsOfDefined(bytes, typeSection, find(SectionId.function)), bodies));
        break;
      case SectionId.custom: {
        const c = new Reader(bytes, s.start);
        const name = c.name();
        // The line table records offsets of the code as it was: carried over below, re-based.
        if (name === LINES_SECTION) linesPayload = bytes.subarray(c.pos, s.end);
        if (name === RELOC_SECTION || name === LINES_SECTION) break;
        if (name === 'name') {
          emit(s.id, (w) => {
            w.name('name');
            rewriteNames(bytes, c.pos, s.end, w, fn);
          });
        } else copy(s);
        break;
      }
      default:
        copy(s);
    }
  }
  return carryLines(linesPayload, out.finish(), bodies, importedFunctions, fn);
}

function skipLimits(s: Reader): void {
  const flags = s.u8();
  s.u32();
  if (flags & 1) s.u32();
}

/** Parameter counts by function index of the defined functions (index 0 = first defined). */
function paramCountsOfDefined(bytes: Uint8Array, types: Section, functions: Section | undefined): number[] {
  const params: number[] = [];
  const t = new Reader(bytes, types.start);
  for (let n = t.u32(); n > 0; n--) {
    if (t.u8() !== 0x60) throw malformed('expected a function type');
    const p = t.u32();
    t.skip(p);
    params.push(p);
    t.skip(t.u32());
  }
  const out: number[] = [];
  if (functions) {
    const f = new Reader(bytes, functions.start);
    for (let n = f.u32(); n > 0; n--) out.push(params[f.u32()] ?? 0);
  }
  return out;
}

/** The global section with `global.get` in initializers renumbered. */
function rewriteGlobals(bytes: Uint8Array, s: Section, w: ByteWriter, global: (i: number) => number): void {
  const g = new Reader(bytes, s.start);
  const n = g.u32();
  w.u32leb(n);
  for (let i = 0; i < n; i++) {
    const typeAt = g.pos;
    g.skip(2);
    w.bytes(bytes.subarray(typeAt, g.pos));
    for (;;) {
      const at = g.pos;
      const op = g.u8();
      if (op === 0x0b) {
        w.u8(op);
        break;
      }
      if (op === 0x23) w.u8(op).u32leb(global(g.u32()));
      else {
        skipImmediates(g, op);
        w.bytes(bytes.subarray(at, g.pos));
      }
    }
  }
}

interface CodeMap {
  readonly fn: (i: number) => number;
  readonly global: (i: number) => number;
  readonly checkFn: number;
  readonly fuelGlobal: number;
  /** Imported functions that never call back into module code (the runtime's `rt.*`). */
  readonly leaf: ReadonlySet<number>;
}

/**
 * Meters each body. The counter lives in a local while the function runs and is written back to
 * the global before anything that may read it (a call into code that may be metered,
 * `out_of_fuel`) and whenever the function is left (`return`, a branch to its outermost label,
 * its final `end`), and read back after a call.
 *
 * A loop's charge is a register decrement and a branch out of the loop; the call to
 * `out_of_fuel` sits outside it, so the loop stays free of calls (V8 unrolls small innermost
 * loops only when they call nothing). A loop `loop bt … end` becomes
 *
 *     block bt                      ;; $exit
 *       loop                        ;; $retry
 *         block                     ;; $starved
 *           loop bt                 ;; the loop itself
 *             t -= 1; br_if $starved (t < 0)
 *             …                     ;; its body, branches past it renumbered (+3)
 *           end
 *           br $exit
 *         end
 *         fuel = t; out_of_fuel(); t = fuel + 1   ;; refill; the header charges again
 *         br $retry
 *       end
 *       unreachable
 *     end
 *
 * A loop whose block type is a type index (parameters) keeps the call inline in its header.
 */
function meterCode(bytes: Uint8Array, s: Section, w: ByteWriter, m: CodeMap, params: readonly number[], offsets: BodyOffsets[]): void {
  const c = new Reader(bytes, s.start);
  const n = c.u32();
  w.u32leb(n);
  for (let f = 0; f < n; f++) {
    const size = c.u32();
    const end = c.pos + size;
    const body = w.beginSized();
    const runs = new BodyOffsets(c.pos, body);
    offsets.push(runs);
    // Locals: the existing groups, then one i64 for the counter.
    const groups = c.u32();
    let locals = params[f] ?? 0;
    w.u32leb(groups + 1);
    for (let g = 0; g < groups; g++) {
      const count = c.u32();
      locals += count;
      w.u32leb(count).u8(c.u8());
    }
    w.u32leb(1).u8(ValType.i64);
    const t = locals;
    const store = (): void => {
      w.u8(0x20).u32leb(t).u8(0x24).u32leb(m.fuelGlobal);
    };
    const load = (): void => {
      w.u8(0x23).u32leb(m.fuelGlobal).u8(0x21).u32leb(t);
    };
    /** t -= 1, leaving `t < 0` on the stack. */
    const decrement = (): void => {
      w.u8(0x20).u32leb(t).u8(0x42).u8(1).u8(0x7d).u8(0x22).u32leb(t).u8(0x42).u8(0).u8(0x53);
    };
    const callCheck = (): void => {
      store();
      w.u8(0x10).u32leb(m.checkFn);
      load();
    };
    /** The charge with its call inline: if (t < 0) { out_of_fuel() } */
    const inlineCharge = (): void => {
      decrement();
      w.u8(0x04).u8(0x40);
      callCheck();
      w.u8(0x0b);
    };
    load();
    inlineCharge();
    // The original blocks open at this point, innermost last: how many labels the pass added
    // around each (3 around a rewritten loop, else 0).
    const open: number[] = [];
    /** A branch's new relative depth: past every label added around the blocks it leaves. */
    const depthOf = (d: number): number => {
      let extra = 0;
      for (let k = open.length - d; k < open.length; k++) extra += open[k];
      return d + extra;
    };
    const leavesFunction = (d: number): boolean => d === open.length;
    let from = c.pos;
    const flush = (upTo: number): void => {
      runs.run(from, w.length);
      w.bytes(bytes.subarray(from, upTo));
    };
    const branch = (at: number, op: number, d: number): void => {
      flush(at);
      if (leavesFunction(d)) store();
      w.u8(op).u32leb(depthOf(d));
      from = c.pos;
    };
    while (c.pos < end) {
      const at = c.pos;
      const op = c.u8();
      switch (op) {
        case 0x02: // block
        case 0x04: // if
          open.push(0);
          skipBlockType(c);
          break;
        case 0x03: {
          // loop: charge at the header, so every iteration pays
          const btAt = c.pos;
          skipBlockType(c);
          const bt = bytes.subarray(btAt, c.pos);
          flush(at);
          if (bt.length === 1) {
            w.u8(0x02).bytes(bt).u8(0x03).u8(0x40).u8(0x02).u8(0x40).u8(0x03).bytes(bt);
            decrement();
            w.u8(0x0d).u8(1);
            open.push(3);
          } else {
            w.u8(0x03).bytes(bt);
            inlineCharge();
            open.push(0);
          }
          from = c.pos;
          break;
        }
        case 0x0b: {
          // end
          if (open.length === 0) {
            flush(at);
            store();
            from = at;
            break;
          }
          const wrapped = open.pop() === 3;
          if (wrapped) {
            flush(c.pos);
            // …end of the loop; br $exit; end $starved; refill; br $retry; end $retry; unreachable; end $exit
            w.u8(0x0c).u8(2).u8(0x0b);
            callCheck();
            w.u8(0x20).u32leb(t).u8(0x42).u8(1).u8(0x7c).u8(0x21).u32leb(t);
            w.u8(0x0c).u8(0).u8(0x0b).u8(0x00).u8(0x0b);
            from = c.pos;
          }
          break;
        }
        case 0x0f: // return
          flush(at);
          store();
          from = at;
          break;
        case 0x0c: // br
        case 0x0d: // br_if
          branch(at, op, c.u32());
          break;
        case 0x0e: {
          // br_table
          const targets: number[] = [];
          for (let k = c.u32() + 1; k > 0; k--) targets.push(c.u32());
          flush(at);
          if (targets.some(leavesFunction)) store();
          w.u8(op).u32leb(targets.length - 1);
          for (const d of targets) w.u32leb(depthOf(d));
          from = c.pos;
          break;
        }
        case 0x10: {
          // call
          const callee = c.u32();
          flush(at);
          if (m.leaf.has(callee)) {
            w.u8(op).u32leb(m.fn(callee));
          } else {
            store();
            w.u8(op).u32leb(m.fn(callee));
            load();
          }
          from = c.pos;
          break;
        }
        case 0x11: // call_indirect
          c.u32();
          c.u32();
          flush(at);
          store();
          w.bytes(bytes.subarray(at, c.pos));
          load();
          from = c.pos;
          break;
        case 0x12: // return_call
          flush(at);
          store();
          w.u8(op).u32leb(m.fn(c.u32()));
          from = c.pos;
          break;
        case 0x13: // return_call_indirect
          c.u32();
          c.u32();
          flush(at);
          store();
          from = at;
          break;
        case 0xd2: // ref.func
          flush(at);
          w.u8(op).u32leb(m.fn(c.u32()));
          from = c.pos;
          break;
        case 0x23: // global.get
        case 0x24: // global.set
          flush(at);
          w.u8(op).u32leb(m.global(c.u32()));
          from = c.pos;
          break;
        default:
          skipImmediates(c, op);
      }
    }
    if (c.pos !== end) throw malformed(`function body ${f} does not end where its size says`);
    flush(end);
    w.endSized(body);
  }
}

function skipBlockType(r: Reader): void {
  const b = r.bytes[r.pos];
  if (b === 0x40 || b === 0x7f || b === 0x7e || b === 0x7d || b === 0x7c || b === 0x7b || b === 0x70 || b === 0x6f) r.pos++;
  else r.skipLeb();
}

/** Moves past the immediates of `op` (already read). */
export function skipImmediates(r: Reader, op: number): void {
  if (op >= 0x28 && op <= 0x3e) {
    r.u32();
    r.u32();
    return;
  }
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
      skipBlockType(r);
      return;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
      r.u32();
      return;
    case 0x0e:
      for (let n = r.u32() + 1; n > 0; n--) r.u32();
      return;
    case 0x11:
    case 0x13:
      r.u32();
      r.u32();
      return;
    case 0x1c:
      r.skip(r.u32());
      return;
    case 0x3f:
    case 0x40:
    case 0xd0:
      r.u8();
      return;
    case 0x41:
    case 0x42:
      r.skipLeb();
      return;
    case 0x43:
      r.skip(4);
      return;
    case 0x44:
      r.skip(8);
      return;
    case 0xfc:
      skipFc(r, r.u32());
      return;
    case 0xfd:
      skipSimd(r, r.u32());
      return;
    case 0x06: // try, catch, throw, rethrow, delegate, catch_all, try_table (exceptions)
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x18:
    case 0x19:
    case 0x1f:
    case 0xfb: // GC
    case 0xfe: // threads
      // Instructions this compiler does not emit: refused rather than misread.
      throw malformed(`unsupported instruction 0x${op.toString(16)}`);
    default:
      return;
  }
}

function skipFc(r: Reader, sub: number): void {
  if (sub <= 7) return;
  switch (sub) {
    case 8: // memory.init data mem
    case 12: // table.init elem table
    case 14: // table.copy dst src
      r.u32();
      r.u32();
      return;
    case 10: // memory.copy dst src
      r.u8();
      r.u8();
      return;
    case 11: // memory.fill mem
      r.u8();
      return;
    default: // data.drop, elem.drop, table.grow/size/fill
      r.u32();
  }
}

function skipSimd(r: Reader, sub: number): void {
  if (sub <= 11 || sub === 92 || sub === 93) {
    r.u32();
    r.u32();
  } else if (sub === 12 || sub === 13) {
    r.skip(16);
  } else if (sub >= 21 && sub <= 34) {
    r.u8();
  } else if (sub >= 84 && sub <= 91) {
    r.u32();
    r.u32();
    r.u8();
  }
}

/** The name section with function indices renumbered (function names, local names). */
function rewriteNames(bytes: Uint8Array, start: number, end: number, w: ByteWriter, fn: (i: number) => number): void {
  const r = new Reader(bytes, start);
  while (r.pos < end) {
    const id = r.u8();
    const size = r.u32();
    const subEnd = r.pos + size;
    if (id !== 1 && id !== 2) {
      w.u8(id).u32leb(size).bytes(bytes.subarray(r.pos, subEnd));
      r.pos = subEnd;
      continue;
    }
    w.u8(id);
    const at = w.beginSized();
    const n = r.u32();
    w.u32leb(n);
    for (let i = 0; i < n; i++) {
      w.u32leb(fn(r.u32()));
      if (id === 1) {
        const from = r.pos;
        r.skip(r.u32());
        w.bytes(bytes.subarray(from, r.pos));
      } else {
        // An indirect name map: the function's locals, names copied as they are.
        const from = r.pos;
        for (let k = r.u32(); k > 0; k--) {
          r.u32();
          r.skip(r.u32());
        }
        w.bytes(bytes.subarray(from, r.pos));
      }
    }
    w.endSized(at);
    r.pos = subEnd;
  }
}
