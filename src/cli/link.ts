import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { formatDiagnostics } from '../compiler/diagnostics.js';
import { FileError } from '../errors.js';
import { link, INSTANTIATE_POLICIES } from '../linker/index.js';
import type { InstantiatePolicy, LinkStats } from '../linker/index.js';
import { atomicWriteFile } from '../smf/index.js';
import type { CompressionName } from '../smf/index.js';
import { EXIT } from './program.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';
import { launcherStub } from './stub.js';

interface LinkCliOptions {
  output: string;
  instantiate: InstantiatePolicy;
  maxDepth?: number;
  maxInstances?: number;
  profile?: string;
  stub: boolean;
  compression: CompressionName;
  stats?: boolean;
}

export function registerLink(program: Command, ctx: CommandContext): void {
  program
    .command('link')
    .description('link SMF modules into one program that runs as ./app.smf')
    .argument('<files...>', '.smf modules (compiled modules or linked programs)')
    .option('-o, --output <file>', 'output file', 'a.smf')
    .addOption(
      new Option('--instantiate <policy>', 'when generic instances are compiled: at link time (eager), by the loader (lazy), or what main reaches at link time and the rest by the loader (hybrid)')
        .choices([...INSTANTIATE_POLICIES])
        .default('hybrid'),
    )
    .option('--max-depth <n>', 'longest chain of instances requiring instances (default 100)', positiveInt)
    .option('--max-instances <n>', 'most instances compiled at link time (default 10000)', positiveInt)
    .option('--profile <file>', 'an SMF whose note.sdn lists instances JIT-compiled in earlier runs: compile them in')
    .option('--no-stub', 'do not start the output with the launcher that lets it run as ./app.smf')
    .addOption(new Option('--compression <algo>', 'compress metadata sections').choices(['none', 'zstd', 'lz4']).default('none'))
    .option('--stats', 'print what the link did and how long each phase took')
    .action(async (files: string[], opts: LinkCliOptions) => {
      try {
        const r = link(files, {
          output: opts.output,
          instantiate: opts.instantiate,
          maxDepth: opts.maxDepth,
          maxInstances: opts.maxInstances,
          profile: opts.profile,
          stub: opts.stub && launcherStub(),
          compression: opts.compression,
        });
        if (!r.ok) {
          const n = r.errors.filter((d) => d.severity === 'error').length;
          ctx.io.stderr(`${formatDiagnostics(r.errors)}\n${n} error${n === 1 ? '' : 's'}\n`);
          ctx.exit(EXIT.error);
          return;
        }
        const out = resolve(opts.output);
        try {
          mkdirSync(dirname(out), { recursive: true });
        } catch (e) {
          throw FileError.from(dirname(out), 'write', e);
        }
        await atomicWriteFile(out, r.bytes, { mode: opts.stub ? 0o755 : 0o644 });
        if (opts.stats) ctx.io.stdout(formatStats(r.stats));
      } catch (e) {
        ctx.exit(reportError(e, ctx.io));
      }
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function formatStats(s: LinkStats): string {
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  return [
    `inputs        ${s.inputs} (${s.modules} modules)`,
    `functions     ${s.functions} (${s.exports} exported, ${s.templates} templates)`,
    `instances     ${s.instantiated} compiled at link time, ${s.deferred} deferred to the loader`,
    `relocations   ${s.relocations}`,
    `static data   ${s.dataSize} bytes`,
    `output        ${s.outputSize} bytes`,
    `time          ${ms(s.ms.total)} (read ${ms(s.ms.read)}, resolve ${ms(s.ms.resolve)}, instantiate ${ms(s.ms.instantiate)}, merge ${ms(s.ms.merge)}, write ${ms(s.ms.write)})`,
    '',
  ].join('\n');
}
