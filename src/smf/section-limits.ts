/** Per-kind bounds on the size of a section's data (docs/smf-format.md, §8a). */
import { SectionType } from './format.js';

const MiB = 1024 * 1024;

/**
 * The largest size of a section's data, per kind, stored or inflated: what such a section can
 * sensibly hold, well below what a JavaScript string or the engine can take (a JSON section is
 * decoded into one string). Kinds not listed are bounded by the file, and when compressed by
 * `maxDecompressedSize`.
 */
export const SECTION_LIMITS: ReadonlyArray<{ readonly kind: string; readonly type: number; readonly name?: string; readonly max: number }> = Object.freeze([
  { kind: 'load_index', type: SectionType.TypeInfo, name: 'load_index', max: 16 * MiB },
  { kind: 'TypeInfo', type: SectionType.TypeInfo, max: 64 * MiB },
  { kind: 'TemplateCode', type: SectionType.TemplateCode, max: 256 * MiB },
  { kind: 'Reloc', type: SectionType.Reloc, max: 256 * MiB },
  { kind: 'TemplateMeta', type: SectionType.TemplateMeta, max: 16 * MiB },
  { kind: 'Code', type: SectionType.Code, max: 1024 * MiB },
]);

/** The smallest of the {@link SECTION_LIMITS}: a section no larger needs no lookup. */
export const SMALLEST_SECTION_LIMIT = Math.min(...SECTION_LIMITS.map((l) => l.max));

/** The per-kind bound on a section's data size, and the kind's name; undefined for unlisted kinds. */
export function sectionLimit(type: number, name: string): { kind: string; max: number } | undefined {
  return SECTION_LIMITS.find((l) => l.type === type && (l.name === undefined || l.name === name));
}
