import fc from 'fast-check';
import { expect } from 'vitest';
import { SmfFormatError } from '../../src/smf/errors.js';
import {
  Binding,
  NOTE_TERMINATOR,
  SectionFlags,
  SectionType,
  SymbolFlags,
  SymbolType,
  fnv1a32,
} from '../../src/smf/format.js';
import { SmfReader } from '../../src/smf/reader.js';
import { writeSmf } from '../../src/smf/writer.js';
import type { SmfModuleSpec, SmfRelocationSpec, SmfSectionSpec, SmfSymbolSpec } from '../../src/smf/writer.js';

const enc = new TextEncoder();
export const text = (s: string): Uint8Array => enc.encode(s);

/** A small module with every feature, used by the hand-written tests. */
export function sampleModule(overrides: Partial<SmfModuleSpec> = {}): SmfModuleSpec {
  return {
    sections: [
      { type: SectionType.Code, name: 'code', data: new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0b]) },
      { type: SectionType.RoData, name: 'rodata', data: text('hello, world\n'.repeat(40)) },
      { type: SectionType.TemplateCode, name: 'template_code', data: text('GTPL\x01\x00\x01\x00\x00\x00identity<T>'), alignment: 4 },
      { type: SectionType.Data, name: 'data', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
    ],
    symbols: [
      { name: 'main', type: SymbolType.Function, binding: Binding.Global, value: 0, size: 9, sectionIndex: 0 },
      {
        name: 'identity',
        type: SymbolType.Function,
        binding: Binding.Global,
        flags: SymbolFlags.GENERIC_TEMPLATE,
        value: 0,
        size: 0,
        templateParamCount: 1,
        templateOffset: 2,
        sectionIndex: 2,
      },
      { name: 'identity$Int', type: SymbolType.Function, binding: Binding.Weak, flags: SymbolFlags.SPECIALIZED, value: 4, size: 5, sectionIndex: 0 },
      { name: 'counter', type: SymbolType.Data, binding: Binding.Local, value: 0, size: 8, sectionIndex: 3 },
    ],
    relocations: [
      { offset: 4, symbolIndex: 2, type: 3, addend: -4 },
      { offset: 0, symbolIndex: 3, type: 1, addend: 0 },
    ],
    note: 'instantiations |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status|\n' +
      '    0, "identity", "Int", "identity$Int", "app.spl", "app.spl:1:1", "app.o", "compiled"\n',
    ...overrides,
  };
}

/** Expects `fn` to throw an SmfFormatError with this code (and field, when given). */
export function expectSmfError(fn: () => unknown, code: string, field?: string): SmfFormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(SmfFormatError);
  const err = caught as SmfFormatError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.field).toBe(field);
  return err;
}

/** Calls every accessor, so lazily detected defects surface. */
export function touchEverything(r: SmfReader): void {
  void r.header;
  void r.size;
  for (const s of r.sections) r.sectionData(s.index);
  const names: string[] = [];
  for (let i = 0; i < r.symbolCount; i++) {
    const s = r.symbol(i);
    names.push(s.name);
    if (s.flags & SymbolFlags.GENERIC_TEMPLATE) r.templateBytes(s);
  }
  for (const n of names) r.lookup(n);
  r.lookup('no-such-symbol');
  r.relocations();
  r.noteSdnText();
  r.noteCapacity();
}

/** Plain Uint8Array copy, so Buffers and views compare by content only. */
export const bytesOf = (b: Uint8Array): Uint8Array => Uint8Array.from(b);

export const withTerminator = (note: string): string => (note.endsWith(NOTE_TERMINATOR) ? note : note + NOTE_TERMINATOR);

// ---------------------------------------------------------------------------------------------
// Arbitraries

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });

/** Mix of incompressible and very compressible payloads, so both branches of the writer run. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 100 })).map(([unit, n]) => {
    const out = new Uint8Array(unit.length * n);
    for (let i = 0; i < n; i++) out.set(unit, i * unit.length);
    return out;
  }),
);

const sectionName = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz._$0123456789'), maxLength: 16 })
  .filter((n) => n !== 'note.sdn');

const sectionSpec: fc.Arbitrary<SmfSectionSpec> = fc.record(
  {
    // Reloc (5) is produced from `relocations`; both together are refused by the writer.
    type: fc.constantFrom(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 200),
    name: sectionName,
    flags: fc.constantFrom(SectionFlags.READ, SectionFlags.READ | SectionFlags.WRITE, SectionFlags.READ | SectionFlags.EXEC, 0x100),
    alignment: fc.constantFrom(1, 2, 4, 8, 16, 64, 256),
    data: payload,
    compress: fc.boolean(),
    extraVirtual: fc.constantFrom(0, 0, 0, 100),
  },
  { requiredKeys: ['type', 'name', 'data'] },
).map(({ extraVirtual, ...s }) =>
  extraVirtual ? { ...s, virtualSize: BigInt(s.data.length + (extraVirtual ?? 0)) } : s,
);

const symbolName = fc.oneof(
  fc.constantFrom('main', 'List$Int', 'identity', 'identity$Float', ''),
  fc.string({ maxLength: 24 }).map((s) => s.replaceAll('\0', '')),
);

function symbolSpec(sectionCount: number): fc.Arbitrary<SmfSymbolSpec> {
  return fc.record(
    {
      name: symbolName,
      type: fc.integer({ min: 0, max: 6 }),
      binding: fc.integer({ min: 0, max: 2 }),
      visibility: fc.integer({ min: 0, max: 255 }),
      flags: fc.constantFrom(0, SymbolFlags.GENERIC_TEMPLATE, SymbolFlags.SPECIALIZED, 0x03, 0x0c),
      value: u64,
      size: u64,
      typeId: fc.nat(),
      version: fc.nat(),
      templateParamCount: fc.integer({ min: 0, max: 255 }),
      templateOffset: u64,
      sectionIndex: sectionCount > 0 ? fc.integer({ min: 0, max: sectionCount - 1 }) : fc.constant(undefined),
    },
    { requiredKeys: ['name', 'type', 'binding', 'value', 'size'] },
  );
}

function relocSpec(symbolCount: number): fc.Arbitrary<SmfRelocationSpec> {
  return fc.record({
    offset: u64,
    symbolIndex: fc.integer({ min: 0, max: symbolCount - 1 }),
    type: fc.integer({ min: 0, max: 255 }),
    addend: i64,
  });
}

const noteText = fc.string({ maxLength: 300 }).filter((s) => !s.includes('END_NOTE'));

export const moduleSpec: fc.Arbitrary<SmfModuleSpec> = fc
  .array(sectionSpec, { maxLength: 6 })
  .chain((sections) =>
    fc.array(symbolSpec(sections.length), { maxLength: 10 }).chain((symbols) =>
      fc.record(
        {
          sections: fc.constant(sections),
          symbols: fc.constant(symbols),
          relocations: symbols.length > 0 ? fc.array(relocSpec(symbols.length), { maxLength: 6 }) : fc.constant([]),
          note: noteText,
          noteReserve: fc.integer({ min: 0, max: 512 }),
          compression: fc.constantFrom('none', 'zstd', 'lz4') as fc.Arbitrary<'none' | 'zstd' | 'lz4'>,
          compressionLevel: fc.integer({ min: 0, max: 9 }),
          stub: fc.boolean(),
          platform: fc.integer({ min: 0, max: 5 }),
          arch: fc.integer({ min: 0, max: 7 }),
          flags: fc.integer({ min: 0, max: 0x1f }),
          entryPoint: u64,
          appType: fc.integer({ min: 0, max: 4 }),
          windowWidth: fc.integer({ min: 0, max: 0xffff }),
          windowHeight: fc.integer({ min: 0, max: 0xffff }),
          sourceHash: u64,
        },
        { requiredKeys: ['sections', 'symbols'] },
      ),
    ),
  );

/** Checks that `r` holds exactly what `spec` describes. */
export function expectMatchesSpec(r: SmfReader, spec: SmfModuleSpec): void {
  const algo = spec.compression ?? 'none';
  const h = r.header;
  expect(h.versionMajor).toBe(1);
  expect(h.versionMinor).toBe(1);
  expect(h.platform).toBe(spec.platform ?? 0);
  expect(h.arch).toBe(spec.arch ?? 6);
  expect(h.compression).toBe({ none: 0, zstd: 1, lz4: 2 }[algo]);
  expect(h.entryPoint).toBe(BigInt(spec.entryPoint ?? 0));
  expect(h.sourceHash).toBe(BigInt(spec.sourceHash ?? 0n));
  expect(h.appType).toBe(spec.appType ?? 0);
  expect(h.windowWidth).toBe(spec.windowWidth ?? 1280);
  expect(h.windowHeight).toBe(spec.windowHeight ?? 720);
  const stub = spec.stub === true;
  expect((h.flags & 0x10) !== 0).toBe(stub);
  expect(h.flags & ~0x10).toBe((spec.flags ?? 0) & ~0x10);
  expect(r.dataOffset).toBe(stub ? 19 : 0);

  spec.sections.forEach((s, i) => {
    const got = r.sections[i];
    expect(got.type).toBe(s.type);
    expect(got.name).toBe(s.name);
    expect(got.alignment).toBe(s.alignment ?? (s.type === SectionType.Code ? 16 : 8));
    expect(got.offset % got.alignment).toBe(0);
    if (s.flags !== undefined) expect(got.flags & ~SectionFlags.COMPRESSED).toBe(s.flags & ~SectionFlags.COMPRESSED);
    if (got.compressed) {
      expect(algo).not.toBe('none');
      expect(s.type).not.toBe(SectionType.Code);
      expect(s.compress).not.toBe(false);
      expect(got.size).toBeLessThan(s.data.length);
    }
    expect(got.virtualSize).toBe(Number(s.virtualSize ?? s.data.length));
    expect(bytesOf(r.sectionData(i))).toEqual(bytesOf(s.data));
  });

  const relocs = spec.relocations ?? [];
  const rela = r.findSection(SectionType.Reloc, 'rela');
  expect(rela !== undefined).toBe(relocs.length > 0);
  expect(r.relocations()).toEqual(
    relocs.map((x) => ({ offset: BigInt(x.offset), symbolIndex: x.symbolIndex, type: x.type, addend: BigInt(x.addend) })),
  );

  if (spec.note === undefined) {
    expect(r.noteSdnText()).toBeUndefined();
  } else {
    expect(r.noteSdnText()).toBe(withTerminator(spec.note));
    const noteBytes = enc.encode(withTerminator(spec.note)).length;
    expect(r.noteCapacity()).toBeGreaterThanOrEqual(noteBytes + (spec.noteReserve ?? 256));
  }

  const symbols = spec.symbols ?? [];
  expect(r.symbolCount).toBe(symbols.length);
  expect(h.exportedCount).toBe(symbols.filter((s) => s.binding === 1 || s.binding === 2).length);
  symbols.forEach((s, i) => {
    expect(r.symbol(i)).toEqual({
      index: i,
      name: s.name,
      nameHash: fnv1a32(s.name),
      type: s.type,
      binding: s.binding,
      visibility: s.visibility ?? 0,
      flags: s.flags ?? 0,
      value: BigInt(s.value),
      size: BigInt(s.size),
      typeId: s.typeId ?? 0,
      version: s.version ?? 0,
      templateParamCount: s.templateParamCount ?? 0,
      sectionIndex: s.sectionIndex,
      templateOffset: BigInt(s.templateOffset ?? 0),
    });
  });
  for (const s of symbols) expect(r.lookup(s.name)?.index).toBe(symbols.findIndex((t) => t.name === s.name));
}

/** A module written without a hash (so it can be patched), and where its parts are. */
export function patchable(spec: SmfModuleSpec) {
  const bytes = writeSmf(spec, { hash: false });
  const r = SmfReader.fromBytes(bytes);
  const view = new DataView(bytes.buffer);
  const headerAt = r.headerOffset;
  const entryAt = (i: number) => r.dataOffset + Number(r.header.sectionTableOffset) + i * 64;
  const dataEnd = headerAt - r.dataOffset;
  const open = () => SmfReader.fromBytes(bytes, { file: 'app.smf' });
  return { bytes, view, r, headerAt, entryAt, dataEnd, open };
}

/** A read-only section of eight bytes. */
export const eight = (name: string, type: number = SectionType.RoData) => ({ type, name, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
