import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../dist/cli/smf.js');

export function tempDir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-repl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

/** `smf repl` on a pipe: the lines given as its standard input. */
export function replPipe(lines: readonly string[], cwd = tempDir(), args: readonly string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'repl', ...args], { cwd, input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
