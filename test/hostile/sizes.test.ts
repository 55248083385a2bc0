import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmfModule } from '../../src/compiler/interface/smf-module.js';
import { InterfaceError } from '../../src/compiler/interface/module-interface.js';
import { decodeJitCache, encodeJitCache, JitCacheError } from '../../src/loader/jit-code-cache.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SmfReader } from '../../src/smf/index.js';
import { compiledSmf, smf, withJson, workspace } from './helpers.js';

const SOURCE = 'fn main() -> i64:\n    print("some static text")\n    7\n';

/** The size of the module's code section, the bound every dataSize must keep. */
function codeSize(bytes: Uint8Array): number {
  const r = SmfReader.fromBytes(bytes);
  return r.sectionDataSize(r.findSectionIndex(1, 'code'));
}

describe('sizes from a file are bounded before any allocation (issue #11, point 1)', () => {
  const good = compiledSmf(SOURCE, 'app');
  const limit = codeSize(good);

  it('load_index.dataSize: the code section size is the last value accepted, one more is refused', () => {
    const edge = withJson(good, 'load_index', (j) => (j.dataSize = limit));
    expect(readSmfModule(SmfReader.fromBytes(edge, { file: 'edge.smf' })).loadIndex?.dataSize).toBe(limit);
    const over = withJson(good, 'load_index', (j) => (j.dataSize = limit + 1));
    expect(() => readSmfModule(SmfReader.fromBytes(over, { file: 'over.smf' }))).toThrow(InterfaceError);
    expect(() => readSmfModule(SmfReader.fromBytes(over, { file: 'over.smf' }))).toThrow(
      new RegExp(`^over\\.smf: load_index: dataSize \\(section\\[\\d+\\] at byte 0x[0-9a-f]+\\): ${limit + 1} bytes of static data, but the code section`),
    );
  });

  it('type_info.dataSize: the same bound, checked when the interface is parsed', () => {
    const edge = withJson(good, 'type_info', (j) => (j.dataSize = limit));
    expect(readSmfModule(SmfReader.fromBytes(edge)).iface.dataSize).toBe(limit);
    const over = withJson(good, 'type_info', (j) => (j.dataSize = limit + 1));
    expect(() => readSmfModule(SmfReader.fromBytes(over)).iface).toThrow(/: type_info: dataSize .* but the code section/);
  });

  it('the loader refuses 2^31 and 2^40 at once, with a typed error and no allocation', () => {
    for (const claim of [2 ** 31, 2 ** 40]) {
      const d = workspace({ 'app.smf': withJson(good, 'load_index', (j) => (j.dataSize = claim)) });
      // "No allocation" measured as memory, not as time (which a busy machine stretches).
      const before = process.memoryUsage().arrayBuffers;
      const r = new ModuleLoader({ jit: { updateSmf: false } }).load(join(d, 'app.smf'));
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') expect(r.error).toBeInstanceOf(InterfaceError);
    }
  });

  it('jit_cache: an entry whose data size exceeds its code is refused; equal is accepted', () => {
    const wasm = new Uint8Array(40);
    const entry = { symbol: 'f$i64', fingerprint: 1n, wasm };
    expect(decodeJitCache(encodeJitCache([{ ...entry, dataSize: 40 }]), 'a.smf').get('f$i64')?.dataSize).toBe(40);
    const bad = encodeJitCache([{ ...entry, dataSize: 41 }]);
    expect(() => decodeJitCache(bad, 'a.smf')).toThrow(JitCacheError);
    expect(() => decodeJitCache(bad, 'a.smf')).toThrow(/a\.smf: jit_cache at byte 27: data size 41 exceeds the entry's 40 bytes of code/);
  });

  it('smf link refuses an input claiming 1e9 bytes of static data: exit 1, nothing written', () => {
    const d = workspace();
    writeFileSync(join(d, 'app.smf'), withJson(withJson(good, 'type_info', (j) => (j.dataSize = 1e9)), 'load_index', (j) => (j.dataSize = 1e9)));
    const r = smf(['link', 'app.smf', '-o', 'out.smf'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/app\.smf: .*dataSize .*1000000000 bytes of static data/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(d, 'out.smf'))).toBe(false);
  });

  it('smf link refuses an interface that claims more static data than its code holds, even within the code size', () => {
    const d = workspace();
    writeFileSync(join(d, 'app.smf'), withJson(withJson(good, 'type_info', (j) => (j.dataSize = limit)), 'load_index', (j) => (j.dataSize = limit)));
    const r = smf(['link', 'app.smf', '-o', 'out.smf'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bytes of static data, but the interface declares/);
    expect(existsSync(join(d, 'out.smf'))).toBe(false);
  });
});
