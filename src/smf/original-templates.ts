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
 * A symbol's `template_offset` is the offset of its entry's kind byte. The writer's
 * `template_meta` section ("META") is read here too.
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
    /** `template_code` or `template_meta`. */
    readonly section: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${section}: ${detail} at section offset ${hex(offset)}`);
  }
}

/** Reads the original serializer's encodings, bounds-checked, naming what runs past the end. */
class Cursor {
  at = 0;
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly data: Uint8Array,
    private readonly section: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  fail(at: number, detail: string): never {
    throw new OriginalTemplateError(this.section, at, detail);
  }

  private need(n: number, what: string): void {
    if (this.at + n > this.data.length) this.fail(this.at, `${what} runs past the end of the section (${this.data.length} bytes)`);
  }

  magic(text: string): void {
    this.need(text.length + 2, 'header');
    if (String.fromCharCode(...this.data.subarray(0, text.length)) !== text) this.fail(0, `no ${text} magic`);
    this.at = text.length + 2; // the magic and the u16 version
  }

  u8(what: string): number {
    this.need(1, what);
    return this.data[this.at++];
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  str(what: string): string {
    const n = this.u32(`${what} length`);
    this.need(n, what);
    const start = this.at;
    this.at += n;
    try {
      return this.utf8.decode(this.data.subarray(start, this.at));
    } catch {
      return this.fail(start, `${what} is not UTF-8`);
    }
  }

  /** A count of elements of at least `size` bytes each: one larger than what is left is not a count. */
  count(n: number, what: string, size = 4): number {
    if (n * size > this.data.length - this.at) this.fail(this.at, `${what}: ${n} entries cannot fit in the ${this.data.length - this.at} bytes left`);
    return n;
  }

  list(what: string): string[] {
    return Array.from({ length: this.count(this.u32(`${what} count`), what) }, () => this.str(what));
  }

  params(): string[] {
    return Array.from({ length: this.count(this.u8('generic parameter count'), 'generic parameters') }, () => this.str('generic parameter'));
  }

  optional(what: string): string | null {
    const tag = this.u8(what);
    if (tag > 1) this.fail(this.at - 1, `${what}: optional tag ${tag} is neither 0 nor 1`);
    return tag === 1 ? this.str(what) : null;
  }

  dict(what: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (let n = this.count(this.u32(`${what} count`), what, 8); n > 0; n--) out[this.str(`${what} key`)] = this.str(`${what} value`);
    return out;
  }

  end(what: string): void {
    if (this.at !== this.data.length) this.fail(this.at, `${this.data.length - this.at} bytes after ${what}`);
  }
}

/** Decodes every entry; throws OriginalTemplateError when the bytes do not follow the layout. */
export function decodeOriginalTemplates(data: Uint8Array): OriginalTemplate[] {
  const c = new Cursor(data, 'template_code');
  c.magic('GTPL');
  const total = c.u32('template count');
  const out: OriginalTemplate[] = [];
  for (let i = 0; i < total; i++) {
    const offset = c.at;
    const k = c.u8('kind');
    const kind = ORIGINAL_TEMPLATE_KINDS[k];
    if (!kind) c.fail(offset, `entry ${i}: kind ${k} is not 0..4`);
    const name = c.str('name');
    const genericParams = c.params();
    let members: string[] = [];
    let methods: string[] = [];
    let returnType: string | null = null;
    let body: string[] = [];
    if (kind === 'function') {
      members = c.list('parameters');
      returnType = c.optional('return type');
      body = c.list('body');
    } else if (kind === 'struct' || kind === 'class') {
      members = c.list('fields');
      if (kind === 'class') methods = c.list('methods');
    } else if (kind === 'enum') {
      members = c.list('variants');
    } else {
      methods = c.list('methods');
    }
    const flag = c.u8('flag');
    const specializationOf = kind === 'trait' ? null : c.optional('specialization_of');
    const typeBindings = kind === 'trait' ? {} : c.dict('type_bindings');
    out.push({ offset, kind, name, genericParams, members, methods, returnType, body, isGenericTemplate: flag !== 0, specializationOf, typeBindings });
  }
  c.end(`the last of ${total} entries`);
  return out;
}

/** The original writer's `template_meta` section ("META"): how many instances each template has. */
export interface OriginalTemplateMeta {
  readonly counts: { readonly functions: number; readonly structs: number; readonly enums: number; readonly traits: number };
  readonly entries: ReadonlyArray<{ readonly kind: 'function' | 'struct' | 'enum' | 'trait'; readonly name: string; readonly specializations: number }>;
}

/**
 *   "META", u16 version, u32 function / struct / enum / trait counts (22 bytes), then per entry,
 *   functions first: name (u32 length + UTF-8), u32 specialization count.
 */
export function decodeOriginalTemplateMeta(data: Uint8Array): OriginalTemplateMeta {
  const c = new Cursor(data, 'template_meta');
  c.magic('META');
  const counts = { functions: c.u32('function count'), structs: c.u32('struct count'), enums: c.u32('enum count'), traits: c.u32('trait count') };
  const entries: Array<OriginalTemplateMeta['entries'][number]> = [];
  for (const [kind, n] of [['function', counts.functions], ['struct', counts.structs], ['enum', counts.enums], ['trait', counts.traits]] as const) {
    for (let i = c.count(n, `${kind} entries`, 8); i > 0; i--) entries.push({ kind, name: c.str(`${kind} name`), specializations: c.u32('specialization count') });
  }
  c.end('the last entry');
  return { counts, entries };
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
