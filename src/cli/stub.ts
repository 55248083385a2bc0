/**
 * The launcher a program written by `smf link` (or `smf compile --stub`) starts with, so that
 * `./app.smf` runs whether or not `smf` is on the PATH.
 *
 * It is a shell script: the kernel runs it with /bin/sh, which reads and runs it a command at a
 * time and `exec`s the loader before it reaches the SMF bytes that follow. It hands the file to
 * the `smf` that wrote it — this Node and this CLI, by absolute path — or, when that is gone
 * (the file was copied elsewhere), to the `smf` on the PATH.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `s` as one word for /bin/sh. */
function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `smf` command of this package: `dist/cli/smf.cjs` (package.json's "bin", which Node starts
 * sooner than the ES module `smf.js`) beside this code (the bundle is that file), or, for code run
 * from the sources, in the package's `dist/`. Undefined when not built.
 */
function cliScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'smf.cjs'), join(here, '../../dist/cli/smf.cjs')]) {
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

export function launcherStub(): Uint8Array {
  const lines = ['#!/bin/sh', '# A Simple program (SMF): run by `smf run`. See docs/cli.md.'];
  const script = cliScript();
  if (script) {
    lines.push(`[ -f ${shellWord(script)} ] && exec ${shellWord(process.execPath)} ${shellWord(script)} run "$0" "$@"`);
  }
  lines.push('exec smf run "$0" "$@"', '');
  return new TextEncoder().encode(lines.join('\n'));
}
