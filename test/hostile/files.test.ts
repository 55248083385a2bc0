import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFileSync, atomicWriteFile, ReadOnlyFileError, SmfReader } from '../../src/smf/index.js';
import { FileError } from '../../src/errors.js';
import { smf, workspace } from './helpers.js';

const LIB = 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n';
const APP = 'use lib.{max}\n\nfn main() -> i64:\n    max(40, 2)\n';

/** lib.smf and app.smf compiled; running app.smf instantiates max$i64 and writes it back into app.smf. */
function program(): string {
  const d = workspace({ 'lib.spl': LIB, 'app.spl': APP });
  expect(smf(['compile', 'lib.spl', 'app.spl'], d).code).toBe(0);
  return d;
}

const wroteBack = (path: string): boolean => SmfReader.fromBytes(readFileSync(path)).findSectionIndex(1, 'jit_cache') >= 0;

describe('files (issue #11, point 5)', () => {
  it('smf compile refuses to write its output over its source, or over any file it read', () => {
    const d = workspace({ 'b.spl': 'fn main() -> i64:\n    1\n', 'lib.spl': LIB, 'app.spl': APP });
    symlinkSync('b.spl', join(d, 'alias.spl'));
    for (const [args, why] of [
      [['compile', 'b.spl', '-o', 'b.spl'], /cannot write 'b\.spl': it is the source file being compiled; choose another output/],
      [['compile', 'b.spl', '-o', 'alias.spl'], /cannot write 'alias\.spl': it is the source file being compiled/],
      [['compile', 'app.spl', '-o', 'lib.spl'], /cannot write 'lib\.spl': it is an input of this compilation/],
    ] as const) {
      const r = smf([...args], d);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(why);
    }
    expect(readFileSync(join(d, 'b.spl'), 'utf8')).toBe('fn main() -> i64:\n    1\n');
    expect(readFileSync(join(d, 'lib.spl'), 'utf8')).toBe(LIB);
    expect(lstatSync(join(d, 'alias.spl')).isSymbolicLink()).toBe(true);
  });

  it('compile -o writes through a symbolic link (even a dangling one) to its target; the link stays', () => {
    const d = workspace({ 'b.spl': 'fn main() -> i64:\n    3\n' });
    mkdirSync(join(d, 'store'));
    writeFileSync(join(d, 'store', 'b.smf'), 'old');
    symlinkSync(join('store', 'b.smf'), join(d, 'link.smf'));
    symlinkSync(join('store', 'new.smf'), join(d, 'dangling.smf'));
    expect(smf(['compile', 'b.spl', '-o', 'link.smf'], d).code).toBe(0);
    expect(smf(['compile', 'b.spl', '-o', 'dangling.smf'], d).code).toBe(0);
    for (const [link, target] of [['link.smf', 'b.smf'], ['dangling.smf', 'new.smf']]) {
      expect(lstatSync(join(d, link)).isSymbolicLink()).toBe(true);
      expect(SmfReader.fromBytes(readFileSync(join(d, 'store', target))).sectionCount).toBeGreaterThan(0);
    }
    expect(smf(['run', 'link.smf'], d).code).toBe(3);
  });

  it('write-back writes through a symbolic link to its target', () => {
    const d = program();
    mkdirSync(join(d, 'real'));
    writeFileSync(join(d, 'real', 'app.smf'), readFileSync(join(d, 'app.smf')));
    const linked = join(d, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, 'lib.smf'), readFileSync(join(d, 'lib.smf')));
    symlinkSync(join(d, 'real', 'app.smf'), join(linked, 'app.smf'));
    expect(smf(['run', 'app.smf'], linked).code).toBe(40);
    expect(lstatSync(join(linked, 'app.smf')).isSymbolicLink()).toBe(true);
    expect(wroteBack(join(d, 'real', 'app.smf'))).toBe(true);
  });

  it('write-back leaves a read-only (0444) SMF alone and says so under --stats', () => {
    const d = program();
    const app = join(d, 'app.smf');
    const before = readFileSync(app);
    chmodSync(app, 0o444);
    const r = smf(['run', 'app.smf', '--stats'], d);
    expect(r.code).toBe(40);
    expect(r.stderr).toMatch(/not written back {4}cannot write '.*app\.smf': the file is read-only \(mode 0444\); left unchanged/);
    expect(readFileSync(app).equals(before)).toBe(true);
    expect(statSync(app).mode & 0o7777).toBe(0o444);
    // Without --stats the run is as quiet as ever.
    expect(smf(['run', 'app.smf'], d)).toMatchObject({ code: 40, stderr: '' });
  });

  it('write-back keeps the mode, owner and group of the file it replaces', () => {
    const d = program();
    const app = join(d, 'app.smf');
    chmodSync(app, 0o640);
    // Another group this process may give the file: any supplementary group, or any group for root.
    const gid = process.getuid?.() === 0 ? 1 : process.getgroups?.().find((g) => g !== statSync(app).gid);
    if (gid !== undefined) chownSync(app, statSync(app).uid, gid);
    const before = statSync(app);
    expect(smf(['run', 'app.smf'], d).code).toBe(40);
    const after = statSync(app);
    expect(wroteBack(app)).toBe(true);
    expect(after.ino).not.toBe(before.ino); // replaced, not edited in place
    expect([after.mode & 0o7777, after.uid, after.gid]).toEqual([0o640, before.uid, before.gid]);
  });

  it.runIf(process.getuid?.() === 0)('a writer that cannot give the file back its owner and group leaves it alone and says why', () => {
    const d = workspace({ 'f.smf': 'keep' });
    chmodSync(d, 0o777);
    chmodSync(join(d, 'f.smf'), 0o666); // writable by anyone, owned by root
    // The child loads the package as root (its folder need not be readable by others), then
    // becomes uid/gid 65534 before it writes.
    const script = `import(${JSON.stringify(join(__dirname, '../../dist/simple-smf.js'))}).then((m) => { process.setgid(65534); process.setuid(65534); try { m.atomicWriteFileSync(${JSON.stringify(join(d, 'f.smf'))}, new Uint8Array([65])); } catch (e) { console.log(e.message); } })`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/cannot write '.*f\.smf': cannot keep the file's owner and group \(uid 0, gid 0: EPERM\); left unchanged/);
    expect(readFileSync(join(d, 'f.smf'), 'utf8')).toBe('keep');
    expect(readdirSync(d)).toEqual(['f.smf']);
  });

  it('stale temporary files of a killed write-back are removed by the next write; a live writer’s are kept', () => {
    const d = program();
    const dead = '.app.smf.4194305.abcdef012345.tmp'; // above Linux's largest pid: no such process
    const live = `.app.smf.${process.pid}.0123456789ab.tmp`;
    const other = '.app.smf.4194305.notours.tmp';
    for (const name of [dead, live, other]) writeFileSync(join(d, name), 'partial');
    expect(smf(['run', 'app.smf'], d).code).toBe(40);
    expect(wroteBack(join(d, 'app.smf'))).toBe(true);
    const left = readdirSync(d).filter((n) => n.endsWith('.tmp'));
    expect(left.sort()).toEqual([other, live].sort());
  });

  it('the atomic writer itself: read-only refused with a typed error, sync and async, the file untouched', async () => {
    const d = workspace({ 'ro.smf': 'keep' });
    const ro = join(d, 'ro.smf');
    chmodSync(ro, 0o444);
    expect(() => atomicWriteFileSync(ro, new Uint8Array([1]))).toThrow(ReadOnlyFileError);
    await expect(atomicWriteFile(ro, new Uint8Array([1]))).rejects.toThrow(ReadOnlyFileError);
    expect(readFileSync(ro, 'utf8')).toBe('keep');
    expect(() => atomicWriteFileSync(d, new Uint8Array([1]))).toThrow(FileError);
    expect(readdirSync(d)).toEqual(['ro.smf']);
    expect(existsSync(join(d, 'new.smf'))).toBe(false);
    atomicWriteFileSync(join(d, 'new.smf'), new Uint8Array([1]), { mode: 0o600 });
    expect(statSync(join(d, 'new.smf')).mode & 0o777).toBe(0o600);
  });
});
