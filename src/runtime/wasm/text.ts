/**
 * Text, in WebAssembly: immutable `[len: u32][UTF-8 bytes]` objects. No operation returns one of
 * its inputs (concatenating with an empty text still copies), and the only shared results are
 * static texts that `free` ignores, so a caller may free any temporary it got from here.
 */
import { BlockType, ValType } from '../../compiler/wasm/index.js';
import type { FunctionBuilder } from '../../compiler/wasm/index.js';
import { TEXT_HEADER } from '../../compiler/layout.js';
import { BLOCK_HEADER, CLASS_MASK, CLASS_SIZE_TABLE, FALSE_TEXT, SCRATCH, SCRATCH_SIZE, TRUE_TEXT } from '../memory-layout.js';
import type { RuntimeContext } from './context.js';

const I32 = ValType.i32;
const I64 = ValType.i64;
const BYTES = TEXT_HEADER.size;

/** `(a, b, site) -> text`. */
export function emitTextConcat(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn } = cx;
  const a = 0;
  const b = 1;
  const site = 2;
  const la = f.addLocal(I32, 'len_a');
  const lb = f.addLocal(I32, 'len_b');
  const r = f.addLocal(I32, 'result');

  f.localGet(a).i32Load(TEXT_HEADER.len).localSet(la);
  f.localGet(b).i32Load(TEXT_HEADER.len).localSet(lb);
  f.localGet(la).i64ExtendI32U().localGet(lb).i64ExtendI32U().i64Add().i64Const(BYTES).i64Add();
  f.localGet(site).call(fn.checkedSize).localGet(site).call(fn.alloc).localTee(r);
  f.localGet(la).localGet(lb).i32Add().i32Store(TEXT_HEADER.len);
  f.localGet(r).i32Const(BYTES).i32Add().localGet(a).i32Const(BYTES).i32Add().localGet(la).memoryCopy();
  f.localGet(r).i32Const(BYTES).i32Add().localGet(la).i32Add();
  f.localGet(b).i32Const(BYTES).i32Add().localGet(lb).memoryCopy();
  f.localGet(r);
}

/**
 * `text_append(s, b, site) -> text`: `s + b` for a text nothing but the caller's local refers to
 * (the compiler proves it: src/compiler/lower/text-append.ts). When `s` is a heap block whose
 * size class has room for the new length, `b` is copied in after it and its length updated;
 * else the result gets a block with half as much again to spare — so appending in a loop
 * copies each byte a bounded number of times, not once per append — and `s`'s block, if it is
 * one, is freed (after `b` was copied: `b` may be `s`).
 */
export function emitTextAppend(f: FunctionBuilder, cx: RuntimeContext): void {
  const { fn } = cx;
  const s = 0;
  const b = 1;
  const site = 2;
  const ls = f.addLocal(I32, 'len_s');
  const lb = f.addLocal(I32, 'len_b');
  const heap = f.addLocal(I32, 'heap');
  const total = f.addLocal(I64, 'total');
  const r = f.addLocal(I32, 'result');

  f.localGet(s).i32Load(TEXT_HEADER.len).localSet(ls);
  f.localGet(b).i32Load(TEXT_HEADER.len).localTee(lb).i32Eqz().if_();
  f.localGet(s).return_();
  f.end();
  f.localGet(ls).i64ExtendI32U().localGet(lb).i64ExtendI32U().i64Add().localSet(total);
  f.localGet(s).call(fn.isBlock).localTee(heap).if_();
  // Room in the block: its class's size less the block and text headers.
  f.localGet(total).i64Const(BYTES + BLOCK_HEADER);
  f.i64Add();
  f.localGet(s).i32Const(BLOCK_HEADER).i32Sub().i32Load(0).i32Const(CLASS_MASK).i32And().i32Const(2).i32Shl().i32Load(CLASS_SIZE_TABLE).i64ExtendI32U();
  f.i64LeU().if_();
  f.localGet(s).i32Const(BYTES).i32Add().localGet(ls).i32Add().localGet(b).i32Const(BYTES).i32Add().localGet(lb).memoryCopy();
  f.localGet(s).localGet(total).i32WrapI64().i32Store(TEXT_HEADER.len);
  f.localGet(s).return_();
  f.end();
  f.end();
  // A new block: the text, and half its length again to grow into.
  f.localGet(total).localGet(total).i64Const(1).i64ShrU().i64Add().i64Const(BYTES).i64Add();
  f.localGet(site).call(fn.checkedSize).localGet(site).call(fn.alloc).localTee(r);
  f.localGet(total).i32WrapI64().i32Store(TEXT_HEADER.len);
  f.localGet(r).i32Const(BYTES).i32Add().localGet(s).i32Const(BYTES).i32Add().localGet(ls).memoryCopy();
  f.localGet(r).i32Const(BYTES).i32Add().localGet(ls).i32Add();
  f.localGet(b).i32Const(BYTES).i32Add().localGet(lb).memoryCopy();
  f.localGet(heap).if_();
  f.localGet(s).call(fn.free);
  f.end();
  f.localGet(r);
}

/**
 * `(pa, pb, n) -> -1 | 0 | 1`: byte ranges compared as unsigned bytes. Eight bytes at a time;
 * loads are little-endian, so the first differing byte is the lowest differing one, found with ctz.
 */
export function emitBytesCmp(f: FunctionBuilder): void {
  const pa = 0;
  const pb = 1;
  const n = 2;
  const i = f.addLocal(I32, 'i');
  const x = f.addLocal(I64, 'x');
  const y = f.addLocal(I64, 'y');
  const shift = f.addLocal(I64, 'shift');
  const bx = f.addLocal(I32, 'bx');
  const by = f.addLocal(I32, 'by');

  const orderOf = (): void => {
    // bx, by are distinct here.
    f.i32Const(-1).i32Const(1).localGet(bx).localGet(by).i32LtU().select().return_();
  };

  f.block().loop();
  {
    f.localGet(n).localGet(i).i32Sub().i32Const(8).i32LtU().brIf(1);
    f.localGet(pa).localGet(i).i32Add().i64Load(0, 0).localTee(x);
    f.localGet(pb).localGet(i).i32Add().i64Load(0, 0).localTee(y);
    f.i64Ne().if_();
    f.localGet(x).localGet(y).i64Xor().i64Ctz().i64Const(56).i64And().localSet(shift);
    f.localGet(x).localGet(shift).i64ShrU().i32WrapI64().i32Const(0xff).i32And().localSet(bx);
    f.localGet(y).localGet(shift).i64ShrU().i32WrapI64().i32Const(0xff).i32And().localSet(by);
    orderOf();
    f.end();
    f.localGet(i).i32Const(8).i32Add().localSet(i);
    f.br(0);
  }
  f.end().end();

  f.block().loop();
  {
    f.localGet(i).localGet(n).i32GeU().brIf(1);
    f.localGet(pa).localGet(i).i32Add().i32Load8U().localTee(bx);
    f.localGet(pb).localGet(i).i32Add().i32Load8U().localTee(by);
    f.i32Ne().if_();
    orderOf();
    f.end();
    f.localGet(i).i32Const(1).i32Add().localSet(i);
    f.br(0);
  }
  f.end().end();
  f.i32Const(0);
}

/** `(a, b) -> -1 | 0 | 1`: a proper prefix orders first. */
export function emitTextCmp(f: FunctionBuilder, cx: RuntimeContext): void {
  const a = 0;
  const b = 1;
  const la = f.addLocal(I32, 'len_a');
  const lb = f.addLocal(I32, 'len_b');
  const c = f.addLocal(I32, 'c');

  f.localGet(a).i32Load(TEXT_HEADER.len).localSet(la);
  f.localGet(b).i32Load(TEXT_HEADER.len).localSet(lb);
  f.localGet(a).i32Const(BYTES).i32Add().localGet(b).i32Const(BYTES).i32Add();
  f.localGet(la).localGet(lb).localGet(la).localGet(lb).i32LtU().select();
  f.call(cx.fn.bytesCmp).localTee(c).if_();
  f.localGet(c).return_();
  f.end();
  f.localGet(la).localGet(lb).i32GtU().localGet(la).localGet(lb).i32LtU().i32Sub();
}

/** `(a, b) -> 0 | 1`. */
export function emitTextEq(f: FunctionBuilder, cx: RuntimeContext): void {
  const a = 0;
  const b = 1;
  const len = f.addLocal(I32, 'len');

  f.localGet(a).localGet(b).i32Eq().if_();
  f.i32Const(1).return_();
  f.end();
  f.localGet(a).i32Load(TEXT_HEADER.len).localTee(len).localGet(b).i32Load(TEXT_HEADER.len).i32Ne().if_();
  f.i32Const(0).return_();
  f.end();
  f.localGet(a).i32Const(BYTES).i32Add().localGet(b).i32Const(BYTES).i32Add().localGet(len);
  f.call(cx.fn.bytesCmp).i32Eqz();
}

/** `(magnitude: i64, negative, site) -> text`: digits go backwards into the scratch area first. */
export function emitFormatU64(f: FunctionBuilder, cx: RuntimeContext): void {
  const mag = 0;
  const negative = 1;
  const site = 2;
  const p = f.addLocal(I32, 'p');
  const len = f.addLocal(I32, 'len');
  const r = f.addLocal(I32, 'result');
  const end = SCRATCH + SCRATCH_SIZE;

  f.i32Const(end).localSet(p);
  f.loop();
  f.localGet(p).i32Const(1).i32Sub().localTee(p);
  f.localGet(mag).i64Const(10).i64RemU().i32WrapI64().i32Const(48).i32Add().i32Store8();
  f.localGet(mag).i64Const(10).i64DivU().localTee(mag).i64Const(0).i64Ne().brIf(0);
  f.end();
  f.localGet(negative).if_();
  f.localGet(p).i32Const(1).i32Sub().localTee(p).i32Const(45).i32Store8();
  f.end();

  f.i32Const(end).localGet(p).i32Sub().localTee(len);
  f.i32Const(BYTES).i32Add().localGet(site).call(cx.fn.alloc).localTee(r);
  f.localGet(len).i32Store(TEXT_HEADER.len);
  f.localGet(r).i32Const(BYTES).i32Add().localGet(p).localGet(len).memoryCopy();
  f.localGet(r);
}

/** `(v: i64, site) -> text`. 0 - v is the right magnitude even for i64 min, read as unsigned. */
export function emitTextFromI64(f: FunctionBuilder, cx: RuntimeContext): void {
  f.localGet(0).i64Const(0).i64LtS().if_(BlockType.i64);
  f.i64Const(0).localGet(0).i64Sub();
  f.else_();
  f.localGet(0);
  f.end();
  f.localGet(0).i64Const(0).i64LtS().localGet(1).call(cx.fn.formatU64);
}

/** `(v: i64, site) -> text`. */
export function emitTextFromU64(f: FunctionBuilder, cx: RuntimeContext): void {
  f.localGet(0).i32Const(0).localGet(1).call(cx.fn.formatU64);
}

/** `(b) -> text`: the runtime's static texts, so printing or interpolating a bool never allocates. */
export function emitTextFromBool(f: FunctionBuilder): void {
  f.i32Const(TRUE_TEXT).i32Const(FALSE_TEXT).localGet(0).select();
}
