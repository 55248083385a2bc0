/**
 * ObjTaker at its edges: exactly which symbols a module's function requires (each function of a
 * module, not only its first; a module without relocations), the exact result of each refusal
 * (a function that is no template, asked every way), the failure count, the keys that keep
 * instances made with different options apart, and the template cache's key. Written against
 * the survivors of a mutation run (docs/testing.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompilerContext } from '../../src/compiler/context.js';
import { ProgramEnv } from '../../src/compiler/program.js';
import { INSTANCE_EXPORT } from '../../src/compiler/lower/unit.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import type { UsageHint } from '../../src/linker/hints.js';
import { openObjModule } from '../../src/linker/obj-module.js';
import type { ObjModule } from '../../src/linker/obj-module.js';
import { ObjTaker } from '../../src/linker/obj-taker.js';
import type { ObjTakerConfig, TakeResult } from '../../src/linker/obj-taker.js';
import { parseType } from '../../src/types/index.js';
import { compileFolder, compileTo, PROGRAMS, tempDir } from './helpers.js';

let shapes: Map<string, string>;
let plain: string;
beforeAll(() => {
  shapes = compileFolder(join(PROGRAMS, 'shapes'));
  const dir = tempDir();
  // No static data and no calls: a module without a single relocation.
  writeFileSync(join(dir, 'plain.spl'), 'fn one() -> i64:\n    1\n\nfn two() -> i64:\n    2\n');
  plain = compileTo([join(dir, 'plain.spl')], join(dir, 'out')).get('plain')!;
});

interface Opened {
  env: ProgramEnv;
  app: ObjModule;
  util: ObjModule;
  taker: (config?: Partial<ObjTakerConfig>) => ObjTaker;
}

function open(): Opened {
  const env = new ProgramEnv();
  const app = openObjModule(shapes.get('app')!, env);
  const util = openObjModule(shapes.get('util')!, env);
  openObjModule(shapes.get('geometry')!, env);
  return { env, app, util, taker: (config = {}) => new ObjTaker(new CompilerContext(env), config) };
}

function code(r: TakeResult): Extract<TakeResult, { kind: 'code' }> {
  if (r.kind !== 'code') throw new Error(`expected code, got ${JSON.stringify(r)}`);
  return r;
}

const notATemplate = (symbol: string) => ({ kind: 'error', symbol, code: 'NOT_A_TEMPLATE', message: `'${symbol}' is not a generic template` });

describe('takeConcrete: the symbols a function requires', () => {
  it("each function of a module requires exactly the GOT symbols its own body uses (app's second function too)", () => {
    const { app, taker } = open();
    expect(app.exportOf).toEqual(['main', 'rarely_used']);
    const t = taker();
    // Every call main makes goes through the GOT; its static data (the texts) through
    // __memory_base, which is no symbol.
    expect(code(t.takeConcrete(app, 'main')).code.requires).toEqual([
      'max$i64',
      'max$text',
      'sum$f64',
      'bump$i64',
      'Stack.new$Point',
      'Stack.push$Point',
      'Stack.size$Point',
      'Stack.pop$Point',
      'norm1',
      'Stack.new$text',
      'Stack.push$text',
      'Stack.size$text',
      'Stack.pop$text',
    ]);
    // The relocations of the last function of the code: none of main's, and nothing past its end.
    expect(code(t.takeConcrete(app, 'rarely_used')).code).toMatchObject({ source: 'module', functionIndex: 1, requires: ['sum$i32', 'max$i32'], typeArgs: [] });
    expect(code(t.takeObject(app, 'rarely_used')).code.requires).toEqual(['sum$i32', 'max$i32']);
  });

  it('a module without relocations: each of its functions requires nothing', () => {
    const m = openObjModule(plain, new ProgramEnv());
    expect(m.relocs).toEqual([]);
    const t = new ObjTaker(new CompilerContext(new ProgramEnv()));
    for (const [name, index] of [['one', 0], ['two', 1]] as const) {
      expect(code(t.takeConcrete(m, name)).code).toEqual({ source: 'module', wasm: m.parts.code, functionIndex: index, requires: [], typeArgs: [] });
    }
  });

  it('a name the module neither defines nor has a template of is not found, without a look in the template cache', () => {
    const { util, taker } = open();
    const t = taker();
    expect(t.takeObject(util, 'nope')).toEqual({ kind: 'not_found', symbol: 'nope' });
    expect(t.takeObject(util, 'max.nope')).toEqual({ kind: 'not_found', symbol: 'max.nope' });
    expect(t.stats()).toMatchObject({ templates: { size: 0, hits: 0, misses: 0 }, failures: 0 });
  });
});

describe('refusals, exactly', () => {
  it('a function that is no template, asked for by every route', () => {
    const { util, taker } = open();
    const helper = util.fns.get('_helper..util')!;
    const t = taker();
    expect(t.takeGeneric(util, '_helper..util')).toEqual(notATemplate('_helper..util'));
    expect(t.takeWithTypes(util, '_helper..util', ['i64'])).toEqual(notATemplate('_helper..util'));
    expect(t.takeDeferred(util, '_helper..util')).toEqual(notATemplate('_helper..util'));
    expect(t.takeInstance(helper, [])).toEqual(notATemplate('_helper..util'));
    expect(t.stats()).toMatchObject({ failures: 4, deferred: 0, instantiated: 0 });
  });

  it('takeInstance checks the number of type arguments', () => {
    const { util, taker } = open();
    const max = util.fns.get('max')!;
    const t = taker();
    expect(t.takeInstance(max, [])).toEqual({ kind: 'error', symbol: 'max', code: 'TYPE_ARG_COUNT', message: "type argument count mismatch: 'max' takes 1, given 0" });
    const i64 = parseType('i64');
    expect(t.takeInstance(max, [i64, i64])).toMatchObject({ code: 'TYPE_ARG_COUNT', message: "type argument count mismatch: 'max' takes 1, given 2" });
    expect(t.stats()).toMatchObject({ failures: 2, instantiated: 0 });
  });

  it('hints only the loader can resolve, with deferral off: the hint’s expression and place', () => {
    const { util, taker } = open();
    const h: UsageHint = { template: 'max', typeArgs: '?T', expr: 'max<?T>(a, b)', context: 'var_init', at: 'app.spl:3:9' };
    expect(taker({ allowDeferred: false }).takeGeneric(util, 'max', [h])).toEqual({
      kind: 'error',
      symbol: 'max',
      code: 'INFERENCE',
      message: "the types of 'max<?T>(a, b)' are only known at load time",
      at: 'app.spl:3:9',
    });
  });

  it('counts each failure once: an instantiation that does not type-check and every other refusal', () => {
    const { util, taker } = open();
    const t = taker();
    expect(t.takeWithTypes(util, 'sum', ['bool'])).toMatchObject({ kind: 'error', code: 'INSTANTIATION', symbol: 'sum$bool' });
    expect(t.stats().failures).toBe(1);
    // A failed instance is not cached: asked again, it fails again.
    t.takeWithTypes(util, 'sum', ['bool']);
    expect(t.stats().failures).toBe(2);
    expect(t.takeWithTypes(util, 'max', [])).toMatchObject({ code: 'TYPE_ARG_COUNT' });
    expect(t.takeWithTypes(util, 'max', ['i64']).kind).toBe('code');
    expect(t.stats()).toMatchObject({ failures: 3, instantiated: 1, deferred: 0 });
  });
});

describe('the instance cache keeps units made with other options apart', () => {
  it('linked, loaded, canonical and both: four units, each served again from its own entry', () => {
    const { util, taker } = open();
    const max = util.fns.get('max')!;
    const i64 = parseType('i64');
    const t = taker();
    const linked = code(t.takeWithTypes(util, 'max', ['i64']));
    // The default options are the linker's: relocatable, the instance's own name.
    expect(t.takeInstance(max, [i64])).toBe(linked);
    expect(t.takeInstance(max, [i64], { relocatable: true })).toBe(linked);
    expect(t.takeInstance(max, [i64], { relocatable: true, canonicalNames: false })).toBe(linked);
    const options = [{ relocatable: false }, { canonicalNames: true }, { relocatable: false, canonicalNames: true }];
    const units = options.map((o) => code(t.takeInstance(max, [i64], o)));
    expect(t.stats().instantiated).toBe(4);
    options.forEach((o, i) => expect(t.takeInstance(max, [i64], o)).toBe(units[i]));
    expect(t.stats().instantiated).toBe(4);
    expect(t.stats().instances).toMatchObject({ size: 4, hits: 6 });
    // What each is: relocations only in the relocatable ones, the canonical export only when asked.
    const shape = (c: Extract<TakeResult, { kind: 'code' }>) => {
      const w = readWasmModule(c.code.wasm);
      return [c.symbol, w.relocs !== undefined, w.exports.map((e) => e.name)];
    };
    expect([linked, ...units].map(shape)).toEqual([
      ['max$i64', true, ['max$i64']],
      ['max$i64', false, ['max$i64']],
      ['max$i64', true, [INSTANCE_EXPORT]],
      ['max$i64', false, [INSTANCE_EXPORT]],
    ]);
  });
});

describe('the template cache', () => {
  it('is keyed by file and name: a second view of one file is served the definition read first', () => {
    const { util, taker } = open();
    const t = taker();
    const max = util.fns.get('max')!;
    const sum = util.fns.get('sum')!;
    expect(t.template(util, 'max')).toBe(max);
    const view: ObjModule = { ...util, fns: new Map([['max', sum]]) };
    expect(t.template(view, 'max')).toBe(max);
    expect(t.stats().templates).toMatchObject({ size: 1, hits: 1, misses: 1 });
    // Another file is another key.
    expect(t.template({ ...view, file: `${util.file}.copy` }, 'max')).toBe(sum);
    expect(t.stats().templates).toMatchObject({ size: 2, hits: 1, misses: 2 });
  });
});
