import { moduleSpecFromReader, SmfReader, writeSmf } from '../../../src/smf/index.js';
import type { SmfModuleSpec, SmfSectionSpec } from '../../../src/smf/index.js';
import type { Rand } from '../rand.js';
import { mutateBytes, rehash } from './bytes.js';
import { mutateJson } from './json.js';
import { mutateSdn } from './sdn.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });

const EDGE_NUMBERS = [0, 1, 2, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 40];

function asJson(data: Uint8Array): string | undefined {
  if (data.length === 0 || (data[0] !== 0x7b && data[0] !== 0x5b)) return undefined;
  try {
    const text = utf8d.decode(data);
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** One change to the module's structure (sections, symbols, relocations, header fields). */
function mutateSpec(spec: SmfModuleSpec, r: Rand): string {
  const sections = spec.sections;
  const section = (): SmfSectionSpec | undefined => (sections.length ? r.pick(sections) : undefined);
  switch (r.int(10)) {
    case 0:
    case 1:
    case 2: {
      const s = section();
      if (!s) return 'no section';
      const json = asJson(s.data);
      if (json !== undefined) {
        s.data = utf8.encode(mutateJson(json, r));
        return `JSON of ${s.name}`;
      }
      s.data = mutateBytes(s.data, r);
      return `bytes of ${s.name}`;
    }
    case 3:
    case 4:
      spec.note = mutateSdn(spec.note ?? '', r);
      return 'note.sdn';
    case 5: {
      const syms = spec.symbols ?? [];
      if (syms.length === 0) return 'no symbol';
      const s = r.pick(syms);
      const field = r.pick(['name', 'type', 'binding', 'flags', 'value', 'size', 'typeId', 'templateParamCount', 'templateOffset', 'sectionIndex'] as const);
      if (field === 'name') s.name = r.pick([s.name + '$', s.name.slice(1), r.pick(syms).name, '', 'main', 'x'.repeat(300)]);
      else if (field === 'type' || field === 'binding') s[field] = r.int(8);
      else (s as unknown as Record<string, number>)[field] = r.pick(EDGE_NUMBERS);
      return `symbol ${field}`;
    }
    case 6: {
      const rel = spec.relocations ?? [];
      if (rel.length === 0) return 'no relocation';
      const x = r.pick(rel);
      const field = r.pick(['offset', 'symbolIndex', 'type', 'addend'] as const);
      (x as unknown as Record<string, number>)[field] = r.pick(EDGE_NUMBERS);
      return `relocation ${field}`;
    }
    case 7: {
      const s = section();
      if (!s) return 'no section';
      const what = r.int(4);
      if (what === 0) sections.splice(sections.indexOf(s), 1);
      else if (what === 1) sections.push({ ...s });
      else if (what === 2) s.name = r.pick(sections).name;
      else s.type = r.int(16);
      return ['drop', 'duplicate', 'rename', 'retype'][what] + ` section ${s.name}`;
    }
    case 8:
      spec.compression = r.pick(['none', 'zstd', 'lz4'] as const);
      for (const s of sections) s.compress = r.chance(0.7);
      return 'compression';
    default: {
      const field = r.pick(['entryPoint', 'flags', 'prefetchHint', 'prefetchFileCount'] as const);
      spec[field] = r.int(300);
      return `header ${field}`;
    }
  }
}

/**
 * A damaged copy of the valid SMF `bytes`, the module hash recomputed so the damage reaches the
 * parsers behind the hash check (now and then not, to test that check too). Mostly
 * structure-aware (sections, JSON, note.sdn, symbols through the writer), sometimes raw bytes.
 * Returns the bytes and what was changed.
 */
export function mutateSmf(bytes: Uint8Array, r: Rand): { bytes: Uint8Array; what: string } {
  if (r.chance(0.3)) {
    const tail = { start: Math.floor(bytes.length * 0.6), end: bytes.length };
    const damaged = mutateBytes(bytes, r, r.chance(0.5) ? tail : undefined);
    return { bytes: r.chance(0.9) ? rehash(damaged) : damaged, what: 'raw bytes' };
  }
  const reader = SmfReader.fromBytes(bytes);
  const spec = moduleSpecFromReader(reader);
  spec.note = reader.noteSdnText();
  const header = reader.header;
  spec.compression = (['none', 'zstd', 'lz4'] as const)[header.compression] ?? 'none';
  const whats: string[] = [];
  for (let i = 1 + r.int(2); i > 0; i--) whats.push(mutateSpec(spec, r));
  try {
    return { bytes: writeSmf(spec), what: whats.join(', ') };
  } catch {
    // The writer refuses some changes (a name too long for the table): damage the bytes instead.
    return { bytes: rehash(mutateBytes(bytes, r)), what: 'raw bytes (writer refused: ' + whats.join(', ') + ')' };
  }
}
