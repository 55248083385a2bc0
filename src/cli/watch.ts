/**
 * `smf run --watch app.spl`: runs main, then recompiles on save and hot-reloads the changed
 * modules into the same loader — the heap and every module that did not change survive — and
 * runs main again. Compile errors are printed and the old code keeps running.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CompileSession } from '../compiler/driver/session.js';
import type { ModuleLoader } from '../loader/module-loader.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';

export interface WatchOptions {
  readonly modulePaths?: readonly string[];
  /** Runs the program's main once; returns its exit code. */
  readonly runMain: () => number;
}

export async function watchAndReload(file: string, loader: ModuleLoader, session: CompileSession, ctx: CommandContext, opts: WatchOptions): Promise<void> {
  const sources = new Map<string, string>();
  for (const m of session.modules) if (m.kind === 'source') sources.set(m.path, readFileSync(m.path, 'utf8'));
  // Loaded here, not at startup: only --watch needs it.
  const { watch } = await import('chokidar');
  const watcher = watch([...sources.keys()], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
  ctx.io.stderr(`[smf] watching ${sources.size} file(s); press Ctrl-C to stop\n`);

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
          watcher.add(m.path);
        }
      }
      opts.runMain();
    } catch (e) {
      reportError(e, ctx.io);
      ctx.io.stderr('[smf] the previous code keeps running\n');
    }
  };
  watcher.on('change', rebuild);
  return new Promise((resolve) => {
    const stop = (): void => {
      void watcher.close().then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
