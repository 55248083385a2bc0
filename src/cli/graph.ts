/**
 * `smf graph app.smf [--format svg|dot] [--kind modules|instances|all] [-o file]`: the module/import
 * graph (the module and the modules it imports, found next to it) and the instantiation graph of
 * their notes (template → instances, coloured by how each was made), as SVG or Graphviz DOT.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { FileError } from '../errors.js';
import { instantiationGraphOfFiles, moduleGraph } from '../graph/smf-graph.js';
import { toDot } from '../graph/dot.js';
import { graphsToSvg } from '../graph/svg.js';
import type { Graph } from '../graph/model.js';
import { SmfReader } from '../smf/index.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';

interface GraphOptions {
  format: 'svg' | 'dot';
  kind: 'modules' | 'instances' | 'all';
  output?: string;
}

export function registerGraph(program: Command, ctx: CommandContext): void {
  program
    .command('graph')
    .description("draw a module's import graph and its instantiation graph (template → instances)")
    .argument('<file>', '.smf module or linked program')
    .addOption(new Option('--format <format>', 'output format').choices(['svg', 'dot']).default('svg'))
    .addOption(new Option('--kind <kind>', 'which graph').choices(['modules', 'instances', 'all']).default('all'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action((file: string, opts: GraphOptions) => {
      try {
        // The root is opened first so that a missing or malformed file is an error, not a "missing" node.
        SmfReader.openSync(file);
        const modules = moduleGraph(file);
        const graphs: Graph[] = [];
        if (opts.kind !== 'instances') graphs.push(modules);
        if (opts.kind !== 'modules') graphs.push(instantiationGraphOfFiles(modules.files));
        const text = opts.format === 'dot' ? toDot(graphs) : graphsToSvg(graphs);
        if (opts.output) {
          try {
            writeFileSync(opts.output, text);
          } catch (e) {
            throw FileError.from(opts.output, 'write', e);
          }
        } else ctx.io.stdout(text);
      } catch (e) {
        ctx.exit(reportError(e, ctx.io));
      }
    });
}
