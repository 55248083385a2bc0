/**
 * `smf link`'s fast path (src/cli/link-args.ts, link-fast.ts, bundled as dist/cli/smf-link.cjs):
 * which command lines it takes, and that what it writes and reports is what the whole command
 * line writes and reports.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fastLinkArgs } from '../../src/cli/link-args.js';
import { runCli } from '../../src/cli/program.js';
import { compileFolder, PROGRAMS, runMain, tempDir } from '../linker/helpers.js';

const DIST = resolve(__dirname, '../../dist');
const BIN = join(DIST, 'cli/smf.cjs');

describe('fastLinkArgs', () => {
  it('takes the link options with valid values, in any order', () => {
    expect(fastLinkArgs(['link', 'a.smf', 'b.smf'])).toEqual({
      files: ['a.smf', 'b.smf'],
      options: { output: 'a.smf', instantiate: 'hybrid', stub: true, compression: 'none' },
    });
    expect(
      fastLinkArgs(['link', '-o', 'out/app.smf', 'a.smf', '--instantiate=lazy', '--max-depth', '7', '--max-instances=9', '--no-stub', '--stats', '--compression', 'zstd', '--profile', 'p.smf', 'b.smf']),
    ).toEqual({
      files: ['a.smf', 'b.smf'],
      options: { output: 'out/app.smf', instantiate: 'lazy', maxDepth: 7, maxInstances: 9, stub: false, stats: true, compression: 'zstd', profile: 'p.smf' },
    });
    // As the option parser does, the last of a repeated option wins.
    expect(fastLinkArgs(['link', 'a.smf', '-o', 'x.smf', '--output=y.smf'])?.options.output).toBe('y.smf');
  });

  it('leaves every other command line to the whole command line', () => {
    for (const argv of [
      ['link'],
      ['compile', 'a.spl'],
      ['link', 'a.smf', '--help'],
      ['link', 'a.smf', '-h'],
      ['link', 'a.smf', '--instantiate', 'sometimes'],
      ['link', 'a.smf', '--compression', 'gzip'],
      ['link', 'a.smf', '--max-depth', '0'],
      ['link', 'a.smf', '--max-depth', '1.5'],
      ['link', 'a.smf', '--max-instances', 'many'],
      ['link', 'a.smf', '-o'],
      ['link', 'a.smf', '-o', '--stats'],
      ['link', 'a.smf', '--stats=yes'],
      ['link', 'a.smf', '-oout.smf'],
      ['link', 'a.smf', '--verbose'],
      ['link', '--', 'a.smf'],
    ]) {
      expect(fastLinkArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });
});

describe('smf link through its own bundle', () => {
  const smfs = compileFolder(join(PROGRAMS, 'shapes'));
  const inputs = ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);

  it('writes the bytes the whole command line writes, and runs', async () => {
    const dir = tempDir();
    const viaCli = join(dir, 'a', 'app.smf');
    const viaBundle = join(dir, 'b', 'app.smf');
    let stderr = '';
    const code = await runCli(['link', ...inputs, '-o', viaCli, '--instantiate', 'eager'], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const r = spawnSync(process.execPath, [BIN, 'link', ...inputs, '-o', viaBundle, '--instantiate', 'eager', '--stats'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^inputs +3 \(3 modules\)\n/);
    // The stub names the smf command by absolute path: the same package wrote both.
    expect(readFileSync(viaBundle).equals(readFileSync(viaCli))).toBe(true);
    expect(statSync(viaBundle).mode & 0o111).not.toBe(0);
    expect(runMain(viaBundle).output).toBe('9\nbanana\n6.75\n1003\n2\n2\n7\n1\nx\n');
  });

  it('reports a link error and a missing file as the command line does, exit code 1', () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.smf');
    const r = spawnSync(process.execPath, [BIN, 'link', inputs[0], missing, '-o', join(dir, 'out.smf')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${missing}: error: cannot read '${missing}': no such file or directory\n1 error\n`);
  });

  it("takes the build's code cache in a fresh process", () => {
    const script = `import { loadCachedBundle } from ${JSON.stringify(join(DIST, 'node/cached-bundle.js'))};
const b = loadCachedBundle(${JSON.stringify(join(DIST, 'cli/smf-link.cjs'))}, { refreshAtExit: false });
console.log(JSON.stringify({ accepted: b.cacheAccepted, linkFast: typeof b.exports.linkFast }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ accepted: true, linkFast: 'function' });
  });
});
