/** A reload refused for a struct of two type parameters names its layout as written (src/loader/reload-check.ts). */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { LoadError } from '../../src/loader/errors.js';
import { checkCompatible } from '../../src/loader/reload-check.js';
import { thrown } from '../thrown.js';
import { workspace } from './fixtures.js';

function shape(source: string) {
  const dir = workspace({ 'm.spl': source });
  const [c] = new CompileSession().compileFiles([join(dir, 'm.spl')]);
  return { path: join(dir, 'm.smf'), structs: c.declared.structs, fns: c.declared.fns };
}

describe('checkCompatible', () => {
  it('names the type parameters of a changed struct separated as in its declaration', () => {
    const before = shape('struct Pair<A, B>:\n    first: A\n    second: B\n');
    const after = shape('struct Pair<A, B>:\n    first: B\n    second: A\n');
    const e = thrown(() => checkCompatible(before, after), LoadError);
    expect(e.message).toBe(
      `${after.path}: reload refused: struct 'Pair' changed from <A, B>{first: A, second: B} to <A, B>{first: B, second: A}; values of it live on the heap; the old code keeps running`,
    );
  });
});
