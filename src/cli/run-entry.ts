/**
 * The whole command line, bundled on its own (`dist/cli/smf-cli.js`): loaded by the `smf`
 * launcher (`main.ts`) in-process for commands that run no program, and by the run thread
 * (thread-entry.ts) for `smf run`, so the launcher itself stays small.
 */
export { runCli } from './program.js';
