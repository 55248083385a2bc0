// What the loader and the linker read from a lowered unit, apart from the lowering itself, so
// that they have it without loading the compiler.

/** The export name of a unit lowered with `canonicalNames`. */
export const INSTANCE_EXPORT = 'instance';

/**
 * Relocation kinds of the `reloc.CODE` custom section: which index space an immediate refers
 * to. The linker rewrites each immediate when it merges units (docs/code-model.md).
 */
export const RelocKind = { function: 0, type: 1, global: 2, data: 3 } as const;
export type RelocKind = (typeof RelocKind)[keyof typeof RelocKind];

/** The custom section that lists a unit's relocations (read by the linker, the meter, the reader). */
export const RELOC_SECTION = 'reloc.CODE';
