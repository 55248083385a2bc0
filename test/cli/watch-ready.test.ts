import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import type { RemoteWatch } from '../../src/cli/thread.js';

/** Lets queued callbacks and promise jobs run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Waits until `done()` holds (the first run may load the compiler on demand first), for at most 30 s. */
async function until(done: () => boolean): Promise<void> {
  for (const end = Date.now() + 30_000; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
}

describe('smf run --watch says "watching" only once the watcher is ready', () => {
  // The watcher is stubbed so that "ready" happens exactly when the test says: the message must
  // wait for it however long it takes (on a busy machine chokidar's first scan can be slow, and
  // a save made right after "watching" must be seen).
  it('waits for ready, then reloads on the first change', async () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-watch-ready-'));
    writeFileSync(join(d, 'app.spl'), 'fn main():\n    print("v1")\n');
    let markReady: () => void = () => {};
    const handlers: Array<() => void> = [];
    const watched: string[] = [];
    const watch: RemoteWatch = {
      add: (paths) => void watched.push(...paths),
      onChange: (h) => void handlers.push(h),
      ready: new Promise<void>((r) => (markReady = r)),
    };
    let out = '';
    let err = '';
    const dec = new TextDecoder();
    void runCli(['run', '--watch', join(d, 'app.spl')], {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      output: { write: (b) => void (out += dec.decode(b)) },
      interrupt: new Int32Array(new SharedArrayBuffer(4)),
      watch,
    });
    await until(() => out !== '' && watched.length > 0);
    await settle();
    expect(out).toBe('v1\n');
    expect(watched).toEqual([join(d, 'app.spl')]);
    expect(err).not.toContain('watching');
    markReady();
    await settle();
    expect(err).toContain('[smf] watching 1 file(s)');
    writeFileSync(join(d, 'app.spl'), 'fn main():\n    print("v2")\n');
    for (const h of handlers) h();
    expect(out).toBe('v1\nv2\n');
    expect(err).toContain('[smf] reloaded app (version 2)');
  });
});

describe('smf run --watch on the main thread (--stack-size 0: chokidar in this thread)', () => {
  it('a save made right after "watching" is seen', async () => {
    const d = mkdtempSync(join(tmpdir(), 'smf-watch-local-'));
    writeFileSync(join(d, 'app.spl'), 'fn main():\n    print("v1")\n');
    const child = spawn(process.execPath, [resolve(__dirname, '../../dist/cli/smf.js'), 'run', '--watch', '--stack-size', '0', 'app.spl'], { cwd: d });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    const watching = new Promise<void>((res) =>
      child.stderr.on('data', (b) => {
        err += b;
        if (err.includes('watching')) res();
      }),
    );
    const reloaded = new Promise<void>((res) => child.stdout.on('data', () => out.includes('v2') && res()));
    try {
      await watching;
      writeFileSync(join(d, 'app.spl'), 'fn main():\n    print("v2")\n');
      await reloaded;
      expect(out).toBe('v1\nv2\n');
    } finally {
      child.kill('SIGINT');
    }
    expect(await new Promise<number | null>((res) => child.on('exit', (c) => res(c)))).toBe(0);
  });
});
