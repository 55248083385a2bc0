/**
 * mergeTemplates on inputs whose TemplateCode section is damaged after the header (which the
 * compiler's check accepts): an entry count past the end, an entry length past the section, an
 * entry length that ends exactly at the section's end, and member functions whose template
 * offset no longer starts an entry — each a LinkInputError naming the entry and its offset.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_SECTION } from '../../src/compiler/interface/smf-module.js';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { LinkInputError } from '../../src/linker/errors.js';
import { link } from '../../src/linker/link.js';
import { mergeTemplates } from '../../src/linker/merge-templates.js';
import { readObjModule } from '../../src/linker/obj-module.js';
import { moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, PROGRAMS, tempDir } from './helpers.js';

// A plain copy: a Buffer's slice() is a view, not a copy.
let util: Uint8Array;
let spec: ReturnType<typeof moduleSpecFromReader>;
let section: Uint8Array;
let count: number;
beforeAll(() => {
  util = new Uint8Array(readFileSync(compileTo([join(PROGRAMS, 'shapes/util.spl')], tempDir()).get('util')!));
  spec = moduleSpecFromReader(SmfReader.fromBytes(util));
  section = spec.sections.find((s) => s.name === TEMPLATE_SECTION)!.data;
  count = new DataView(section.buffer, section.byteOffset).getUint32(6, true);
});

/** util.smf with its TemplateCode section changed by `edit` (on a copy). */
function damaged(edit: (data: Uint8Array, view: DataView) => Uint8Array): Uint8Array {
  const copy = Uint8Array.from(section);
  const data = edit(copy, new DataView(copy.buffer, copy.byteOffset, copy.byteLength));
  return writeSmf({ ...spec, sections: spec.sections.map((s) => (s.name === TEMPLATE_SECTION ? { ...s, data } : s)) });
}

function refusal(bytes: Uint8Array): string {
  const m = readObjModule({ file: 'util.smf', bytes });
  try {
    mergeTemplates([m], [new Set()]);
  } catch (e) {
    expect(e).toBeInstanceOf(LinkInputError);
    return (e as Error).message;
  }
  throw new Error('expected a LinkInputError');
}

describe('damaged TemplateCode entries', () => {
  it('the undamaged section merges, every entry under one header', () => {
    const r = mergeTemplates([readObjModule({ file: 'util.smf', bytes: util })], [new Set()]);
    expect(count).toBeGreaterThan(1);
    expect([...r.bytes!.subarray(0, 4)]).toEqual([0x47, 0x54, 0x50, 0x4c]);
    expect(new DataView(r.bytes!.buffer).getUint32(6, true)).toBe(count);
    expect(r.offsets[0].size).toBe(count);
    expect(r.offsets[0].get(10)).toBe(10);
  });

  it('one entry more than the section holds: the entry after the last is truncated', () => {
    const bytes = damaged((d, v) => (v.setUint32(6, count + 1, true), d));
    expect(refusal(bytes)).toBe(`util.smf: TemplateCode entry ${count} at ${section.length} is truncated`);
  });

  it('link() reports a damaged entry as a diagnostic against that input, not as an exception', () => {
    const bytes = damaged((d, v) => (v.setUint32(6, count + 1, true), d));
    const r = link([{ file: 'util.smf', bytes }], { instantiate: 'lazy' });
    expect(r.ok).toBe(false);
    expect(!r.ok && formatDiagnostics(r.errors)).toBe(`util.smf: error: TemplateCode entry ${count} at ${section.length} is truncated`);
  });

  it('the length word of an entry cut to fewer than 4 bytes', () => {
    const bytes = damaged((d, v) => (v.setUint32(6, count + 1, true), Uint8Array.of(...d, 0, 0, 0)));
    expect(refusal(bytes)).toBe(`util.smf: TemplateCode entry ${count} at ${section.length} is truncated`);
  });

  it('an entry one byte longer than the section: it runs past; exactly as long: the next entry is truncated', () => {
    const room = section.length - 10 - 4;
    expect(refusal(damaged((d, v) => (v.setUint32(10, room + 1, true), d)))).toBe('util.smf: TemplateCode entry 0 at 10 runs past the section');
    expect(refusal(damaged((d, v) => (v.setUint32(10, room, true), d)))).toBe(`util.smf: TemplateCode entry 1 at ${section.length} is truncated`);
  });

  it('a function whose template offset starts no entry', () => {
    // One entry, as long as the whole section: only offset 10 starts an entry.
    const bytes = damaged((d, v) => (v.setUint32(6, 1, true), v.setUint32(10, section.length - 14, true), d));
    const m = readObjModule({ file: 'util.smf', bytes });
    const other = m.members[0].iface.functions.find((f) => f.template !== null && f.template !== 10)!;
    expect(refusal(bytes)).toBe(`util.smf: function '${other.symbol}' refers to template offset ${other.template}, where no entry starts`);
  });
});
