import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { compileToSmf, workspace } from '../loader/fixtures.js';

/** A module declaring `extern fn <name>() -> i64` and a function calling it. */
function moduleCalling(name: string): string {
  const dir = workspace({ 'm.spl': `extern fn ${name}() -> i64\n\nfn call_it() -> i64:\n    ${name}()\n` });
  compileToSmf(dir, ['m.spl']);
  return join(dir, 'm.smf');
}

function call(r: ReturnType<ModuleLoader['resolveSymbol']>): unknown {
  if (r.kind !== 'found' && r.kind !== 'jit') throw new Error(`expected a callable symbol, got ${r.kind}`);
  return r.call();
}

describe('host grants: only the host object’s own properties (issue #11, point 7)', () => {
  const log = (): bigint => 0n;

  for (const inherited of ['valueOf', 'constructor', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', '__defineGetter__']) {
    it(`extern fn ${inherited} is not granted by { log } (Object.prototype's is not the host's)`, () => {
      const r = new ModuleLoader({ host: { log } }).load(moduleCalling(inherited));
      expect(r).toMatchObject({ kind: 'error', error: { code: 'LOAD_MISSING_HOST_FUNCTION' } });
      expect(r.kind === 'error' && r.message).toMatch(new RegExp(`the host does not provide extern fn '${inherited}'`));
    });
  }

  it("a class instance's prototype methods are not granted either; its own properties are", () => {
    class Host {
      own = (): bigint => 7n;
      inherited(): bigint {
        return 9n;
      }
    }
    const host = new Host() as unknown as Record<string, () => bigint>;
    expect(new ModuleLoader({ host }).load(moduleCalling('inherited')).kind).toBe('error');
    const loader = new ModuleLoader({ host });
    expect(loader.load(moduleCalling('own')).kind).toBe('loaded');
    expect(call(loader.resolveSymbol('call_it'))).toBe(7n);
  });

  it('an own property is granted, even on an object without a prototype', () => {
    const host = Object.assign(Object.create(null) as Record<string, () => bigint>, { valueOf: () => 42n });
    const loader = new ModuleLoader({ host });
    expect(loader.load(moduleCalling('valueOf')).kind).toBe('loaded');
    expect(call(loader.resolveSymbol('call_it'))).toBe(42n);
  });
});
