/**
 * Scratch locals of a function body. A temporary is returned once its value is used, so later
 * code reuses it instead of growing the function's local list.
 */
import type { FunctionBuilder, ValType } from '../wasm/index.js';

export class TempLocals {
  private readonly free = new Map<ValType, number[]>();

  constructor(private readonly f: FunctionBuilder) {}

  take(v: ValType): number {
    return this.free.get(v)?.pop() ?? this.f.addLocal(v);
  }

  release(v: ValType, index: number): void {
    let list = this.free.get(v);
    if (!list) this.free.set(v, (list = []));
    list.push(index);
  }
}
