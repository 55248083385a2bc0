/**
 * The linked output's TemplateCode section and member interfaces. Every template of every
 * input is kept — the loader's JIT instantiates deferred instances from them, and a hot reload
 * of a generic needs them too. Entries are copied in input order under one GTPL header, so an
 * entry's offset moves by a constant per input; the member interfaces (and the template
 * symbols) are rebased with the same map. A private template's entry is re-encoded, since its
 * payload names it and its name changed (private-names.ts).
 */
import type { ModuleInterfaceJson } from '../compiler/interface/module-interface.js';
import { TEMPLATE_SECTION } from '../compiler/interface/smf-module.js';
import { checkTemplateSection, decodeTemplateEntry, GTPL_VERSION } from '../compiler/interface/templates.js';
import { encodeTree } from '../compiler/template/codec.js';
import { SectionType } from '../smf/index.js';
import { LinkInputError } from './errors.js';
import type { ObjModule } from './obj-module.js';

const HEADER = 10;

export interface MergedTemplates {
  /** The section payload, or null when no input has templates. */
  readonly bytes: Uint8Array | null;
  /** Per input: entry offset in the input's section → offset in the merged section. */
  readonly offsets: ReadonlyArray<ReadonlyMap<number, number>>;
  /** Every input's member interfaces, template offsets rebased, in input order. */
  readonly members: readonly ModuleInterfaceJson[];
}

/**
 * `dropped[input]`: functions of that input another definition won over (a Weak one yielding).
 * They leave the member interfaces, so names resolve to the winner at load time as at link time.
 */
export function mergeTemplates(modules: readonly ObjModule[], dropped: ReadonlyArray<ReadonlySet<string>>): MergedTemplates {
  const chunks: Uint8Array[] = [];
  const offsets: Map<number, number>[] = [];
  let at = HEADER;
  let count = 0;
  for (const m of modules) {
    const map = new Map<number, number>();
    offsets.push(map);
    // By index: finding it by object would decode every input's section table.
    const section = m.reader.findSectionIndex(SectionType.TemplateCode, TEMPLATE_SECTION);
    if (section < 0) continue;
    const data = m.reader.sectionData(section);
    const n = checkTemplateSection(data);
    const renamedAt = new Map<number, string>();
    for (const member of m.members) {
      if (member.renamed.size === 0) continue;
      const qualified = new Set(member.renamed.values());
      for (const f of member.iface.functions) if (f.template !== null && qualified.has(f.symbol)) renamedAt.set(f.template, f.symbol);
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = HEADER;
    for (let i = 0; i < n; i++) {
      if (pos + 4 > data.length) throw new LinkInputError(m.file, `TemplateCode entry ${i} at ${pos} is truncated`);
      const len = view.getUint32(pos, true);
      if (len > data.length - pos - 4) throw new LinkInputError(m.file, `TemplateCode entry ${i} at ${pos} runs past the section`);
      map.set(pos, at);
      const symbol = renamedAt.get(pos);
      let entry = data.subarray(pos, pos + 4 + len);
      if (symbol !== undefined) {
        const payload = decodeTemplateEntry(entry, pos);
        const body = encodeTree({ ...payload, symbol });
        entry = new Uint8Array(4 + body.length);
        new DataView(entry.buffer).setUint32(0, body.length, true);
        entry.set(body, 4);
      }
      chunks.push(entry);
      at += entry.length;
      pos += 4 + len;
      count++;
    }
  }
  const members: ModuleInterfaceJson[] = [];
  modules.forEach((m, input) => {
    const map = offsets[input];
    const gone = dropped[input];
    for (const member of m.members) {
      const functions = gone.size === 0 ? member.iface.functions : member.iface.functions.filter((f) => !gone.has(f.symbol));
      // What the member's code defined and called is settled too: the output's `code` lists what its code does.
      const { code: _settled, ...iface } = member.iface;
      members.push({
        ...iface,
        // Where the member used other modules is settled now; what is left is the output's own `uses`.
        uses: [],
        // Only template bodies resolve names through the scope.
        scope: functions.some((f) => f.template !== null) ? member.iface.scope : [],
        functions: functions.map((f) => {
          if (f.template === null) return f;
          const moved = map.get(f.template);
          if (moved === undefined) throw new LinkInputError(m.file, `function '${f.symbol}' refers to template offset ${f.template}, where no entry starts`);
          return { ...f, template: moved };
        }),
      });
    }
  });
  if (count === 0) return { bytes: null, offsets, members };
  const bytes = new Uint8Array(at);
  bytes.set([0x47, 0x54, 0x50, 0x4c]);
  const view = new DataView(bytes.buffer);
  view.setUint16(4, GTPL_VERSION, true);
  view.setUint32(6, count, true);
  let out = HEADER;
  for (const c of chunks) {
    bytes.set(c, out);
    out += c.length;
  }
  return { bytes, offsets, members };
}
