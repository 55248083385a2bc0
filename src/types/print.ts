/**
 * The one printer of types. The surface syntax (`Pair<i64, [text]>`), its compact form used in
 * mangled names (`Pair<i64,[text]>`), and map keys (compact, with params marked `'T` so that the
 * param `T` and a struct named `T` differ) are all this printer with different punctuation.
 */
import type { Type } from './type.js';

export interface PrintStyle {
  readonly comma: string;
  readonly arrow: string;
  /** Written before a type parameter's name. */
  readonly paramPrefix: string;
}

export const SURFACE: PrintStyle = { comma: ', ', arrow: ' -> ', paramPrefix: '' };
export const COMPACT: PrintStyle = { comma: ',', arrow: '->', paramPrefix: '' };
export const KEY: PrintStyle = { comma: ',', arrow: '->', paramPrefix: "'" };

export function printType(t: Type, s: PrintStyle): string {
  const list = (ts: readonly Type[]): string => ts.map((x) => printType(x, s)).join(s.comma);
  switch (t.kind) {
    case 'int':
      return (t.signed ? 'i' : 'u') + t.bits;
    case 'float':
      return 'f' + t.bits;
    case 'bool':
      return 'bool';
    case 'string':
      return 'text';
    case 'unit':
      return '()';
    case 'named':
      return t.args.length === 0 ? t.name : `${t.name}<${list(t.args)}>`;
    case 'array':
      return `[${printType(t.elem, s)}]`;
    case 'tuple':
      return t.elems.length === 1 ? `(${printType(t.elems[0], s)},)` : `(${list(t.elems)})`;
    case 'simd':
      return `${printType(t.elem, s)}x${t.lanes}`;
    case 'param':
      return s.paramPrefix + t.name;
    case 'var':
      return `?${t.id}`;
    case 'fn':
      return `fn(${list(t.params)})${s.arrow}${printType(t.ret, s)}`;
  }
}
