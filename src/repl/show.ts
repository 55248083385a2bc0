/**
 * How the REPL shows a value: Simple functions it writes for each type it has to show, so that
 * an array, a struct or a tuple is shown by code that knows its layout (the compiler's), not by
 * reading the heap from the host. `[1, 2, 3]`, `Point(x: 1, y: 2)`, `(1, "a")`.
 */
import type { StructDef } from '../compiler/program.js';
import { substituteParams, typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';

/**
 * The host function that writes a text value as a Simple literal (Simple itself has no way to
 * look at a text's characters); the REPL's loader provides it (session.ts).
 */
export const QUOTE_TEXT = '__repl_quote_text';

/** `s` as a Simple text literal that reads back as `s`: quotes, backslashes, braces and control characters escaped. */
export function quoteText(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += ESCAPES[ch] ?? (c < 0x20 || c === 0x7f ? `\\u{${c.toString(16).toUpperCase()}}` : ch);
  }
  return `${out}"`;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '{': '\\{', '}': '\\}', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

/** Nesting below this is shown as `…`: a value that reaches itself still shows in finite text. */
const MAX_DEPTH = 6;
/** Elements of one array shown before `, …`. */
const MAX_ELEMENTS = 100;

export class ShowWriter {
  private readonly names = new Map<string, string>();
  private readonly code: string[] = [];
  private quotes = false;

  constructor(
    private readonly prefix: string,
    private readonly struct: (name: string) => StructDef | undefined,
  ) {}

  /** The name of a function `(v: t, d: i64) -> text` showing a value of type `t`, written on first use. */
  fnFor(t: Type): string {
    const key = typeToString(t);
    const known = this.names.get(key);
    if (known) return known;
    const name = `${this.prefix}${this.names.size}`;
    this.names.set(key, name);
    const body = this.body(t);
    this.code.push(`fn ${name}(v: ${key}, d: i64) -> text:`, `    if d > ${MAX_DEPTH}:`, `        return "…"`, ...body.map((l) => `    ${l}`), '');
    return name;
  }

  /** Every function written so far (and the host function they call, if they do). */
  get source(): string {
    return [...(this.quotes ? [`extern fn ${QUOTE_TEXT}(s: text) -> text`, ''] : []), ...this.code].join('\n');
  }

  private body(t: Type): string[] {
    switch (t.kind) {
      case 'int':
      case 'float':
      case 'bool':
        return ['"{v}"'];
      case 'string':
        this.quotes = true;
        return [`${QUOTE_TEXT}(v)`];
      case 'array':
        return [
          'var s = "["',
          'var i = 0',
          'for x in v:',
          '    if i > 0:',
          '        s = s + ", "',
          `    if i == ${MAX_ELEMENTS}:`,
          '        return s + "…]"',
          `    s = s + ${this.fnFor(t.elem)}(x, d + 1)`,
          '    i += 1',
          's + "]"',
        ];
      case 'tuple':
        return [`"(" + ${t.elems.map((e, i) => `${this.fnFor(e)}(v.${i}, d + 1)`).join(' + ", " + ')} + "${t.elems.length === 1 ? ',' : ''})"`];
      case 'simd':
        return [`"${typeToString(t)}(" + ${Array.from({ length: t.lanes }, (_, i) => `${this.fnFor(t.elem)}(v[${i}], d + 1)`).join(' + ", " + ')} + ")"`];
      case 'named': {
        const def = this.struct(t.name);
        if (!def) return [`"<${t.name}>"`];
        const map = new Map(def.typeParams.map((p, i) => [p, t.args[i]]));
        if (def.fields.length === 0) return [`"${t.name}()"`];
        const fields = def.fields.map((f) => `"${f.name}: " + ${this.fnFor(substituteParams(f.type, map))}(v.${f.name}, d + 1)`);
        return [`"${t.name}(" + ${fields.join(' + ", " + ')} + ")"`];
      }
      default:
        return [`"<${typeToString(t)}>"`];
    }
  }
}
