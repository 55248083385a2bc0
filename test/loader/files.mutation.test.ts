/**
 * Where the loader finds module files and which host functions it grants
 * (src/loader/module-files.ts, host-grants.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { absolutePath, findModuleFile } from '../../src/loader/module-files.js';
import { grantedHostFunction } from '../../src/loader/host-grants.js';
import { workspace } from './fixtures.js';

describe('findModuleFile', () => {
  it('looks beside the importer first, then in each module path in order, made absolute', () => {
    const dir = workspace({});
    for (const sub of ['a', 'b', 'c']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'b', 'm.smf'), '');
    writeFileSync(join(dir, 'c', 'm.smf'), '');
    writeFileSync(join(dir, 'c', 'n.smf'), '');
    expect(findModuleFile('m', join(dir, 'a'), [join(dir, 'b'), join(dir, 'c')])).toBe(join(dir, 'b', 'm.smf'));
    expect(findModuleFile('m', join(dir, 'c'), [join(dir, 'b')])).toBe(join(dir, 'c', 'm.smf'));
    expect(findModuleFile('n', join(dir, 'a'), [relative(process.cwd(), join(dir, 'b')), relative(process.cwd(), join(dir, 'c'))])).toBe(join(dir, 'c', 'n.smf'));
    expect(findModuleFile('m', join(dir, 'a'), undefined)).toBeNull();
    expect(findModuleFile('z', join(dir, 'a'), [join(dir, 'b')])).toBeNull();
  });
});

describe('absolutePath', () => {
  it('keeps a normal absolute path and resolves every other form', () => {
    expect(absolutePath('/x/y.smf')).toBe('/x/y.smf');
    expect(absolutePath('y.smf')).toBe(resolve('y.smf'));
    expect(absolutePath('/x/./y.smf')).toBe('/x/y.smf');
    expect(absolutePath('/x/../y.smf')).toBe('/y.smf');
    expect(absolutePath('/x//y.smf')).toBe('/x/y.smf');
    expect(absolutePath('/x/y/')).toBe('/x/y');
    expect(absolutePath('/x/a\\b')).toBe(resolve('/x/a\\b'));
  });
});

describe('grantedHostFunction', () => {
  it('grants own function properties only', () => {
    const log = () => 1;
    class Host {
      own = log;
      inherited(): number {
        return 2;
      }
    }
    const host = new Host() as unknown as Record<string, () => number>;
    expect(grantedHostFunction(host, 'own')).toBe(log);
    expect(grantedHostFunction(host, 'inherited')).toBeUndefined();
    expect(grantedHostFunction({ log } as Record<string, () => number>, 'valueOf')).toBeUndefined();
    expect(grantedHostFunction({ n: 3 } as unknown as Record<string, () => number>, 'n')).toBeUndefined();
    expect(grantedHostFunction(undefined, 'log')).toBeUndefined();
  });
});
