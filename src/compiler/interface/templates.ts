/**
 * The TemplateCode section ("GTPL"): the generic functions, methods and structs of a module,
 * stored so that the linker and the loader can instantiate them without the source tree.
 *
 *   magic "GTPL", u16 version (1), u32 count, then `count` entries;
 *   entry: u32 byte length, then the payload encoded with template/codec.ts.
 *
 * A symbol's `template_offset` is the offset of its entry (its length field) in the section.
 * A function payload carries its resolved syntax tree, with spans relative to the source lines
 * it was written on, and those lines, so diagnostics inside an instance point at real source.
 */
import type { FnDecl } from '../ast.js';
import type { SourceFile } from '../source.js';
import { excerptOf } from '../source-excerpt.js';
import { decodeTree, encodeTree, TemplateCodecError } from '../template/codec.js';

export const GTPL_MAGIC = 'GTPL';
export const GTPL_VERSION = 1;

export interface FnTemplatePayload {
  readonly kind: 'fn';
  readonly symbol: string;
  readonly file: string;
  readonly lineOffset: number;
  readonly text: string;
  readonly decl: FnDecl;
}

export interface StructTemplatePayload {
  readonly kind: 'struct';
  readonly name: string;
}

export type TemplatePayload = FnTemplatePayload | StructTemplatePayload;

/** A template payload for a function written in `source`. */
export function fnTemplate(symbol: string, decl: FnDecl, source: SourceFile): FnTemplatePayload {
  const ex = excerptOf(source, decl.span);
  return { kind: 'fn', symbol, file: source.path, lineOffset: ex.lineOffset, text: ex.text, decl: rebaseSpans(decl, ex.start) };
}

/** Writes the section; returns its bytes and each entry's offset, in order. */
export function encodeTemplateSection(payloads: readonly TemplatePayload[]): { bytes: Uint8Array; offsets: number[] } {
  const encoded = payloads.map((p) => encodeTree(p));
  const size = 10 + encoded.reduce((n, e) => n + 4 + e.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x47, 0x54, 0x50, 0x4c]);
  view.setUint16(4, GTPL_VERSION, true);
  view.setUint32(6, payloads.length, true);
  const offsets: number[] = [];
  let at = 10;
  for (const e of encoded) {
    offsets.push(at);
    view.setUint32(at, e.length, true);
    bytes.set(e, at + 4);
    at += 4 + e.length;
  }
  return { bytes, offsets };
}

/**
 * Decodes the entry at the start of `entry` (the view SmfReader.templateBytes gives: from the
 * entry to the end of the section). Untrusted input: lengths are checked, shapes validated.
 */
export function decodeTemplateEntry(entry: Uint8Array, baseOffset = 0): TemplatePayload {
  if (entry.length < 4) throw new TemplateCodecError('template entry is truncated', baseOffset);
  const length = new DataView(entry.buffer, entry.byteOffset, entry.length).getUint32(0, true);
  if (length > entry.length - 4) throw new TemplateCodecError(`template entry length ${length} runs past the section`, baseOffset);
  const value = decodeTree(entry.subarray(4, 4 + length), baseOffset + 4) as Record<string, unknown>;
  if (value === null || typeof value !== 'object') throw new TemplateCodecError('template entry is not an object', baseOffset);
  if (value.kind === 'fn') {
    const ok =
      typeof value.symbol === 'string' &&
      typeof value.file === 'string' &&
      typeof value.text === 'string' &&
      typeof value.lineOffset === 'number' &&
      isFnDecl(value.decl);
    if (!ok) throw new TemplateCodecError('function template is malformed', baseOffset);
    return value as unknown as FnTemplatePayload;
  }
  if (value.kind === 'struct' && typeof value.name === 'string') return value as unknown as StructTemplatePayload;
  throw new TemplateCodecError(`unknown template kind ${String(value.kind)}`, baseOffset);
}

/** Checks the header of a whole section. */
export function checkTemplateSection(section: Uint8Array): number {
  if (section.length < 10 || String.fromCharCode(...section.subarray(0, 4)) !== GTPL_MAGIC) {
    throw new TemplateCodecError('TemplateCode section does not start with GTPL', 0);
  }
  const view = new DataView(section.buffer, section.byteOffset, section.length);
  const version = view.getUint16(4, true);
  if (version !== GTPL_VERSION) throw new TemplateCodecError(`unsupported GTPL version ${version}`, 4);
  return view.getUint32(6, true);
}

function isFnDecl(v: unknown): v is FnDecl {
  const d = v as FnDecl;
  return (
    typeof d === 'object' &&
    d !== null &&
    d.kind === 'Fn' &&
    Array.isArray(d.params) &&
    Array.isArray(d.typeParams) &&
    typeof d.name === 'object' &&
    (d.body === null || (typeof d.body === 'object' && Array.isArray(d.body.statements)))
  );
}

/** A copy of `node` with every span shifted to start `by` characters earlier. */
function rebaseSpans<T>(node: T, by: number): T {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'span' && x !== null && typeof x === 'object') {
        const s = x as { start: number; end: number };
        out[k] = { start: s.start - by, end: s.end - by };
      } else {
        out[k] = visit(x);
      }
    }
    return out;
  };
  return visit(node) as T;
}
