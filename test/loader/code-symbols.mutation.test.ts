/** What an SMF's symbol table says its code defines and calls (src/loader/code-symbols.ts). */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { codeSymbols } from '../../src/loader/code-symbols.js';
import { SmfReader } from '../../src/smf/index.js';
import { compileToSmf, workspace } from './fixtures.js';

describe('codeSymbols', () => {
  it('lists defined functions (not templates) and the functions called from elsewhere', () => {
    const dir = workspace({
      'lib.spl': 'fn one() -> i64:\n    1\n\nfn pick<T>(a: T, b: T) -> T:\n    a\n',
      'app.spl': 'use lib.{one, pick}\n\nfn _two() -> i64:\n    2\n\nfn run() -> i64:\n    one() + _two() + pick(1, 2)\n',
    });
    compileToSmf(dir, ['lib.spl', 'app.spl']);
    const lib = codeSymbols(SmfReader.openSync(join(dir, 'lib.smf')));
    expect(lib).toEqual({ exports: ['one'], got: [] });
    const app = codeSymbols(SmfReader.openSync(join(dir, 'app.smf')));
    expect(app?.exports.sort()).toEqual(['_two', 'run']);
    expect(app?.got.sort()).toEqual(['one', 'pick$i64']);
  });
});
