/** Building text at run time: string interpolation and the conversion of values to text. */
import { ValType } from '../wasm/index.js';
import type { FunctionBuilder } from '../wasm/index.js';
import type { IrExpr } from '../ir.js';
import type { RuntimeFunctionName } from '../runtime-abi.js';
import { toI64 } from './casts.js';
import type { TempLocals } from './temps.js';

/** What text building needs from the function being lowered. */
export interface TextContext {
  readonly f: FunctionBuilder;
  readonly temps: TempLocals;
  expr(e: IrExpr): void;
  /** Pushes this function's name: runtime calls that can fail take it to say where they failed. */
  pushSite(): void;
  callRuntime(name: RuntimeFunctionName): void;
  /** Whether evaluating `e` may reach a safepoint (docs/memory.md). */
  mayCollect(e: IrExpr): boolean;
  /** Copies the pointer in `local` into a shadow-stack slot; returns the slot. */
  rootLocal(local: number): number;
  unroot(slot: number): void;
}

/**
 * Text interpolation: each part becomes text, then the parts are joined left to right.
 * Intermediate results and converted numbers are freed as soon as they are joined; text
 * literals and text values are never freed (they may be static or shared).
 */
export function interpolate(ctx: TextContext, parts: readonly IrExpr[]): void {
  const f = ctx.f;
  const acc = ctx.temps.take(ValType.i32);
  const part = ctx.temps.take(ValType.i32);
  const next = ctx.temps.take(ValType.i32);
  let accIsTemp = false;
  // Whether a part after each one may collect: the text built so far must then be a root.
  const collectsAfter = new Array<boolean>(parts.length);
  for (let i = parts.length - 1, later = false; i >= 0; i--) {
    collectsAfter[i] = later;
    later ||= ctx.mayCollect(parts[i]);
  }
  let slot = -1;
  parts.forEach((p, i) => {
    const converted = toText(ctx, p);
    if (i === 0) {
      f.localSet(acc);
      accIsTemp = converted;
      if (collectsAfter[0]) slot = ctx.rootLocal(acc);
      return;
    }
    f.localSet(part);
    f.localGet(acc).localGet(part);
    ctx.pushSite();
    ctx.callRuntime('text_concat');
    f.localSet(next);
    if (accIsTemp) {
      f.localGet(acc);
      ctx.callRuntime('free');
    }
    if (converted) {
      f.localGet(part);
      ctx.callRuntime('free');
    }
    f.localGet(next).localSet(acc);
    accIsTemp = true;
    if (slot >= 0) ctx.unroot(slot);
    slot = collectsAfter[i] ? ctx.rootLocal(acc) : -1;
  });
  f.localGet(acc);
  ctx.temps.release(ValType.i32, next);
  ctx.temps.release(ValType.i32, part);
  ctx.temps.release(ValType.i32, acc);
}

/** Pushes `e` as text; returns whether the text was freshly allocated by a conversion. */
function toText(ctx: TextContext, e: IrExpr): boolean {
  const f = ctx.f;
  ctx.expr(e);
  const t = e.type;
  switch (t.kind) {
    case 'string':
      return false;
    case 'bool':
      ctx.callRuntime('text_from_bool');
      return false;
    case 'float':
      ctx.pushSite();
      ctx.callRuntime(t.bits === 64 ? 'text_from_f64' : 'text_from_f32');
      return true;
    case 'int':
      toI64(f, t);
      ctx.pushSite();
      ctx.callRuntime(t.bits === 64 && !t.signed ? 'text_from_u64' : 'text_from_i64');
      return true;
    default:
      throw new Error(`internal: cannot make text of ${t.kind}`);
  }
}
