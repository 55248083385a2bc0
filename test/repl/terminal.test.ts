/**
 * `smf repl` on a real terminal (a tmux pseudo-terminal): prompts, a block over several lines,
 * history read from the file named by SIMPLE_REPL_HISTORY (Up recalls it) and appended to,
 * Ctrl-C stopping a running loop without leaving, and Ctrl-D leaving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempDir } from './helpers.js';

const sessions: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', s]);
});

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

const alive = (name: string): boolean => spawnSync('tmux', ['has-session', '-t', name]).status === 0;

/** Polls the screen until `pattern` shows (the machine may be slow; no fixed sleeps). */
async function waitFor(name: string, pattern: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-p', '-t', name);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
}

describe('smf repl on a terminal', () => {
  it('edits, recalls history, survives Ctrl-C in a running input, and leaves on Ctrl-D', async () => {
    const dir = tempDir();
    const history = join(dir, 'history');
    writeFileSync(history, 'val h = 7\n');
    const name = `smf-repl-${process.pid}`;
    sessions.push(name);
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', dir, `SIMPLE_REPL_HISTORY='${history}' '${process.execPath}' '${BIN}' repl`);
    await waitFor(name, /^>\s*$/m);

    tmux('send-keys', '-t', name, 'Up', 'Enter');
    await waitFor(name, /^h = 7 : i64$/m);

    tmux('send-keys', '-t', name, 'fn inc(a: i64) -> i64:', 'Enter');
    await waitFor(name, /^\.\s*$/m);
    tmux('send-keys', '-t', name, '    a + 1', 'Enter', 'Enter');
    await waitFor(name, /^defined fn inc$/m);

    tmux('send-keys', '-t', name, 'var n = 0', 'Enter');
    await waitFor(name, /^n = 0 : i64$/m);
    tmux('send-keys', '-t', name, 'while true:', 'Enter', '    n = inc(n)', 'Enter', 'Enter');
    await new Promise((r) => setTimeout(r, 1000));
    tmux('send-keys', '-t', name, 'C-c');
    await waitFor(name, /error: interrupted in (your input|function 'inc')/);

    tmux('send-keys', '-t', name, 'inc(h)', 'Enter');
    const screen = await waitFor(name, /^8 : i64$/m);
    expect(screen).toContain('> inc(h)\n8 : i64');

    tmux('send-keys', '-t', name, 'C-d');
    const end = Date.now() + 20_000;
    while (alive(name) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(alive(name)).toBe(false);
    expect(readFileSync(history, 'utf8').split('\n')).toEqual(['val h = 7', 'val h = 7', 'fn inc(a: i64) -> i64:', '    a + 1', 'var n = 0', 'while true:', '    n = inc(n)', 'inc(h)', '']);
  });
});
