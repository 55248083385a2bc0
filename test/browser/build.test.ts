import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { join } from 'node:path';
import { xxh64 as nativeXxh64 } from '@node-rs/xxhash';
import { xxh64, Xxh64Stream } from '../../src/platform/xxh64.js';
import * as path from '../../src/browser/posix-path.js';
import { MemoryFiles } from '../../src/browser/memory-files.js';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';

const BUNDLE = join(__dirname, '../../dist/browser/simple-smf.js');
const EXAMPLES = join(__dirname, '../../examples');

describe('the browser bundle', () => {
  it('imports nothing: no Node built-in, no native addon', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text).not.toMatch(/\bfrom\s*["'](node:|@node-rs|lz4-napi|zstd-napi|commander|chokidar)/);
    expect(text).not.toMatch(/\bimport\(\s*["'`](?!\.)/);
    expect(text).not.toMatch(/\brequire\s*\(/);
  });

  it('compiles and runs the examples over its in-memory files (nothing read from disk)', async () => {
    const lib = (await import(BUNDLE)) as typeof import('../../src/browser/index.js');
    const pg = new lib.Playground({ dir: '/mem' });
    const src = new Map([['/mem/hello.spl', readFileSync(join(EXAMPLES, 'hello.spl'), 'utf8')]]);
    const o = pg.run('/mem/hello.spl', src);
    expect(o.diagnostics).toBeNull();
    expect(o.stdout).toBe('Hello, world!\n');
    expect(lib.files.paths()).toContain('/mem/hello.smf');
    const smf = lib.SmfReader.fromBytes(lib.files.readFile('/mem/hello.smf'));
    expect(smf.sections.map((s) => s.name)).toContain('note.sdn');
  });

  it('a compressed section cannot be read there, and says so with a typed error', async () => {
    const lib = (await import(BUNDLE)) as typeof import('../../src/browser/index.js');
    const [c] = new CompileSession().compileFiles([join(EXAMPLES, 'hello.spl')]);
    lib.files.writeFile('/z/hello.smf', emitSmf(c, { compression: 'zstd' }));
    const reader = lib.SmfReader.fromBytes(lib.files.readFile('/z/hello.smf'), { file: '/z/hello.smf' });
    const compressed = reader.sections.find((s) => s.compressed)!;
    expect(compressed.name).toBe('type_info');
    let thrown: unknown;
    try {
      reader.sectionData(compressed.index);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(lib.SmfFormatError);
    expect((thrown as Error).message).toMatch(/^\/z\/hello\.smf: section\[1\]: zstd sections are not readable in the browser build/);
    // The loader reads the load index (compressed too) at load, and reports the same error.
    const loaded = new lib.ModuleLoader({}).load('/z/hello.smf');
    expect(loaded.kind).toBe('error');
    expect(loaded.kind === 'error' && loaded.message).toMatch(/zstd sections are not readable in the browser build/);
  });
});

describe('the browser platform', () => {
  it('xxh64 in WebAssembly agrees with the native hasher', () => {
    for (const n of [0, 1, 3, 4, 7, 8, 15, 31, 32, 33, 64, 100, 1000, 4099]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 255);
      for (const seed of [0n, 1n, 0xffffffffffffffffn]) expect(xxh64(bytes, seed)).toBe(nativeXxh64(bytes, seed));
      const stream = new Xxh64Stream(0n);
      stream.update(bytes.subarray(0, n >> 1));
      stream.update(bytes.subarray(n >> 1));
      expect(stream.digest()).toBe(nativeXxh64(bytes, 0n));
    }
  });

  it('paths behave as POSIX paths from the root folder', () => {
    const cases = ['/a/b/../c', 'a/./b', '/', '', '/a/b/', '../x', '/a/./b', 'a/../../b'];
    for (const p of cases) {
      expect(path.normalize(p || '.')).toBe(posix.normalize(p || '.'));
      expect(path.dirname(p)).toBe(posix.dirname(p));
      expect(path.basename(p)).toBe(posix.basename(p));
      expect(path.isAbsolute(p)).toBe(posix.isAbsolute(p));
      expect(path.resolve(p)).toBe(posix.resolve('/', p));
    }
    expect(path.join('/a', 'b', '../c.smf')).toBe(posix.join('/a', 'b', '../c.smf'));
    expect(path.relative('/a/b', '/a/c/d')).toBe(posix.relative('/a/b', '/a/c/d'));
    expect(path.resolve('/a', 'b', '/c', 'd')).toBe('/c/d');
  });

  it('in-memory files read, stat and replace as fs does, each write a new modification time', async () => {
    const f = new MemoryFiles();
    f.writeFile('/d/a.bin', new Uint8Array([1, 2, 3, 4]));
    expect(f.existsSync('/d/a.bin')).toBe(true);
    expect(f.existsSync('/d/b.bin')).toBe(false);
    const first = f.statSync('/d/a.bin');
    expect(first.size).toBe(4);
    const fd = f.openSync('/d/a.bin');
    const into = new Uint8Array(8);
    expect(f.readSync(fd, into, 2, 8, 1)).toBe(3);
    expect([...into.subarray(2, 5)]).toEqual([2, 3, 4]);
    f.closeSync(fd);
    f.writeFileAtomicSync('/d/a.bin', new Uint8Array([9]));
    const second = f.statSync('/d/a.bin');
    expect(second.mtimeMs).toBeGreaterThan(first.mtimeMs);
    expect(second.ino).toBe(first.ino);
    expect(() => f.statSync('/d/none')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    const read = await new Promise<number>((done, fail) =>
      f.open('/d/a.bin', 0, (e, h) => (e ? fail(e) : f.read(h, into, 0, 8, 0, (e2, n) => (e2 ? fail(e2) : done(n))))),
    );
    expect(read).toBe(1);
    expect(into[0]).toBe(9);
  });
});
