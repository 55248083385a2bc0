import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SimpleError } from '../../src/errors.js';
import { buildLoadIndex, checkLoadIndex, LOAD_INDEX_SECTION, parseLoadIndex, serializeLoadIndex } from '../../src/compiler/interface/load-index.js';
import type { LoadIndexJson } from '../../src/compiler/interface/load-index.js';
import { parseInterface } from '../../src/compiler/interface/module-interface.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { compileToSmf, expectOnlyTypedErrors, workspace } from './fixtures.js';

const LIB = `
struct Point:
    x: i64
    y: i64

extern fn now_ms() -> i64

fn total(xs: [i64]) -> i64:
    var t = 0
    for x in xs:
        t += x
    t

fn _hidden() -> i64:
    7

fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn use_max() -> i64:
    max(3, 4) + total([1, 2, 3]) + _hidden()
`;

const host = { now_ms: () => 5n };

function section(path: string, name: string): string | undefined {
  const reader = SmfReader.openSync(path);
  const s = reader.findSection(SectionType.TypeInfo, name);
  return s && new TextDecoder().decode(reader.sectionData(s.index));
}

/** Rewrites a TypeInfo section (or drops it, with `null`); the module hash stays valid. */
function withSection(path: string, name: string, text: string | null): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  const sections = spec.sections.flatMap((s) => {
    if (s.type !== SectionType.TypeInfo || s.name !== name) return [s];
    return text === null ? [] : [{ ...s, data: new TextEncoder().encode(text) }];
  });
  writeFileSync(path, writeSmf({ ...spec, sections }));
}

function lib(): string {
  const dir = workspace({ 'lib.spl': LIB });
  compileToSmf(dir, ['lib.spl']);
  return join(dir, 'lib.smf');
}

describe('the load index', () => {
  it('is written by the compiler and agrees with the interface', () => {
    const path = lib();
    const index = parseLoadIndex(section(path, LOAD_INDEX_SECTION)!, path);
    const iface = parseInterface(section(path, 'type_info')!, path);
    const built = buildLoadIndex(iface, index.local)!;
    const { directory, ...names } = index;
    expect({ ...names, fns: [...names.fns].sort() }).toEqual({ ...built, fns: [...built.fns].sort() });
    expect(directory!.fnSymbols).toEqual(iface.functions.map((f) => f.symbol));
    expect(() => checkLoadIndex(index, iface, path)).not.toThrow();
    expect(index.module).toBe('lib');
    expect(index.structs).toEqual(['Point']);
    expect(index.externs).toEqual(['now_ms']);
    expect(index.fns).toEqual(expect.arrayContaining(['total', 'max', 'use_max', 'now_ms']));
    expect(index.fns).not.toContain('_hidden');
    expect(index.local).toEqual(['_hidden']);
    expect(index.exports).toEqual(expect.arrayContaining(['total', '_hidden', 'use_max', 'max$i64']));
  });

  it('stores only what the exports do not imply, and reads back the same index', () => {
    const base: LoadIndexJson = {
      format: 1, module: 'm', imports: ['a', 'b'], importPaths: ['a', 'sub/b'], exports: ['f', '_g', 'max$i64', 'Point.area'],
      local: ['_g'], calls: ['other'], externs: [], structs: ['Point'], fns: ['f', 'max', 'Point.area'], dataSize: 24,
    };
    const stored = JSON.parse(serializeLoadIndex(base));
    expect(stored).toEqual({ format: 1, module: 'm', imports: ['a', 'b'], importPaths: ['a', 'sub/b'], exports: base.exports, local: ['_g'], calls: ['other'], structs: ['Point'], moreFns: ['max'], dataSize: 24 });
    expect(parseLoadIndex(serializeLoadIndex(base), 'm.smf').dataSize).toBe(24);
    expect(parseLoadIndex(serializeLoadIndex({ ...base, dataSize: 0 }), 'm.smf').dataSize).toBe(0);
    expect(() => parseLoadIndex(JSON.stringify({ ...stored, dataSize: -1 }), 'm.smf')).toThrow(/load_index/);
    expect([...parseLoadIndex(serializeLoadIndex(base), 'm.smf').fns].sort()).toEqual([...base.fns].sort());
    // A code export that is not an exported function: every function is listed instead.
    const helper = { ...base, exports: [...base.exports, '__helper'] };
    expect(JSON.parse(serializeLoadIndex(helper)).fns).toEqual(base.fns);
    expect(parseLoadIndex(serializeLoadIndex(helper), 'm.smf').fns).toEqual(base.fns);
    // Both forms at once is not an index this writer makes.
    expect(() => parseLoadIndex(JSON.stringify({ ...stored, fns: ['f'] }), 'm.smf')).toThrow(/load_index/);
  });

  it('lets a module load without its interface being read: a broken interface shows on first use', () => {
    const path = lib();
    withSection(path, 'type_info', '{"format": 1, "module": ');
    const loader = new ModuleLoader({ host });
    const r = loader.load(path);
    expect(r.kind).toBe('loaded');
    const total = loader.resolveSymbol('total');
    expect(total.kind).toBe('error');
    expect(total.kind === 'error' && total.error).toBeInstanceOf(SimpleError);
    // Read one record at a time, through the load index's directory: this one is past the end.
    expect(total.kind === 'error' && total.message).toMatch(/type_info: functions\[\d+\]: bytes \d+\.\.\d+ lie past the end of the section \(24 bytes\)$/);
    // Without the index the interface is read whole, at load.
    withSection(path, LOAD_INDEX_SECTION, null);
    const whole = new ModuleLoader({ host }).load(path);
    expect(whole.kind === 'error' && whole.message).toMatch(/type_info: not valid JSON/);
  });

  it('installs code that only other code calls without reading its interface', () => {
    const dir = workspace({
      'base.spl': 'fn twice(x: i64) -> i64:\n    x * 2\n',
      'top.spl': 'use base.{twice}\n\nfn run() -> i64:\n    twice(21)\n',
    });
    compileToSmf(dir, ['base.spl', 'top.spl']);
    withSection(join(dir, 'base.smf'), 'type_info', 'not json');
    const loader = new ModuleLoader();
    expect(loader.load(join(dir, 'top.smf')).kind).toBe('loaded');
    const run = loader.resolveSymbol('run');
    expect(run.kind === 'found' && run.call()).toBe(42n);
    // Asked for directly, its broken interface shows.
    expect(loader.resolveSymbol('twice').kind).toBe('error');
  });

  it('refuses code that lacks a function its index lists, before filling any slot', () => {
    const dir = workspace({ 'plain.spl': 'fn total(x: i64) -> i64:\n    x + 1\n' });
    compileToSmf(dir, ['plain.spl']);
    const path = join(dir, 'plain.smf');
    const index = JSON.parse(section(path, LOAD_INDEX_SECTION)!);
    withSection(path, LOAD_INDEX_SECTION, JSON.stringify({ ...index, exports: [...index.exports, 'ghost'] }));
    const loader = new ModuleLoader();
    expect(loader.load(path).kind).toBe('loaded');
    for (const name of ['ghost', 'total']) {
      const r = loader.resolveSymbol(name);
      expect(r.kind).toBe('error');
      expect(r.kind === 'error' && r.message).toBe(`${path}: its code does not define 'ghost', which the module lists`);
    }
    expect(loader.exec.get(loader.symbols.lookup('total')!.slot)).toBeNull();
  });

  it('refuses, on first use, an index that does not agree with the interface', () => {
    const path = lib();
    const index = JSON.parse(section(path, LOAD_INDEX_SECTION)!);
    withSection(path, LOAD_INDEX_SECTION, JSON.stringify({ ...index, moreFns: [...(index.moreFns ?? []), 'ghost'] }));
    const loader = new ModuleLoader({ host });
    expect(loader.load(path).kind).toBe('loaded');
    const r = loader.resolveSymbol('use_max');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.message).toMatch(/load_index does not agree with the interface/);
  });

  it('makes a malformed index a typed load error that names the section', () => {
    const path = lib();
    for (const text of ['not json', '{"format": 1}', JSON.stringify({ ...JSON.parse(section(path, LOAD_INDEX_SECTION)!), format: 99 })]) {
      withSection(path, LOAD_INDEX_SECTION, text);
      const r = new ModuleLoader({ host }).load(path);
      expect(r.kind).toBe('error');
      expect(r.kind === 'error' && r.error.code).toBe('SMF_BAD_INTERFACE');
      expect(r.kind === 'error' && r.message).toMatch(/load_index/);
    }
  });

  it('gives the same program with and without the index', () => {
    const indexed = lib();
    const plain = lib();
    withSection(plain, LOAD_INDEX_SECTION, null);
    expect(section(plain, LOAD_INDEX_SECTION)).toBeUndefined();
    for (const path of [indexed, plain]) {
      const loader = new ModuleLoader({ host });
      expect(loader.load(path).kind).toBe('loaded');
      const use = loader.resolveSymbol('use_max');
      expect(use.kind === 'found' && use.call()).toBe(17n);
      const max = loader.resolveGeneric('max', ['text']);
      expect(max.kind === 'jit' && max.call('a', 'b')).toBe('b');
      expect(loader.resolveSymbol('_hidden').kind).toBe('not_found');
      expect(loader.getModule('lib')!.structs.map((s) => s.name)).toEqual(['Point']);
    }
  });

  it('still checks host functions and clashes at load, from the index alone', () => {
    const path = lib();
    const refusing = new ModuleLoader();
    const noHost = refusing.load(path);
    expect(noHost.kind === 'error' && noHost.message).toBe(`${path}: the host does not provide extern fn 'now_ms' (declared in module 'lib')`);
    // Nothing of the refused module stays: no symbols, no slots; a second load fails the same way.
    expect(refusing.resolveSymbol('total').kind).toBe('not_found');
    expect(refusing.stats()).toMatchObject({ modules: 0, symbols: 0, slotsInUse: 0 });
    expect(refusing.load(path).kind).toBe('error');

    const dir = workspace({ 'other.spl': 'struct Point:\n    z: f64\n\nfn other_fn() -> i64:\n    1\n' });
    compileToSmf(dir, ['other.spl']);
    const loader = new ModuleLoader({ host });
    expect(loader.load(path).kind).toBe('loaded');
    const clash = loader.load(join(dir, 'other.smf'));
    expect(clash.kind === 'error' && clash.message).toBe(`${join(dir, 'other.smf')}: 'Point' is defined by both 'lib' and 'other'`);
    // The refused module left nothing behind; the first one still works.
    expect(loader.resolveSymbol('other_fn').kind).toBe('not_found');
    const use = loader.resolveSymbol('use_max');
    expect(use.kind === 'found' && use.call()).toBe(17n);
  });

  it('gives only typed errors for well-formed but lying indexes (names added, dropped, moved)', () => {
    const good = lib();
    const bytes = readFileSync(good);
    const index = JSON.parse(section(good, LOAD_INDEX_SECTION)!) as Record<string, unknown>;
    const pool = ['total', 'use_max', 'max', 'max$i64', 'max$text', '_hidden', 'Point', 'now_ms', 'lib', 'ghost', 'Point.x', ''];
    const lists = ['imports', 'exports', 'local', 'calls', 'externs', 'structs', 'moreFns', 'fns'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ list: fc.constantFrom(...lists), names: fc.array(fc.constantFrom(...pool), { maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const lying: Record<string, unknown> = { ...index };
          for (const e of edits) lying[e.list] = e.names;
          writeFileSync(good, bytes);
          withSection(good, LOAD_INDEX_SECTION, JSON.stringify(lying));
          expectOnlyTypedErrors(good, ['use_max', 'total', 'max<i64>', 'max<text>', 'ghost', '_hidden'], { host });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives only typed errors for well-formed but lying interfaces, with and without an index', () => {
    const good = lib();
    const bytes = readFileSync(good);
    const iface = JSON.parse(section(good, 'type_info')!);
    const types = ['i64', 'text', '[i64]', 'Point', 'T', 'Nope', '(i64, T)', 'fn(i64) -> T', '', '<'];
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('template' as const), fn: fc.nat(), value: fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5000 })) }),
      fc.record({ kind: fc.constant('param' as const), fn: fc.nat(), value: fc.constantFrom(...types) }),
      fc.record({ kind: fc.constant('ret' as const), fn: fc.nat(), value: fc.constantFrom(...types) }),
      fc.record({ kind: fc.constant('typeParams' as const), fn: fc.nat(), value: fc.array(fc.constantFrom('T', 'U', 'i64'), { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('owner' as const), fn: fc.nat(), value: fc.constantFrom(null, 'Point', 'Nope') }),
      fc.record({ kind: fc.constant('exports' as const), value: fc.array(fc.constantFrom('total', 'use_max', 'max$i64', 'ghost', '_hidden'), { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('field' as const), value: fc.constantFrom(...types) }),
      fc.record({ kind: fc.constant('scope' as const), value: fc.constantFrom('total', 'Point', 'ghost') }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, keepIndex) => {
        const lying = structuredClone(iface);
        for (const e of edits) {
          const f = 'fn' in e ? lying.functions[e.fn % lying.functions.length] : undefined;
          if (e.kind === 'template') f.template = e.value;
          else if (e.kind === 'param') (f.params[0] ?? { type: '' }).type = e.value;
          else if (e.kind === 'ret') f.ret = e.value;
          else if (e.kind === 'typeParams') f.typeParams = e.value;
          else if (e.kind === 'owner') f.owner = e.value;
          else if (e.kind === 'exports') lying.code.exports = e.value;
          else if (e.kind === 'field') lying.structs[0].fields[0].type = e.value;
          else lying.scope = lying.scope.map((row: string[]) => [row[0], row[1], row[2], e.value]);
        }
        writeFileSync(good, bytes);
        withSection(good, 'type_info', JSON.stringify(lying));
        if (!keepIndex) withSection(good, LOAD_INDEX_SECTION, null);
        expectOnlyTypedErrors(good, ['use_max', 'total', 'max<i64>', 'max<text>', 'max<Point>', 'ghost'], { host });
      }),
      { numRuns: 200 },
    );
  });

  it('gives only typed errors for hostile indexes and interfaces (with a valid module hash)', () => {
    const good = lib();
    const goodIndex = section(good, LOAD_INDEX_SECTION)!;
    const goodIface = section(good, 'type_info')!;
    const bytes = readFileSync(good);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }),
        (damageIndex, edits) => {
          let text = damageIndex ? goodIndex : goodIface;
          for (const [at, cut, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + (cut % 8));
          }
          writeFileSync(good, bytes);
          withSection(good, damageIndex ? LOAD_INDEX_SECTION : 'type_info', text);
          expectOnlyTypedErrors(good, ['use_max', 'total', 'max<i64>', 'max<text>'], { host });
        },
      ),
      { numRuns: 120 },
    );
  });
});
