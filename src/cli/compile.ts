import { basename, dirname, join, resolve } from 'node:path';
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { FileError } from '../errors.js';
import { CompileSession } from '../compiler/driver/session.js';
import { emitSmf } from '../compiler/driver/emit-smf.js';
import { atomicWriteFile } from '../smf/index.js';
import type { CompressionName } from '../smf/index.js';
import { EXIT } from './program.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { launcherStub } from './stub.js';
import { dtsPathFor, writeDts } from '../compiler/interface/dts.js';
import { exportShape } from '../compiler/interface/export-shape.js';

export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command('compile')
    .description('compile Simple source files to SMF modules (one per file)')
    .argument('<files...>', '.spl source files')
    .option('-o, --output <file>', 'output file (one input only)')
    .option('--out-dir <dir>', 'folder for the outputs (default: next to each source)')
    .option('-I, --module-path <dir...>', 'more folders to find imported modules in')
    .addOption(new Option('--compression <algo>', 'compress metadata sections').choices(['none', 'zstd', 'lz4']).default('none'))
    .option('--stub', 'start the file with a launcher so it can be run directly (./app.smf)')
    .option('--dts', 'also write TypeScript declarations beside each output (app.d.smf.ts), for importing it from Node')
    .action(async (files: string[], opts: { output?: string; outDir?: string; modulePath?: string[]; compression: CompressionName; stub?: boolean; dts?: boolean }) => {
      if (opts.output && files.length > 1) {
        ctx.io.stderr('error: -o/--output takes one input; use --out-dir for several\n');
        ctx.exit(EXIT.usage);
        return;
      }
      const session = new CompileSession({ modulePaths: opts.modulePath, displayRoot: process.cwd() });
      try {
        const compiled = session.compileFiles(files);
        const wanted = new Set(files.map((f) => resolve(f)));
        // Every file the compilation read, by what it really is: no output may replace one.
        const read = new Set(session.modules.map((m) => realPath(m.path)));
        for (const c of compiled) {
          const src = resolve(c.declared.source.path);
          const named = wanted.has(src);
          const out = named ? (opts.output ?? smfFor(src, opts.outDir ?? dirname(src))) : smfFor(src, importDir(src, opts));
          // An imported source is written too, so the output runs as it is, unless its SMF is up to date.
          if (!named && isUpToDate(out, src)) continue;
          if (read.has(realPath(out))) {
            throw new FileError(out, 'write', `it is ${realPath(out) === realPath(src) ? 'the source file being compiled' : 'an input of this compilation'}; choose another output`);
          }
          try {
            mkdirSync(dirname(resolve(out)), { recursive: true });
          } catch (e) {
            throw FileError.from(dirname(resolve(out)), 'write', e);
          }
          await atomicWriteFile(out, emitSmf(c, { compression: opts.compression, stub: opts.stub && launcherStub() }), { mode: opts.stub ? 0o755 : 0o644 });
          if (opts.dts) await atomicWriteFile(dtsPathFor(out), new TextEncoder().encode(writeDts(exportShape(c.declared.name, c.declared.exports))));
        }
      } catch (e) {
        ctx.exit(reportError(e, ctx.io));
      }
    });
}

function smfFor(src: string, dir: string): string {
  return join(dir, basename(src).replace(/\.spl$/, '') + '.smf');
}

/** Where an imported module's SMF goes: where the loader looks for it, next to the importing output. */
function importDir(src: string, opts: { output?: string; outDir?: string }): string {
  return opts.outDir ?? (opts.output ? dirname(resolve(opts.output)) : dirname(src));
}

/** Whether `out` exists and is no older than the source it was compiled from. */
function isUpToDate(out: string, src: string): boolean {
  try {
    return statSync(out).mtimeMs >= statSync(src).mtimeMs;
  } catch {
    return false;
  }
}

/** The file `path` names after following symbolic links; the absolute path when it does not exist. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
