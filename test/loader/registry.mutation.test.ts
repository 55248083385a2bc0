/**
 * Which module's note answers for a possible instantiation (src/loader/module-registry.ts
 * `indexCalls`, `findPossible`) when more than one loaded module calls the instance.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { SmfReader } from '../../src/smf/reader.js';
import { parseNoteSdn } from '../../src/sdn/index.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

function note(path: string) {
  return parseNoteSdn(SmfReader.openSync(path).noteSdnText()!);
}

describe('possible rows of several callers', () => {
  it('records the instance in the note of the first caller loaded, not the last', () => {
    const user = (fn: string) => `use lib.{max}\nuse shapes.{P}\n\nfn ${fn}() -> i64:\n    max(P(v: 4), P(v: 9)).v\n`;
    const dir = workspace({
      'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a.key() > b.key():\n        return a\n    b\n',
      'shapes.spl': 'struct P:\n    v: i64\n\nimpl P:\n    fn key() -> i64:\n        self.v\n',
      'a.spl': user('fa'),
      'b.spl': user('fb'),
    });
    compileToSmf(dir, ['lib.spl', 'shapes.spl', 'a.spl', 'b.spl']);
    expect(note(join(dir, 'a.smf')).possible.map((r) => r.mangledName)).toEqual(['max$P']);
    expect(note(join(dir, 'b.smf')).possible.map((r) => r.mangledName)).toEqual(['max$P']);
    const loader = new ModuleLoader();
    loader.load(join(dir, 'a.smf'));
    loader.load(join(dir, 'b.smf'));
    expect(callSymbol(loader, 'fb')).toBe(9n);
    loader.flushWrites();
    expect(note(join(dir, 'a.smf')).possible).toEqual([]);
    expect(note(join(dir, 'a.smf')).instantiations).toEqual([expect.objectContaining({ mangledName: 'max$P', status: 'jit_compiled' })]);
    expect(note(join(dir, 'b.smf')).possible.map((r) => r.mangledName)).toEqual(['max$P']);
  });
});
