/**
 * `smf compile --dts`: the declarations written beside the SMF type a TypeScript program that
 * imports the module (checked by the real `tsc`), and reject a wrong call; the program then runs
 * under `node --import simple-smf/register` with the types it was checked against.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, LIB, nodeImport, project, ROOT } from './helpers.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function tsc(cwd: string, file: string): { code: number | null; out: string } {
  const args = [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--allowArbitraryExtensions', '--skipLibCheck', file];
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('smf compile --dts', () => {
  it('writes lib.d.smf.ts beside lib.smf, and TypeScript checks calls against it', () => {
    const d = project({ 'lib.spl': LIB, 'package.json': '{ "type": "module" }' });
    const c = spawnSync(process.execPath, [BIN, 'compile', 'lib.spl', '-o', 'out/lib.smf', '--dts'], { cwd: d, encoding: 'utf8' });
    expect(c.stderr).toBe('');
    const dts = readFileSync(join(d, 'out/lib.d.smf.ts'), 'utf8');
    expect(dts).toContain('export declare const add: (a: bigint, b: bigint) => bigint;\n');
    expect(dts).toContain('export declare const max: { of(T: string): (a: unknown, b: unknown) => unknown };\n');
    expect(dts).toContain('export declare const half: (x: number) => number;\n');
    expect(dts).toContain('readonly at: (x: number, y: number) => HeapHandle; readonly norm2: (self: HeapHandle) => number');

    writeFileSync(
      join(d, 'app.mts'),
      `import { add, greet, max, Point, Stack } from './out/lib.smf';
const sum: bigint = add(2n, 3n);
const s: string = greet('ts');
const S = Stack.of('i64');
const st = S.new();
S.push(st, 1n);
const n: bigint = S.size(st);
const m = max.of('i64')(3n, 4n);
console.log(String(sum), s, String(n), String(m), Point.norm2(Point.at(6, 8)));
`,
    );
    const ok = tsc(d, 'app.mts');
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);

    writeFileSync(join(d, 'wrong.mts'), `import { add } from './out/lib.smf';\nadd(1, 2);\n`);
    const wrong = tsc(d, 'wrong.mts');
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/wrong\.mts\(2,5\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'bigint'/);

    // The checked program runs: the same code as JavaScript (its annotations taken out).
    writeFileSync(join(d, 'app.mjs'), readFileSync(join(d, 'app.mts'), 'utf8').replace(/: (bigint|string)(?= =)/g, ''));
    const r = nodeImport(d, 'app.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5 hello, ts 1 4 100\n');
  });
});
