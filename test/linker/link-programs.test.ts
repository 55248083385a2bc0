/**
 * Multi-module programs, linked under every instantiation policy, run through the ModuleLoader
 * and compared with the expected output (and with the same modules loaded separately).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { readWasmModule } from '../../src/compiler/wasm/reader.js';
import { link } from '../../src/linker/link.js';
import type { InstantiatePolicy } from '../../src/linker/link.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { SmfReader } from '../../src/smf/index.js';
import { compileFolder, linkTo, PROGRAMS, runMain, tempDir } from './helpers.js';

const POLICIES: InstantiatePolicy[] = ['eager', 'lazy', 'hybrid'];
const SUITE = resolve(import.meta.dirname, '../programs/modules');

function noteOf(path: string) {
  return parseNoteSdn(SmfReader.openSync(path).noteSdnText()!);
}

describe('programs of the suite (test/programs/modules), linked', () => {
  const programs = existsSync(SUITE) ? readdirSync(SUITE).sort() : [];
  for (const prog of programs) {
    describe(prog, () => {
      const dir = join(SUITE, prog);
      let smfs: Map<string, string>;
      let expected: string;
      // The separate run loads through the loader's JIT, linker code (ObjTaker): made inside the
      // first test that needs it, so a mutant there is tested (and counted) per test.
      let separate: ReturnType<typeof runMain> | undefined;
      beforeAll(() => {
        smfs = compileFolder(dir);
        expected = readFileSync(join(dir, 'main.out'), 'utf8');
        separate = undefined;
      });
      for (const policy of POLICIES) {
        it(`${policy}: same output as the modules loaded separately`, () => {
          separate ??= runMain(smfs.get('main')!);
          const out = join(tempDir(), 'app.smf');
          linkTo([...smfs.values()], out, { instantiate: policy });
          const run = runMain(out);
          expect(run.output).toBe(expected);
          expect(run.output).toBe(separate.output);
          expect(run.trap).toBe(separate.trap);
          expect(run.result).toEqual(separate.result);
        });
      }
    });
  }
});

describe('shapes: three modules, private names that clash, generic structs and methods', () => {
  let smfs: Map<string, string>;
  let inputs: string[];
  const expected = '9\nbanana\n6.75\n1003\n2\n2\n7\n1\nx\n';
  beforeAll(() => {
    smfs = compileFolder(join(PROGRAMS, 'shapes'));
    inputs = ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);
  });
  // Each test links what it reads, under the policies it asks for: the link runs inside the test.
  const linked = new Map<InstantiatePolicy, { path: string; r: ReturnType<typeof linkTo> }>();
  beforeEach(() => linked.clear());
  const outputs = {
    get(policy: InstantiatePolicy): { path: string; r: ReturnType<typeof linkTo> } {
      let o = linked.get(policy);
      if (o === undefined) {
        const path = join(tempDir(), 'app.smf');
        o = { path, r: linkTo(inputs, path, { instantiate: policy }) };
        linked.set(policy, o);
      }
      return o;
    },
  };

  it('runs the same under every policy, and as separate modules', () => {
    expect(runMain(smfs.get('app')!, { lazyLoad: false }).output).toBe(expected);
    for (const policy of POLICIES) expect(runMain(outputs.get(policy)!.path).output, policy).toBe(expected);
  });

  it('eager compiles every instance at link time; the loader JIT-compiles nothing', () => {
    const { path, r } = outputs.get('eager')!;
    expect(r.stats.deferred).toBe(0);
    expect(r.stats.instantiated).toBeGreaterThan(10);
    const note = noteOf(path);
    expect(note.possible).toEqual([]);
    expect(note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName)).toEqual(
      expect.arrayContaining(['max$i64', 'max$text', 'sum$f64', 'Stack.push$Point', 'sum$i32', 'max$i32']),
    );
    expect(runMain(path).loader.stats().jit.compiled).toBe(0);
  });

  it('lazy defers every instance as a possible row; the loader JIT instantiates them and the program still runs', () => {
    const { path, r } = outputs.get('lazy')!;
    expect(r.stats.instantiated).toBe(0);
    const note = noteOf(path);
    const deferred = note.instantiations.filter((i) => i.status === 'deferred').map((i) => i.mangledName);
    expect(deferred).toEqual(expect.arrayContaining(['max$i64', 'Stack.new$Point', 'sum$i32']));
    expect(note.possible.map((p) => p.mangledName).sort()).toEqual([...deferred].sort());
    for (const p of note.possible) expect(p.canDefer).toBe(true);
    const run = runMain(path);
    expect(run.output).toBe(expected);
    expect(run.loader.stats().jit.compiled).toBeGreaterThanOrEqual(deferred.length);
  });

  it('hybrid compiles what main reaches and defers instances only reachable from code main never calls', () => {
    const { path, r } = outputs.get('hybrid')!;
    const note = noteOf(path);
    const status = new Map(note.instantiations.map((i) => [i.mangledName, i.status]));
    expect(status.get('max$i64')).toBe('compiled');
    expect(status.get('Stack.pop$Point')).toBe('compiled');
    // Only `rarely_used` (never called from main) needs these.
    expect(status.get('sum$i32')).toBe('deferred');
    expect(status.get('max$i32')).toBe('deferred');
    expect(note.possible.map((p) => p.mangledName).sort()).toEqual(['max$i32', 'sum$i32']);
    expect(r.stats.deferred).toBe(2);
  });

  it('an instance several modules need is emitted once, and `to_obj` names the output', () => {
    const { path } = outputs.get('eager')!;
    const parts = readSmfModule(SmfReader.openSync(path));
    const exports = readWasmModule(parts.code).exports.map((e) => e.name);
    expect(new Set(exports).size).toBe(exports.length);
    expect(exports.filter((e) => e === 'max$i64')).toHaveLength(1);
    for (const row of noteOf(path).instantiations) expect(row.toObj).toBe('app.smf');
  });

  it('private functions of different modules keep apart under their linked names', () => {
    const parts = readSmfModule(SmfReader.openSync(outputs.get('eager')!.path));
    const exports = readWasmModule(parts.code).exports.map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(['_helper..util', '_helper..geometry', '_pick..geometry$i64', '_pick..util$i64']));
    expect(parts.iface.members?.map((m) => m.module)).toEqual(['app', 'util', 'geometry']);
    expect(parts.iface.functions).toEqual([]);
    // The interface lists what the merged code defines and calls, as a single module's does.
    expect(parts.iface.code?.exports).toEqual(exports);
    const imported = readWasmModule(parts.code).imports.filter((i) => i.module === 'GOT.func').map((i) => i.field);
    expect(parts.iface.code?.calls).toEqual(imported.filter((s) => !exports.includes(s)));
  });

  it('the output starts with the stub and is a valid WebAssembly module', () => {
    const bytes = readFileSync(outputs.get('hybrid')!.path);
    expect(bytes.subarray(0, 19).toString()).toBe('#!/usr/bin/env smf\n');
    const parts = readSmfModule(SmfReader.fromBytes(bytes));
    expect(WebAssembly.validate(parts.code as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    for (const policy of POLICIES) {
      const a = link(inputs, { output: 'x/app.smf', instantiate: policy });
      const b = link(inputs, { output: 'y/app.smf', instantiate: policy });
      expect(a.ok && b.ok).toBe(true);
      if (a.ok && b.ok) expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    }
  });

  it('a linked SMF links again (with another module) and still runs', () => {
    const first = outputs.get('lazy')!.path;
    const again = join(tempDir(), 'again.smf');
    const r = linkTo([first], again, { instantiate: 'eager' });
    expect(r.stats.instantiated).toBeGreaterThan(0);
    expect(noteOf(again).possible).toEqual([]);
    expect(runMain(again).output).toBe(expected);
    const hybrid = join(tempDir(), 'again2.smf');
    linkTo([outputs.get('hybrid')!.path], hybrid, { instantiate: 'hybrid' });
    expect(runMain(hybrid).output).toBe(expected);
  });

  it('--profile compiles in what the loader JIT-compiled in an earlier run', () => {
    const dir = tempDir();
    const lazyPath = join(dir, 'lazy.smf');
    writeFileSync(lazyPath, readFileSync(outputs.get('lazy')!.path));
    // A run that writes its JIT instantiations back into the file's note.sdn.
    runMain(lazyPath, { writeBack: true });
    const jitted = noteOf(lazyPath).instantiations.filter((i) => i.status === 'jit_compiled').map((i) => i.mangledName);
    // Instances are compiled when first called: `rarely_used` never runs, so its sum<i32> is not.
    expect(jitted).toEqual(expect.arrayContaining(['max$i64', 'max$text']));
    expect(jitted).not.toContain('sum$i32');
    const warm = join(dir, 'warm.smf');
    const r = linkTo(inputs, warm, { instantiate: 'lazy', profile: lazyPath });
    const note = noteOf(warm);
    const compiled = note.instantiations.filter((i) => i.status === 'compiled').map((i) => i.mangledName);
    expect(compiled).toEqual(expect.arrayContaining(jitted.filter((s) => !s.includes('..'))));
    expect(r.stats.instantiated).toBeGreaterThan(0);
    const run = runMain(warm);
    expect(run.output).toBe(expected);
    expect(run.loader.stats().jit.compiled).toBe(0);
  });
});

describe('in-memory inputs', () => {
  it('links SMF bytes as well as paths', () => {
    const smfs = compileFolder(join(PROGRAMS, 'shapes'));
    const inputs = ['app', 'util', 'geometry'].map((m) => ({ file: `${m}.smf`, bytes: readFileSync(smfs.get(m)!) }));
    const r = link(inputs, { output: 'app.smf' });
    expect(r.ok).toBe(true);
  });
});
