/**
 * Finding a section by type and name straight from the section table, a name field compared a
 * word at a time: what a loader asks of every file it opens.
 */
import { SectionField } from './entries.js';
import { SECTION_ENTRY_SIZE, SECTION_NAME_SIZE } from './format.js';
import type { Layout } from './layout.js';

/**
 * The index of the first section of `type` whose name field matches `name` (see
 * `sectionNameWords`), read straight from the section table (no section objects): what a loader
 * asks of every file it opens.
 */
export function findSectionIndex(layout: Layout, bytes: Uint8Array, type: number, name: NameWords): number {
  const { words, masks } = name;
  const { view } = layout;
  for (let i = 0; i < layout.sectionCount; i++) {
    const at = layout.sectionTableAt + i * SECTION_ENTRY_SIZE;
    if (bytes[at + SectionField.section_type] !== type) continue;
    const nameAt = at + SectionField.name;
    let k = 0;
    while (k < words.length && (view.getUint32(nameAt + 4 * k, true) & masks[k]) === words[k]) k++;
    if (k === words.length) return i;
  }
  return -1;
}

/** A section name as the words of a name field, compared a word at a time. */
export interface NameWords {
  readonly words: readonly number[];
  readonly masks: readonly number[];
}

/** The names asked for (a loader asks for the same few in every file it opens). */
const NAME_WORDS = new Map<string, NameWords | null>();

/**
 * `name` as a name field holds it — the name, and the NUL that ends it unless it fills all 16
 * bytes; bytes after that NUL are not part of the name — or null when it is not an ASCII name of
 * at most 16 bytes (look in the decoded sections then).
 */
export function sectionNameWords(name: string): NameWords | null {
  let w = NAME_WORDS.get(name);
  if (w !== undefined) return w;
  w = name.length <= SECTION_NAME_SIZE && /^[\x01-\x7f]*$/.test(name) ? nameWords(name) : null;
  if (NAME_WORDS.size < 64) NAME_WORDS.set(name, w);
  return w;
}

/**
 * An ASCII name's field as little-endian words: the name, then one NUL unless it fills all 16
 * bytes; the masks leave out the bytes after that NUL. (ASCII: every word is a positive int32,
 * as `getUint32(..) & mask` is.)
 */
export function nameWords(name: string): NameWords {
  const length = Math.min(name.length + 1, SECTION_NAME_SIZE);
  const words: number[] = [];
  const masks: number[] = [];
  for (let w = 0; w * 4 < length; w++) {
    let word = 0;
    let mask = 0;
    for (let b = 0; b < 4 && w * 4 + b < length; b++) {
      const i = w * 4 + b;
      if (i < name.length) word |= name.charCodeAt(i) << (8 * b);
      mask |= 0xff << (8 * b);
    }
    words.push(word);
    masks.push(mask);
  }
  return { words, masks };
}
