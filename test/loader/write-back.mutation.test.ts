/**
 * The write-back of load-time instances (src/loader/write-back.ts), driven directly: what it
 * writes into the file, when (at the end of the turn, or on flush, forget and reload), and what
 * it refuses (a file someone else changed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WriteBack } from '../../src/loader/write-back.js';
import type { WritableModule } from '../../src/loader/write-back.js';
import { SmfCache } from '../../src/loader/smf-cache.js';
import { decodeJitCache, JIT_CACHE_SECTION } from '../../src/loader/jit-code-cache.js';
import type { CachedInstance } from '../../src/loader/jit-code-cache.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { SectionType, SmfReader } from '../../src/smf/index.js';
import { natives } from '../../src/platform/index.js';
import { compileToSmf, workspace } from './fixtures.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const WASM = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
const entry = (symbol: string, fingerprint = 1n): CachedInstance => ({ symbol, fingerprint, dataSize: 0, wasm: WASM });

/** A compiled module `m`, a cache, and a WriteBack tracking it, with the errors it reports. */
function setup() {
  const dir = workspace({ 'm.spl': 'fn id<T>(x: T) -> T:\n    x\n' });
  compileToSmf(dir, ['m.spl']);
  const path = join(dir, 'm.smf');
  const cache = new SmfCache();
  const reader = cache.get(path, { fresh: true }).reader;
  const module: WritableModule = { path, note: parseNoteSdn(reader.noteSdnText() ?? '') };
  const errors: Array<{ path: string; error: Error }> = [];
  const wb = new WriteBack(cache, (name) => (name === 'm' ? module : undefined), (p, error) => errors.push({ path: p, error }));
  wb.track('m', reader);
  return { dir, path, cache, reader, module, errors, wb };
}

/** The jit_cache sections of the file on disk, decoded. */
function keptOnDisk(path: string): Array<string[]> {
  const r = SmfReader.fromBytes(new Uint8Array(readFileSync(path)), { file: path });
  return r.sections
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.type === SectionType.Code && s.name === JIT_CACHE_SECTION)
    .map(({ i }) => [...decodeJitCache(r.sectionData(i), path).keys()]);
}

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('WriteBack', () => {
  it('writes what was recorded at the end of the turn, keeping the process alive for it', async () => {
    const afterJob = vi.spyOn(natives, 'afterJob');
    const { path, errors, wb } = setup();
    wb.record('m', entry('id$i64'));
    wb.record('m', entry('id$f64'));
    expect(keptOnDisk(path)).toEqual([]);
    expect(afterJob).toHaveBeenCalledTimes(1);
    expect(afterJob.mock.calls[0][1]).toBe(true);
    await nextTurn();
    expect(keptOnDisk(path)).toEqual([['id$i64', 'id$f64']]);
    expect(errors).toEqual([]);
  });

  it('schedules again after an explicit flush, and keeps one jit_cache section with every instance', async () => {
    const { path, errors, wb } = setup();
    wb.record('m', entry('id$i64'));
    wb.flush();
    expect(keptOnDisk(path)).toEqual([['id$i64']]);
    await nextTurn();
    wb.record('m', entry('id$f64'));
    await nextTurn();
    expect(keptOnDisk(path)).toEqual([['id$i64', 'id$f64']]);
    // Two writes in a row: after its own write, the file is not taken for someone else's change.
    expect(errors).toEqual([]);
  });

  it('writes a changed note without an empty jit_cache section', () => {
    const { path, module, errors, wb } = setup();
    module.note.circularErrors.push({ cyclePath: 'a->b->a', errorCode: 'E0420' });
    wb.noteChanged('m');
    wb.flush();
    expect(errors).toEqual([]);
    const r = SmfReader.fromBytes(new Uint8Array(readFileSync(path)), { file: path });
    expect(r.noteSdnText()).toContain('a->b->a');
    expect(r.findSectionIndex(SectionType.Code, JIT_CACHE_SECTION)).toBe(-1);
  });

  it('writes what is pending when it forgets a module, then tracks it no more', () => {
    const { path, wb } = setup();
    wb.record('m', entry('id$i64'));
    wb.forget('m');
    expect(keptOnDisk(path)).toEqual([['id$i64']]);
    expect(wb.isTracked('m')).toBe(false);
  });

  it('leaves alone a file someone else changed, and writes to it again once told of the reload', () => {
    const { dir, path, cache, errors, wb } = setup();
    wb.record('m', entry('id$i64'));
    writeFileSync(join(dir, 'm.spl'), 'fn id<T>(x: T) -> T:\n    x\n\nfn two() -> i64:\n    2\n');
    compileToSmf(dir, ['m.spl']);
    const theirs = readFileSync(path);
    wb.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0].error).toMatchObject({ code: 'LOAD_WRITE_BACK', message: 'the file changed on disk since it was loaded: its load-time instances are not written back' });
    expect(readFileSync(path).equals(theirs)).toBe(true);
    wb.replaced('m', cache.get(path, { fresh: true }).reader);
    wb.record('m', entry('id$f64'));
    wb.flush();
    expect(errors).toHaveLength(1);
    expect(keptOnDisk(path)).toEqual([['id$f64']]);
  });

  it('finds a kept instance by symbol and fingerprint in any tracked file', () => {
    const { wb } = setup();
    wb.record('m', entry('id$i64', 7n));
    wb.flush();
    expect(wb.lookup('id$i64', () => 7n)?.fingerprint).toBe(7n);
    expect(wb.lookup('id$i64', () => 8n)).toBeUndefined();
    expect(wb.lookup('id$u8', () => 7n)).toBeUndefined();
  });
});
