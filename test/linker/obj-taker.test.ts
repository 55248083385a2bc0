/**
 * ObjTaker: each route of takeObject, explicit and inferred instantiation, deferral, the arity
 * check, inference cycles, and the bounded caches with their statistics.
 */
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompilerContext } from '../../src/compiler/context.js';
import { ProgramEnv } from '../../src/compiler/program.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { usageHints } from '../../src/linker/hints.js';
import type { UsageHint } from '../../src/linker/hints.js';
import { openObjModule } from '../../src/linker/obj-module.js';
import type { ObjModule } from '../../src/linker/obj-module.js';
import { ObjTaker } from '../../src/linker/obj-taker.js';
import type { TakeResult } from '../../src/linker/obj-taker.js';
import { emptyNote } from '../../src/sdn/index.js';
import { compileFolder, PROGRAMS } from './helpers.js';

let env: ProgramEnv;
let app: ObjModule;
let util: ObjModule;

let smfs: Map<string, string>;
beforeAll(() => {
  smfs = compileFolder(join(PROGRAMS, 'shapes'));
});
// Opened for each test (a fresh environment), so the reading of the modules counts for the
// tests that depend on it.
beforeEach(() => {
  env = new ProgramEnv();
  app = openObjModule(smfs.get('app')!, env);
  util = openObjModule(smfs.get('util')!, env);
  openObjModule(smfs.get('geometry')!, env);
});

function taker(config = {}): ObjTaker {
  return new ObjTaker(new CompilerContext(env), config);
}

function expectKind<K extends TakeResult['kind']>(r: TakeResult, kind: K): Extract<TakeResult, { kind: K }> {
  expect(r.kind, JSON.stringify(r.kind === 'error' ? r.message : r.kind)).toBe(kind);
  return r as Extract<TakeResult, { kind: K }>;
}

function hint(template: string, typeArgs: string, extra: Partial<UsageHint> = {}): UsageHint {
  return { template, typeArgs, expr: `${template}<${typeArgs}>(…)`, context: 'call', at: 'app.spl:1:1', ...extra };
}

describe('takeObject routes', () => {
  it('a concrete function: its code in the module, with the symbols it calls through the GOT', () => {
    const r = expectKind(taker().takeObject(app, 'main'), 'code');
    expect(r.code.source).toBe('module');
    expect(r.code.wasm).toBe(app.parts.code);
    expect(r.code.requires).toEqual(expect.arrayContaining(['max$i64', 'max$text', 'sum$f64', 'Stack.new$Point']));
    expect(r.code.typeArgs).toEqual([]);
  });

  it('a private function, under its linked name', () => {
    const r = expectKind(taker().takeObject(util, '_helper..util'), 'code');
    expect(r.code.requires).toEqual([]);
  });

  it('an instance name: the template instantiated with the explicit arguments', () => {
    const r = expectKind(taker().takeObject(util, 'max$i64'), 'code');
    expect(r.code.source).toBe('instance');
    expect(r.code.requires).toEqual(['_pick..util$i64']);
    const wasm = readWasmModule(r.code.wasm);
    expect(wasm.exports.map((e) => e.name)).toEqual(['max$i64']);
    expect(wasm.relocs?.length).toBeGreaterThan(0);
  });

  it('a template without usage hints comes back as a template; with allowDeferred off it is an error', () => {
    const t = expectKind(taker().takeObject(util, 'max'), 'template');
    expect(t.template.symbol).toBe('max');
    const e = expectKind(taker({ allowDeferred: false }).takeObject(util, 'max'), 'error');
    expect(e.code).toBe('NO_HINTS');
    expect(e.message).toBe("no usage hint determines the type arguments of 'max'");
  });

  it('a template with hints in its own note is inferred and instantiated', () => {
    const withHints: ObjModule = { ...util, note: { ...emptyNote(), typeInferences: [{ inferredType: 'f32', expr: 'max<f32>(…)', context: 'call', fromFile: 'x', fromLoc: 'x:1:1' }] } };
    const r = expectKind(taker().takeObject(withHints, 'max'), 'code');
    expect(r.symbol).toBe('max$f32');
  });

  it('unknown names are not found; malformed ones are errors', () => {
    expectKind(taker().takeObject(util, 'nope'), 'not_found');
    expectKind(taker().takeObject(util, 'nope$i64'), 'not_found');
    expect(expectKind(taker().takeObject(util, 'max$'), 'error').code).toBe('BAD_NAME');
  });
});

describe('takeWithTypes', () => {
  it('checks the number of type arguments', () => {
    const e = expectKind(taker().takeWithTypes(util, 'max', ['i64', 'f64']), 'error');
    expect(e.code).toBe('TYPE_ARG_COUNT');
    expect(e.message).toBe("type argument count mismatch: 'max' takes 1, given 2");
    expect(expectKind(taker().takeWithTypes(util, 'max', []), 'error').message).toBe("type argument count mismatch: 'max' takes 1, given 0");
  });

  it('reports an instantiation that does not type-check, with the place inside the template', () => {
    const e = expectKind(taker().takeWithTypes(util, 'sum', ['bool']), 'error');
    expect(e.code).toBe('INSTANTIATION');
    expect(e.message).toMatch(/^cannot instantiate 'sum<bool>': .*util\.spl:16:17: /);
  });

  it('refuses a function that is not a template', () => {
    expect(expectKind(taker().takeWithTypes(util, '_helper..util', ['i64']), 'error').code).toBe('NOT_A_TEMPLATE');
  });

  it('accepts types or their surface syntax, for methods of generic structs too', () => {
    const geometry = new Map([['Stack.push', 'Stack.push$Point']]);
    const t = taker();
    const a = expectKind(t.takeWithTypes(util, 'max', [{ kind: 'int', bits: 16, signed: true }]), 'code');
    expect(a.symbol).toBe('max$i16');
    for (const [template, symbol] of geometry) {
      const fn = env.fn(template)!;
      expect(fn).toBeDefined();
      const owner: ObjModule = { ...util, fns: new Map([[template, fn]]) };
      expect(expectKind(t.takeWithTypes(owner, template, ['Point']), 'code').symbol).toBe(symbol);
    }
  });
});

describe('takeGeneric: inference from usage hints', () => {
  it("infers from the using module's hints", () => {
    const hints = usageHints(app.note, 'max').filter((h) => h.typeArgs === 'i64');
    const r = expectKind(taker().takeGeneric(util, 'max', hints, app.note), 'code');
    expect(r.symbol).toBe('max$i64');
    expect(r.code.typeArgs).toEqual([{ kind: 'int', bits: 64, signed: true }]);
  });

  it('hints that disagree are an inference error from the shared unifier', () => {
    const e = expectKind(taker().takeGeneric(util, 'max', usageHints(app.note, 'max'), app.note), 'error');
    expect(e.code).toBe('INFERENCE');
    expect(e.message).toBe("cannot infer the type arguments of 'max': conflicting types for type parameter T: i64 vs text (from hints 1 and 2)");
  });

  it('a hint with the wrong number of types is an arity error', () => {
    const e = expectKind(taker().takeGeneric(util, 'max', [hint('max', 'i64, f64')]), 'error');
    expect(e.message).toBe("type argument count mismatch: 'max' takes 1, given 2");
  });

  it('placeholders decided by another row are resolved through it', () => {
    const note = { ...emptyNote(), typeInferences: [{ inferredType: '[(i64, text)]', expr: 'x', context: 'literal', fromFile: 'a', fromLoc: 'a:1:1' }] };
    // `[?T]` is unified with row `x`'s `[(i64, text)]`.
    const r = expectKind(taker().takeGeneric(util, 'bump', [hint('bump', '[?T]', { context: 'depends_on_x' })], note), 'code');
    expect(r.symbol).toBe('bump$[(i64,text)]');
  });

  it('hints whose types only the loader can know defer the template (takeDeferred)', () => {
    const h = hint('max', '?T', { context: 'var_init' });
    const d = expectKind(taker().takeGeneric(util, 'max', [h]), 'deferred');
    expect(d.hints).toEqual([h]);
    expect(d.template.symbol).toBe('max');
    expect(expectKind(taker({ allowDeferred: false }).takeGeneric(util, 'max', [h]), 'error').code).toBe('INFERENCE');
  });

  it('hints that depend on each other are an inference cycle (E0421) with its path', () => {
    const note = {
      ...emptyNote(),
      typeInferences: [
        { inferredType: '?A', expr: 'a', context: 'depends_on_b', fromFile: 'f', fromLoc: 'f:1:1' },
        { inferredType: '?B', expr: 'b', context: 'depends_on_a', fromFile: 'f', fromLoc: 'f:2:1' },
      ],
    };
    const e = expectKind(taker().takeGeneric(util, 'max', [hint('max', '?X', { expr: 'a', context: 'depends_on_b', at: 'f:1:1' })], note), 'error');
    expect(e.code).toBe('E0421');
    expect(e.cycle).toEqual(['a', 'b', 'a']);
    expect(e.message).toBe('type inference cycle: a->b->a');
    expect(e.at).toBe('f:1:1');
  });
});

describe('takeDeferred', () => {
  it('keeps the template and its hints for load time', () => {
    const t = taker();
    const d = expectKind(t.takeDeferred(util, 'sum', [hint('sum', 'i32')]), 'deferred');
    expect(d.module).toBe('util');
    expect(d.hints).toHaveLength(1);
    expect(t.stats().deferred).toBe(1);
    expectKind(t.takeDeferred(util, 'missing'), 'not_found');
  });
});

describe('caches', () => {
  it('an instance is compiled once and then served from the cache', () => {
    const t = taker();
    const a = t.takeWithTypes(util, 'max', ['i64']);
    const b = t.takeObject(util, 'max$i64');
    expect(b).toBe(a);
    const s = t.stats();
    expect(s.instantiated).toBe(1);
    expect(s.instances.hits).toBe(1);
    expect(s.instances.size).toBe(1);
    expect(s.templates.size).toBe(1);
  });

  it('is bounded: the least recently used entry is evicted', () => {
    const t = taker({ maxCacheSize: 2 });
    for (const ty of ['i64', 'f64', 'text', 'i64']) expectKind(t.takeWithTypes(util, 'max', [ty]), 'code');
    const s = t.stats();
    expect(s.instances.size).toBe(2);
    expect(s.instances.evictions).toBe(2);
    expect(s.instantiated).toBe(4);
    t.clearCache();
    expect(t.stats().instances.size).toBe(0);
  });

  it('can be switched off', () => {
    const t = taker({ enableCache: false });
    t.takeWithTypes(util, 'max', ['i64']);
    t.takeWithTypes(util, 'max', ['i64']);
    expect(t.stats().instantiated).toBe(2);
    expect(t.stats().instances.size).toBe(0);
  });
});
