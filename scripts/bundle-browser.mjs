// The browser build: the compiler and loader as one ES module with no Node-only import
// (dist/browser/simple-smf.js), and the playground page (dist/playground/). Node's platform
// (src/platform/index.ts) is swapped for the browser's (src/browser/platform.ts), `node:path`
// for a POSIX path module, and the atomic writer for one over the in-memory files; any other
// Node built-in or native addon reached from the entry fails the build.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const swaps = {
  [join(src, 'platform/index.ts')]: join(src, 'browser/platform.ts'),
  [join(src, 'smf/atomic-write.ts')]: join(src, 'browser/atomic-write.ts'),
};

const browserPlatform = {
  name: 'browser-platform',
  setup(b) {
    b.onResolve({ filter: /^node:path$/ }, () => ({ path: join(src, 'browser/posix-path.ts') }));
    b.onResolve({ filter: /^(node:|@node-rs\/|lz4-napi|zstd-napi|chokidar|commander)/ }, (args) => ({
      errors: [{ text: `${args.path} is Node-only and must not be reached from the browser build (imported by ${args.importer})` }],
    }));
    b.onResolve({ filter: /(index|atomic-write)\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      return swaps[target] ? { path: swaps[target] } : undefined;
    });
  },
};

const common = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [browserPlatform],
  absWorkingDir: root,
};

await build({ ...common, entryPoints: ['src/browser/index.ts'], outfile: 'dist/browser/simple-smf.js', minify: true });
// The page's folder holds only the page (tsc's output for src/playground is not served).
const out = join(root, 'dist/playground');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({ ...common, entryPoints: ['src/playground/page.ts'], outfile: 'dist/playground/app.js', minify: true });

// The page's HTML and style, and the examples it offers (every .spl under examples/, by relative path).
copyFileSync(join(src, 'playground/index.html'), join(out, 'index.html'));
copyFileSync(join(src, 'playground/style.css'), join(out, 'style.css'));
const examples = {};
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.spl')) examples[p.slice(join(root, 'examples').length + 1)] = readFileSync(p, 'utf8');
  }
};
walk(join(root, 'examples'));
writeFileSync(join(out, 'examples.json'), JSON.stringify(examples));
