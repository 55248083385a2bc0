/**
 * The linker's small parts on their own, at their exact edges: the bounded cache's eviction
 * order and counters, the instantiation-cycle report (which instances it shows, where a name is
 * cut), usage-hint resolution through `depends_on_` rows (each way it can fail, with its
 * message), and private-name qualification. Written against the survivors of a mutation run
 * (docs/testing.md).
 */
import { describe, expect, it } from 'vitest';
import { RelocKind } from '../../src/compiler/lower/unit-abi.js';
import type { WasmModuleInfo } from '../../src/compiler/wasm/reader.js';
import { BoundedCache } from '../../src/linker/bounded-cache.js';
import { callGraph } from '../../src/linker/call-graph.js';
import { hintTemplate, resolveHint, usageHints } from '../../src/linker/hints.js';
import { INSTANTIATE_POLICIES } from '../../src/linker/instantiate.js';
import { goesRound, instantiationCycle, shortName } from '../../src/linker/instantiation-cycle.js';
import { isQualified, qualifierOf, qualify, renameSymbol } from '../../src/linker/private-names.js';
import { readProfile } from '../../src/linker/profile.js';
import { emptyNote, serializeNoteSdn } from '../../src/sdn/index.js';
import { SectionType, writeSmf } from '../../src/smf/index.js';
import type { NoteSdn, TypeInferenceRow } from '../../src/sdn/index.js';
import { typeToString } from '../../src/types/index.js';

it('the policies the linker offers', () => {
  expect(INSTANTIATE_POLICIES).toEqual(['eager', 'lazy', 'hybrid']);
});

describe('BoundedCache', () => {
  it('evicts the least recently used entry; a hit makes an entry the most recent', () => {
    const c = new BoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent: b goes first
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.counters()).toEqual({ size: 2, hits: 3, misses: 1, evictions: 1 });
  });

  it('holds exactly its capacity; setting a key again replaces it without evicting', () => {
    const c = new BoundedCache<number, string>(3);
    for (let i = 0; i < 3; i++) c.set(i, `v${i}`);
    c.set(0, 'again'); // 0 becomes the most recent, 1 the least
    expect(c.counters()).toEqual({ size: 3, hits: 0, misses: 0, evictions: 0 });
    c.set(3, 'v3');
    c.set(4, 'v4');
    expect(c.counters().evictions).toBe(2);
    expect([c.get(1), c.get(2), c.get(0), c.get(3), c.get(4)]).toEqual([undefined, undefined, 'again', 'v3', 'v4']);
  });

  it('with capacity 0 (caching off) keeps nothing and evicts nothing', () => {
    const c = new BoundedCache<string, number>(0);
    c.set('a', 1);
    expect(c.get('a')).toBeUndefined();
    expect(c.counters()).toEqual({ size: 0, hits: 0, misses: 1, evictions: 0 });
  });

  it('clear empties it and keeps the counters', () => {
    const c = new BoundedCache<string, number>(4);
    c.set('a', 1);
    c.get('a');
    c.clear();
    expect(c.get('a')).toBeUndefined();
    expect(c.counters()).toEqual({ size: 0, hits: 1, misses: 1, evictions: 0 });
  });
});

describe('instantiation cycles as reported', () => {
  const link = (template: string, symbol = `${template}$x`) => ({ template, symbol });

  it('shortName keeps 80 characters and cuts the 81st with an ellipsis', () => {
    const eighty = 'f'.repeat(80);
    expect(shortName(eighty)).toBe(eighty);
    expect(shortName(`${eighty}g`)).toBe(`${'f'.repeat(79)}…`);
    expect(shortName(`${eighty}g`)).toHaveLength(80);
  });

  it('names the cycle from the last template\'s previous occurrence and shows three instances from its first', () => {
    const chain = [link('main'), link('ping', 'ping$bool'), link('pong', 'pong$i64'), link('ping', 'ping$f64'), link('pong', 'pong$u8'), link('ping', 'ping$text')];
    const c = instantiationCycle(chain, (t) => (t === 'ping' ? ['T', 'U'] : []), 'stopped at depth 6');
    expect(c.nodes).toEqual(['ping', 'pong', 'ping']);
    expect(c.path).toBe('ping->pong->ping');
    expect(c.message).toBe(
      "instantiation cycle (E0420) ping->pong->ping: 'ping<T, U>' instantiates itself with ever larger type arguments, without end: ping<bool> -> pong<i64> -> ping<f64> -> … (stopped at depth 6)",
    );
  });

  it('a template without parameters is named bare; a chain of two shows both', () => {
    const c = instantiationCycle([link('g', 'g$i64'), link('g', 'g$f64')], () => [], 'why');
    expect(c.nodes).toEqual(['g', 'g']);
    expect(c.message).toBe("instantiation cycle (E0420) g->g: 'g' instantiates itself with ever larger type arguments, without end: g<i64> -> g<f64> -> … (why)");
  });

  it('a chain of different templates is too deep, not a cycle; its path is the whole chain', () => {
    const chain = [link('a', 'a$i64'), link('b', 'b$i64'), link('c', 'c$i64')];
    const c = instantiationCycle(chain, () => ['T'], 'stopped at depth 2');
    expect(c.nodes).toEqual(['a', 'b', 'c']);
    expect(c.path).toBe('a->b->c');
    expect(c.message).toMatch(/^instantiation too deep \(E0420\): a chain of 3 instances of different templates/);
    expect(c.message).toContain('a<i64>');
    expect(c.message.endsWith('(stopped at depth 2)')).toBe(true);
  });

  it('a chain whose last template only occurs at its very end does not go round', () => {
    expect(goesRound([link('a'), link('b')])).toBe(false);
    expect(goesRound([link('a'), link('b'), link('a')])).toBe(true);
    expect(goesRound([link('a'), link('a')])).toBe(true);
    expect(goesRound([link('a')])).toBe(false);
    expect(goesRound([])).toBe(false);
  });
});

describe('usage hints', () => {
  const row = (inferredType: string, expr: string, context = 'call', fromLoc = 'app.spl:1:1'): TypeInferenceRow => ({ inferredType, expr, context, fromFile: 'app.spl', fromLoc });
  const note = (...rows: TypeInferenceRow[]): NoteSdn => ({ ...emptyNote(), typeInferences: rows });
  const resolve = (n: NoteSdn, index = 0) => resolveHint(n, usageHints(n)[index]);
  const types = (r: ReturnType<typeof resolveHint>) => (r.kind === 'types' ? r.args.map((t) => typeToString(t)) : r);

  it('the template of a row is the name before `<…>(…)`; rows about other things have none', () => {
    expect(hintTemplate(row('i64', 'Stack.push<i64>(…)'))).toBe('Stack.push');
    expect(hintTemplate(row('i64', 'max(…)'))).toBeUndefined();
    expect(hintTemplate(row('i64', 'max<i64>(…) + 1'))).toBeUndefined();
    expect(hintTemplate(row('i64', 'x max<i64>(…)'))).toBeUndefined();
    const n = note(row('i64', 'max<i64>(…)', 'call', 'a:1:1'), row('f64', 'x + 1'), row('u8', 'min<u8>(…)', 'call', 'a:2:2'));
    expect(usageHints(n).map((h) => [h.template, h.typeArgs, h.at])).toEqual([
      ['max', 'i64', 'a:1:1'],
      ['min', 'u8', 'a:2:2'],
    ]);
    expect(usageHints(n, 'min').map((h) => h.template)).toEqual(['min']);
    expect(usageHints(n)[0].row).toBe(n.typeInferences[0]);
  });

  it('concrete types decide at once; a list of several is kept in order', () => {
    expect(types(resolve(note(row('i64, [text]', 'pair<a>(…)'))))).toEqual(['i64', '[text]']);
  });

  it('a placeholder without a depends_on_ row, or naming a row that does not exist, stays open', () => {
    expect(resolve(note(row('?T', 'max<a>(…)')))).toEqual({ kind: 'open' });
    expect(resolve(note(row('?T', 'max<a>(…)', 'depends_on_max<zzz>(…)')))).toEqual({ kind: 'open' });
    // The prefix must start the context: eleven other characters before a row's expression are no dependency.
    expect(resolve(note(row('?T', 'max<a>(…)', 'depends_onXmax<b>(…)'), row('i64', 'max<b>(…)')))).toEqual({ kind: 'open' });
  });

  it('a placeholder name of several characters', () => {
    const n = note(row('Pair<?Elem, ?Elem2>', 'f<a>(…)', 'depends_on_g<b>(…)'), row('Pair<u8, text>', 'g<b>(…)'));
    expect(types(resolve(n))).toEqual(['Pair<u8, text>']);
  });

  it('a placeholder decided through a chain of rows, inside a larger type', () => {
    const n = note(row('Pair<?A, i64>', 'f<a>(…)', 'depends_on_g<b>(…)'), row('Pair<?B, i64>', 'g<b>(…)', 'depends_on_h<c>(…)'), row('Pair<u8, i64>', 'h<c>(…)'));
    expect(types(resolve(n))).toEqual(['Pair<u8, i64>']);
    expect(types(resolve(n, 1))).toEqual(['Pair<u8, i64>']);
  });

  it('the first row of an expression is the one a dependency names', () => {
    const n = note(row('?A', 'f<a>(…)', 'depends_on_g<b>(…)'), row('i32', 'g<b>(…)'), row('f64', 'g<b>(…)'));
    expect(types(resolve(n))).toEqual(['i32']);
  });

  it('a loop of rows is a cycle whose path repeats its first node; a chain into the loop starts at the loop', () => {
    const n = note(row('?A', 'a<>(…)', 'depends_on_b<>(…)'), row('?B', 'b<>(…)', 'depends_on_c<>(…)'), row('?C', 'c<>(…)', 'depends_on_b<>(…)'));
    expect(resolve(n)).toEqual({ kind: 'cycle', path: ['b<>(…)', 'c<>(…)', 'b<>(…)'] });
    const self = note(row('?A', 'a<>(…)', 'depends_on_a<>(…)'));
    expect(resolve(self)).toEqual({ kind: 'cycle', path: ['a<>(…)', 'a<>(…)'] });
  });

  it('a cell that is not a list of types is invalid, with the parser\'s reason', () => {
    const r = resolve(note(row('i64,,', 'max<a>(…)')));
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.message).toMatch(/^'i64,,' is not a list of types \(.+\)$/);
  });

  it('a dependency that decides another number of types is invalid', () => {
    const r = resolve(note(row('?A, ?B', 'f<a>(…)', 'depends_on_g<b>(…)'), row('i64', 'g<b>(…)')));
    expect(r).toEqual({ kind: 'invalid', message: "'?A, ?B' has 2 type(s) but 'g<b>(…)' decides 1" });
  });

  it('a dependency whose types do not match the pattern is invalid', () => {
    const r = resolve(note(row('[?A]', 'f<a>(…)', 'depends_on_g<b>(…)'), row('i64', 'g<b>(…)')));
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.message.startsWith("'[?A]' does not match 'i64': ")).toBe(true);
  });

  it('an open or invalid dependency makes the row the same', () => {
    expect(resolve(note(row('?A', 'f<a>(…)', 'depends_on_g<b>(…)'), row('?B', 'g<b>(…)')))).toEqual({ kind: 'open' });
    const r = resolve(note(row('?A', 'f<a>(…)', 'depends_on_g<b>(…)'), row('i64,,', 'g<b>(…)')));
    expect(r.kind).toBe('invalid');
  });
});

describe('callGraph', () => {
  // Two imported functions; bodies [10, 20) [20, 30) [30, 40).
  const wasm = { importedFunctions: 2, bodies: [10, 20, 30].map((start) => ({ start, code: start + 1, end: start + 10 })) } as unknown as WasmModuleInfo;
  const r = (kind: RelocKind, offset: number, value: number) => ({ kind, offset, value });

  it('a relocation belongs to the body whose end is past it; an offset at a body\'s end is the next body\'s', () => {
    const g = callGraph(wasm, [r(RelocKind.function, 19, 2), r(RelocKind.function, 20, 4), r(RelocKind.global, 39, 3)]);
    expect(g).toEqual([
      { calls: [0], got: [] },
      { calls: [2], got: [] },
      { calls: [], got: [2] },
    ]);
  });

  it('calls to imported functions, the memory base (global 0), and type and data relocations are no edges', () => {
    const g = callGraph(wasm, [
      r(RelocKind.function, 11, 0),
      r(RelocKind.function, 12, 1),
      r(RelocKind.global, 13, 0),
      r(RelocKind.global, 14, 1),
      r(RelocKind.type, 15, 5),
      r(RelocKind.data, 16, 5),
    ]);
    expect(g[0]).toEqual({ calls: [], got: [0] });
  });

  it('relocations past the last body are ignored', () => {
    const g = callGraph(wasm, [r(RelocKind.function, 35, 3), r(RelocKind.function, 40, 2), r(RelocKind.global, 50, 1)]);
    expect(g).toEqual([
      { calls: [], got: [] },
      { calls: [], got: [] },
      { calls: [1], got: [] },
    ]);
  });
});

describe('private names', () => {
  it('a qualifier keeps letters, digits and _ and replaces everything else; an empty name is _', () => {
    expect(qualifierOf('lib')).toBe('lib');
    expect(qualifierOf('my-lib.v2')).toBe('my_lib_v2');
    expect(qualifierOf('é9_x')).toBe('é9_x');
    expect(qualifierOf('')).toBe('_');
  });

  it('qualify puts `..module` after the base, before the instance suffix', () => {
    expect(qualify('_h', 'lib')).toBe('_h..lib');
    expect(qualify('_h$i64', 'lib')).toBe('_h..lib$i64');
    expect(isQualified('_h..lib$i64')).toBe(true);
    expect(isQualified('_h$i64')).toBe(false);
  });

  it('renameSymbol renames by base and keeps the suffix; other names are left alone', () => {
    const renamed = new Map([['_h', '_h..lib']]);
    expect(renameSymbol('_h$i64', renamed)).toBe('_h..lib$i64');
    expect(renameSymbol('_h', renamed)).toBe('_h..lib');
    expect(renameSymbol('_hx', renamed)).toBe('_hx');
    expect(renameSymbol('_h', new Map())).toBe('_h');
  });
});

describe('readProfile', () => {
  const smf = (note?: string) => writeSmf({ sections: [{ type: SectionType.Code, name: 'code', data: Uint8Array.of(0) }], symbols: [], ...(note === undefined ? {} : { note }) });

  it('takes the jit_compiled rows only', () => {
    const inst = (mangledName: string, status: 'jit_compiled' | 'compiled' | 'deferred') => ({ template: 'max', typeArgs: 'x', mangledName, fromFile: 'a.spl', fromLoc: 'a.spl:1:1', toObj: 'a.smf', status });
    const note = serializeNoteSdn({ ...emptyNote(), instantiations: [inst('max$i64', 'jit_compiled'), inst('max$f64', 'compiled'), inst('max$u8', 'deferred'), inst('min$i32', 'jit_compiled')] });
    expect([...readProfile({ file: 'p.smf', bytes: smf(note) })]).toEqual(['max$i64', 'min$i32']);
  });

  it('a note that does not parse is refused, naming the file', () => {
    expect(() => readProfile({ file: 'p.smf', bytes: smf('instantiations |a|\n    1, 2\n') })).toThrow(/^p\.smf:/);
  });

  it('a file without a note asks for nothing', () => {
    expect(readProfile({ file: 'p.smf', bytes: smf() }).size).toBe(0);
  });
});
