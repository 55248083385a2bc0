/**
 * What `smf link` does once its command line is read: shared by the command (link.ts, through the
 * option parser) and by its fast path (link-fast.ts), which reads the same options without it.
 */
import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { formatDiagnostics } from '../compiler/diagnostics.js';
import { FileError } from '../errors.js';
import { link } from '../linker/index.js';
import type { LinkStats } from '../linker/index.js';
import { atomicWriteFileSync } from '../smf/index.js';
import { EXIT } from './exit-codes.js';
import type { LinkCliOptions } from './link-args.js';
import type { CliIo } from './program.js';
import { reportError } from './report.js';
import { launcherStub } from './stub.js';

/** Links `files` as the options say, reporting to `io`; the exit code. */
export function runLink(files: readonly string[], opts: LinkCliOptions, io: CliIo): number {
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
      io.stderr(`${formatDiagnostics(r.errors)}\n${n} error${n === 1 ? '' : 's'}\n`);
      return EXIT.error;
    }
    const out = resolve(opts.output);
    try {
      mkdirSync(dirname(out), { recursive: true });
    } catch (e) {
      throw FileError.from(dirname(out), 'write', e);
    }
    // Synchronously: there is nothing else to do meanwhile, and fs/promises would be loaded for it.
    atomicWriteFileSync(out, r.bytes, { mode: opts.stub ? 0o755 : 0o644 });
    if (opts.stats) io.stdout(formatStats(r.stats));
    return EXIT.ok;
  } catch (e) {
    return reportError(e, io);
  }
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
