/**
 * The TemplateCode section ("GTPL") in the layout of the original Simple writer, read for
 * display (`smf inspect`); this toolchain writes its own entry layout (compiler/interface/
 * templates.ts) and cannot instantiate these.
 *
 *   "GTPL", u16 version, u32 count, then `count` entries back to back, no length prefix;
 *   entry: u8 kind (0 function, 1 struct, 2 class, 3 enum, 4 trait), then by kind:
 *     function  name; params <>; params (list); return type (optional); body (list);
 *               u8 is_generic_template; specialization_of (optional); type_bindings (dict)
 *     struct    name; params <>; fields (list); u8 flag; specialization_of; type_bindings
 *     class     name; params <>; fields (list); methods (list); u8 flag; specialization_of; type_bindings
 *     enum      name; params <>; variants (list); u8 flag; specialization_of; type_bindings
 *     trait     name; params <>; methods (list); u8 flag
 *   string = u32 length + UTF-8; list = u32 count + strings; params <> = u8 count + strings;
 *   optional = 0x00 | 0x01 + string; dict = u32 count + (key, value) strings.
 *
 * A symbol's `template_offset` is the offset of its entry's kind byte.
 */
import { SimpleError } from '../errors.js';
import { hex } from './errors.js';

export const ORIGINAL_TEMPLATE_KINDS = ['function', 'struct', 'class', 'enum', 'trait'] as const;
export type OriginalTemplateKind = (typeof ORIGINAL_TEMPLATE_KINDS)[number];

export interface OriginalTemplate {
  /** Offset of the entry (its kind byte) in the section. */
  readonly offset: number;
  readonly kind: OriginalTemplateKind;
  readonly name: string;
  readonly genericParams: readonly string[];
  /** Function parameters, or struct/class fields, or enum variants, as written. */
  readonly members: readonly string[];
  readonly methods: readonly string[];
  readonly returnType: string | null;
  /** Function body statements, as text. */
  readonly body: readonly string[];
  readonly isGenericTemplate: boolean;
  readonly specializationOf: string | null;
  readonly typeBindings: Readonly<Record<string, string>>;
}

/** A section that is not in the original writer's layout, with the section offset where it breaks. */
export class OriginalTemplateError extends SimpleError {
  readonly code = 'SMF_BAD_TEMPLATE';
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`template_code: ${detail} at section offset ${hex(offset)}`);
  }
}

/** Decodes every entry; throws OriginalTemplateError when the bytes do not follow the layout. */
export function decodeOriginalTemplates(data: Uint8Array): OriginalTemplate[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let at = 0;
  const need = (n: number, what: string): void => {
    if (at + n > data.length) throw new OriginalTemplateError(at, `${what} runs past the end of the section (${data.length} bytes)`);
  };
  const u8 = (what: string): number => {
    need(1, what);
    return data[at++];
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const str = (what: string): string => {
    const n = u32(`${what} length`);
    need(n, what);
    const start = at;
    at += n;
    try {
      return utf8.decode(data.subarray(start, at));
    } catch {
      throw new OriginalTemplateError(start, `${what} is not UTF-8`);
    }
  };
  const count = (n: number, what: string): number => {
    // Each element takes at least 4 bytes: a count larger than what is left is not a count.
    if (n * 4 > data.length - at) throw new OriginalTemplateError(at, `${what}: ${n} entries cannot fit in the ${data.length - at} bytes left`);
    return n;
  };
  const list = (what: string): string[] => Array.from({ length: count(u32(`${what} count`), what) }, () => str(what));
  const params = (): string[] => Array.from({ length: count(u8('generic parameter count'), 'generic parameters') }, () => str('generic parameter'));
  const optional = (what: string): string | null => {
    const tag = u8(what);
    if (tag > 1) throw new OriginalTemplateError(at - 1, `${what}: optional tag ${tag} is neither 0 nor 1`);
    return tag === 1 ? str(what) : null;
  };
  const dict = (what: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let n = count(u32(`${what} count`), what); n > 0; n--) out[str(`${what} key`)] = str(`${what} value`);
    return out;
  };

  need(10, 'header');
  if (String.fromCharCode(...data.subarray(0, 4)) !== 'GTPL') throw new OriginalTemplateError(0, 'no GTPL magic');
  at = 6;
  const total = u32('template count');
  const out: OriginalTemplate[] = [];
  for (let i = 0; i < total; i++) {
    const offset = at;
    const k = u8('kind');
    const kind = ORIGINAL_TEMPLATE_KINDS[k];
    if (!kind) throw new OriginalTemplateError(offset, `entry ${i}: kind ${k} is not 0..4`);
    const name = str('name');
    const genericParams = params();
    let members: string[] = [];
    let methods: string[] = [];
    let returnType: string | null = null;
    let body: string[] = [];
    if (kind === 'function') {
      members = list('parameters');
      returnType = optional('return type');
      body = list('body');
    } else if (kind === 'struct' || kind === 'class') {
      members = list('fields');
      if (kind === 'class') methods = list('methods');
    } else if (kind === 'enum') {
      members = list('variants');
    } else {
      methods = list('methods');
    }
    const flag = u8('flag');
    const specializationOf = kind === 'trait' ? null : optional('specialization_of');
    const typeBindings = kind === 'trait' ? {} : dict('type_bindings');
    out.push({ offset, kind, name, genericParams, members, methods, returnType, body, isGenericTemplate: flag !== 0, specializationOf, typeBindings });
  }
  if (at !== data.length) throw new OriginalTemplateError(at, `${data.length - at} bytes after the last of ${total} entries`);
  return out;
}

/** One line for an entry: `fn max<T>(a: T, b: T) -> T`, `struct Pair<A, B> { a: A, b: B }`. */
export function originalTemplateSignature(t: OriginalTemplate): string {
  const generics = t.genericParams.length ? `<${t.genericParams.join(', ')}>` : '';
  switch (t.kind) {
    case 'function':
      return `fn ${t.name}${generics}(${t.members.join(', ')})${t.returnType ? ` -> ${t.returnType}` : ''} (${t.body.length} statements)`;
    case 'enum':
      return `enum ${t.name}${generics} { ${t.members.join(', ')} }`;
    case 'trait':
      return `trait ${t.name}${generics} (${t.methods.length} methods)`;
    default:
      return `${t.kind} ${t.name}${generics} { ${t.members.join(', ')} }${t.methods.length ? ` (${t.methods.length} methods)` : ''}`;
  }
}
