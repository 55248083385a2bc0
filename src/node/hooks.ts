/**
 * Node's module customization hooks (registered by register.ts; they run on Node's hooks
 * thread): a `.spl` or `.smf` file imported from JavaScript becomes a JavaScript module whose
 * exports are the Simple module's functions and structs, loaded by runtime.ts into one
 * ModuleLoader shared by the process.
 */
import { fileURLToPath } from 'node:url';
import { compileForImport } from './compile-cache.js';

const SIMPLE_FILE = /\.(spl|smf)$/;
const RUNTIME = new URL('./runtime.js', import.meta.url).href;

interface LoadContext {
  readonly format?: string | null;
}

type NextLoad = (url: string, context: LoadContext) => Promise<{ format?: string | null; source?: unknown; shortCircuit?: boolean }>;

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<{ format?: string | null; source?: unknown; shortCircuit?: boolean }> {
  if (!url.startsWith('file:') || !SIMPLE_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  return { format: 'module', source: moduleSource(fileURLToPath(url)), shortCircuit: true };
}

/** The JavaScript module standing for the Simple module at `path`. */
export function moduleSource(path: string): string {
  const outcome = compileForImport(path);
  const lines = [`import { simpleModule, importFailed } from ${JSON.stringify(RUNTIME)};`];
  if (!outcome.ok) {
    // Thrown when the importing program evaluates the module: a JS error with the diagnostic.
    lines.push(`throw importFailed(${JSON.stringify(outcome.message)}, ${JSON.stringify(outcome.diagnostics)});`);
    return lines.join('\n') + '\n';
  }
  lines.push(`const m = simpleModule(${JSON.stringify(outcome.spec)});`);
  const names: string[] = [];
  outcome.spec.shape.functions.forEach((f, i) => {
    lines.push(`const f${i} = m.fn(${i});`);
    names.push(`f${i} as ${JSON.stringify(f.name)}`);
  });
  outcome.spec.shape.structs.forEach((s, i) => {
    lines.push(`const s${i} = m.struct(${i});`);
    names.push(`s${i} as ${JSON.stringify(s.name)}`);
  });
  if (names.length > 0) lines.push(`export { ${names.join(', ')} };`);
  lines.push('export default m;');
  return lines.join('\n') + '\n';
}
