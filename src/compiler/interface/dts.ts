/**
 * The TypeScript declarations of a module as the Node import hooks (src/node) expose it:
 * `smf compile --dts` writes them beside the SMF, so `import { add } from './lib.smf'` is typed.
 * 64-bit integers are `bigint`, other numbers `number`, `text` is `string`, heap values
 * (arrays, structs, tuples) are opaque `HeapHandle`s; a generic function or struct takes its
 * type arguments through `.of(...)` (docs/embedding.md).
 */
import { parseType } from '../../types/index.js';
import type { Type } from '../../types/index.js';
import type { ExportShape, FnShape, StructShape } from './export-shape.js';

/** The declaration file's name for an SMF file: `lib.smf` → `lib.d.smf.ts`, as TypeScript looks for it. */
export function dtsPathFor(smfPath: string): string {
  return smfPath.replace(/\.smf$/, '') + '.d.smf.ts';
}

export function writeDts(shape: ExportShape): string {
  const lines = [
    `// Types of the Simple module '${shape.module}' as imported from Node (simple-smf/register).`,
    '// Written by `smf compile --dts`; see docs/embedding.md.',
    "import type { HeapHandle } from 'simple-smf';",
    '',
  ];
  let n = 0;
  const declare = (name: string, type: string): void => {
    if (RESERVED.has(name)) {
      const local = `__simple_export_${n++}`;
      lines.push(`declare const ${local}: ${type};`, `export { ${local} as ${JSON.stringify(name)} };`);
    } else {
      lines.push(`export declare const ${name}: ${type};`);
    }
  };
  for (const f of shape.functions) declare(f.name, fnType(f, []));
  for (const s of shape.structs) declare(s.name, structType(s));
  return lines.join('\n') + '\n';
}

function fnType(f: FnShape, givenParams: readonly string[]): string {
  const open = f.typeParams.filter((p) => !givenParams.includes(p));
  const self = f.receiver === 'fn' || f.receiver === 'me' ? ['self: HeapHandle'] : [];
  const params = [...self, ...f.params.map((p) => `${safeParam(p.name)}: ${tsType(p.type, f.typeParams)}`)];
  const call = `(${params.join(', ')}) => ${tsType(f.ret, f.typeParams)}`;
  if (open.length === 0) return call;
  return `{ of(${open.map((p) => `${p}: string`).join(', ')}): ${call} }`;
}

function structType(s: StructShape): string {
  const members = s.methods.map((m) => `readonly ${safeKey(m.name)}: ${fnType(m, s.typeParams)}`);
  // An instance's name has its type arguments: `Stack<i64>`.
  const body = `{ ${[`readonly name: ${s.typeParams.length ? 'string' : JSON.stringify(s.name)}`, ...members].join('; ')} }`;
  if (s.typeParams.length === 0) return body;
  return `{ readonly name: ${JSON.stringify(s.name)}; of(${s.typeParams.map((p) => `${p}: string`).join(', ')}): ${body} }`;
}

/** A Simple type (as written) as the host sees its values. */
export function tsType(text: string, typeParams: readonly string[]): string {
  return tsOf(parseType(text), typeParams);
}

function tsOf(t: Type, typeParams: readonly string[]): string {
  switch (t.kind) {
    case 'int':
      return t.bits === 64 ? 'bigint' : 'number';
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'string':
      return 'string';
    case 'unit':
      return 'void';
    case 'param':
      return 'unknown';
    case 'named':
      return typeParams.includes(t.name) ? 'unknown' : 'HeapHandle';
    case 'simd':
      return 'never';
    default:
      return 'HeapHandle';
  }
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(' '),
);

function safeParam(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

function safeKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
