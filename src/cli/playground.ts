/**
 * `smf playground [--port N]`: serves the playground page (dist/playground/, written by the
 * build) on localhost. The page is static — the compiler and loader run in the browser — so any
 * static file server can host that folder as well.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { FileError } from '../errors.js';
import type { CommandContext } from './program.js';
import { reportError } from './report.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.smf': 'application/octet-stream',
};

/** The built page: beside the bundled CLI (dist/cli → dist/playground), or dist/ when run from src/. */
export function playgroundDir(): string {
  for (const rel of ['../playground/', '../../dist/playground/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'app.js'))) return dir;
  }
  throw new FileError(fileURLToPath(new URL('../playground/', import.meta.url)), 'read', 'the playground is not built (run npm run build)');
}

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1:`port` (0: any free port). Only files inside `dir` are served. */
export function servePlayground(dir: string, port: number): Promise<PlaygroundServer> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path\n');
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + '/') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once('error', (e) => fail(new FileError(`127.0.0.1:${port}`, 'read', `cannot listen: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const at = typeof address === 'object' && address ? address.port : port;
      done({ url: `http://127.0.0.1:${at}/`, close: () => new Promise((closed) => server.close(() => closed())) });
    });
  });
}

export function registerPlayground(program: Command, ctx: CommandContext): void {
  program
    .command('playground')
    .description('serve the playground page (editor, run, inspector, graphs) on localhost')
    .option('--port <n>', 'port to listen on (0: any free port)', portNumber, 8765)
    .action(async (opts: { port: number }) => {
      try {
        const server = await servePlayground(playgroundDir(), opts.port);
        ctx.io.stdout(`playground at ${server.url} (Ctrl-C to stop)\n`);
        await new Promise<void>((stop) => {
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
      } catch (e) {
        ctx.exit(reportError(e, ctx.io));
      }
    });
}

function portNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new InvalidArgumentError(`--port takes a whole number from 0 to 65535, not '${text}'`);
  return Number(text);
}
