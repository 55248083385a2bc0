import type { FnDef, StructDef } from '../compiler/program.js';
import { typeToString } from '../types/index.js';
import { LoadError } from './errors.js';

/** What a reload compares: the old module's definitions and the new ones. */
export interface ModuleShape {
  readonly path: string;
  readonly structs: readonly StructDef[];
  readonly fns: readonly FnDef[];
}

/** Refuses a reload that would break running code: a changed signature or struct layout. */
export function checkCompatible(old: ModuleShape, next: ModuleShape): void {
  const sig = (f: FnDef): string => `(${f.params.map((p) => typeToString(p.type)).join(', ')}) -> ${typeToString(f.ret)}`;
  const nextFns = new Map(next.fns.map((f) => [f.symbol, f]));
  for (const f of old.fns) {
    if (!f.exported) continue;
    const g = nextFns.get(f.symbol);
    if (!g) throw new LoadError('LOAD_SIGNATURE_CHANGED', `reload refused: function '${f.symbol}' was removed; the old code keeps running`, next.path, f.symbol);
    if (sig(f) !== sig(g) || f.typeParams.join() !== g.typeParams.join() || f.receiver !== g.receiver) {
      throw new LoadError('LOAD_SIGNATURE_CHANGED', `reload refused: the signature of '${f.symbol}' changed from ${sig(f)} to ${sig(g)}; the old code keeps running`, next.path, f.symbol);
    }
  }
  const nextStructs = new Map(next.structs.map((s) => [s.name, s]));
  const layout = (s: StructDef): string => `<${s.typeParams.join(', ')}>{${s.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')}}`;
  for (const s of old.structs) {
    const t = nextStructs.get(s.name);
    if (!t || layout(s) !== layout(t)) {
      throw new LoadError('LOAD_SIGNATURE_CHANGED', `reload refused: struct '${s.name}' changed from ${layout(s)} to ${t ? layout(t) : 'nothing'}; values of it live on the heap; the old code keeps running`, next.path, s.name);
    }
  }
}

