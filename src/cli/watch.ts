/**
 * `smf run --watch app.spl`: runs main, then recompiles on save and hot-reloads the changed
 * modules into the same loader — the heap and every module that did not change survive — and
 * runs main again. Compile errors are printed and the old code keeps running. A save while main
 * is still running stops it (on the `smf run` thread, where the main thread watches).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CompileSession } from '../compiler/driver/session.js';
import type { ModuleLoader } from '../loader/module-loader.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { WATCH_OPTIONS } from './thread.js';
import type { RemoteWatch } from './thread.js';

export interface WatchOptions {
  readonly modulePaths?: readonly string[];
  /** Runs the program's main once; returns its exit code. */
  readonly runMain: () => number;
}

/** Where changes to the sources come from. */
interface SourceWatch {
  add(paths: readonly string[]): void;
  onChange(handler: () => void): void;
  /** Resolves once the watcher has taken in the first files: from then on, a save is seen. */
  readonly ready: Promise<void>;
  /** Resolves when watching stops (Ctrl-C, SIGTERM). */
  readonly stopped: Promise<void>;
}

/**
 * Runs main, then reruns it after each change of a source. Watching starts before the first run,
 * so that on the `smf run` thread a save is taken while main is still running (the main thread
 * interrupts it: src/cli/thread.ts).
 */
export async function watchAndReload(file: string, loader: ModuleLoader, session: CompileSession, ctx: CommandContext, opts: WatchOptions): Promise<void> {
  const sources = new Map<string, string>();
  for (const m of session.modules) if (m.kind === 'source') sources.set(m.path, readFileSync(m.path, 'utf8'));
  const watcher = ctx.io.watch ? remoteWatch(ctx.io.watch) : await localWatch();
  watcher.add([...sources.keys()]);
  opts.runMain();

  const rebuild = (): void => {
    const changed = [...sources.keys()].filter((p) => {
      try {
        return readFileSync(p, 'utf8') !== sources.get(p);
      } catch {
        return false;
      }
    });
    if (changed.length === 0) return;
    try {
      const next = new CompileSession({ modulePaths: opts.modulePaths, displayRoot: process.cwd() });
      const compiled = next.compileFiles([file]);
      for (const m of next.modules) {
        if (m.kind === 'smf' && !loader.isLoaded(m.path)) {
          const r = loader.load(m.path);
          if (r.kind === 'error') throw r.error;
        }
      }
      for (const c of compiled) {
        const path = resolve(c.declared.source.path);
        if (!changed.includes(path) && sources.has(path)) continue;
        const r = sources.has(path) ? loader.reloadCompiled(c) : loader.loadCompiled(c);
        if (r.kind === 'error') throw r.error;
        if (sources.has(path)) ctx.io.stderr(`[smf] reloaded ${c.declared.name} (version ${r.module.version})\n`);
      }
      for (const p of changed) sources.set(p, readFileSync(p, 'utf8'));
      for (const m of next.modules) {
        if (m.kind === 'source' && !sources.has(m.path)) {
          sources.set(m.path, readFileSync(m.path, 'utf8'));
          watcher.add([m.path]);
        }
      }
      opts.runMain();
    } catch (e) {
      reportError(e, ctx.io);
      ctx.io.stderr('[smf] the previous code keeps running\n');
    }
  };
  watcher.onChange(rebuild);
  // "watching" is a promise that a save from now on is seen (a test, or a user, saves right
  // after it): so it waits for chokidar's first scan, which a busy machine can make slow.
  await watcher.ready;
  ctx.io.stderr(`[smf] watching ${sources.size} file(s); press Ctrl-C to stop\n`);
  return watcher.stopped;
}

/** On the `smf run` thread: the main thread watches, and stops the thread on Ctrl-C. */
function remoteWatch(remote: RemoteWatch): SourceWatch {
  return { add: (paths) => remote.add(paths), onChange: (h) => remote.onChange(h), ready: remote.ready, stopped: new Promise(() => {}) };
}

/** In this thread (runCli called in-process): chokidar, stopped by SIGINT or SIGTERM. */
async function localWatch(): Promise<SourceWatch> {
  // Loaded here, not at startup: only --watch needs it.
  const { watch } = await import('chokidar');
  // Made with the first files, not empty: chokidar's 'ready' covers only the paths it starts with.
  let w: ReturnType<typeof watch> | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const handlers: Array<() => void> = [];
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      void (w?.close() ?? Promise.resolve()).then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const add = (paths: readonly string[]): void => {
    if (w) return void w.add([...paths]);
    w = watch([...paths], WATCH_OPTIONS);
    for (const h of handlers) w.on('change', h);
    w.once('ready', markReady);
  };
  const onChange = (h: () => void): void => {
    handlers.push(h);
    w?.on('change', h);
  };
  return { add, onChange, ready, stopped };
}
