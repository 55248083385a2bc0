/**
 * Start-up in fresh processes (issue #12, goal 1): `smf run` of a compiled hello against
 * `node hello.js`, and the CPU time of importing the package's entries. Every trial is a new
 * process, the cases alternate (bench/fresh.ts); the built package in dist/ is what is run, through
 * the `smf` command package.json names (its "bin").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, medianCpu, reported, runFresh } from './fresh.js';
import { median } from './harness.js';
import type { Report } from './harness.js';

const SECTION = 'startup';
const TRIALS = 15;
export const DIST = resolve('dist');
/** The `smf` command as installed: package.json's "bin". */
export const SMF = resolve((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: { smf: string } }).bin.smf);

/**
 * hello.spl compiled to hello.smf, and the same program as hello.js, in a fresh folder; and a
 * program that recurses (a little), which `smf run` runs on its big-stack thread.
 */
function hello(): { smf: string; js: string; recursive: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-start-'));
  writeFileSync(join(dir, 'hello.spl'), 'fn main():\n    print("Hello, world!")\n');
  writeFileSync(join(dir, 'hello.js'), 'console.log("Hello, world!");\n');
  writeFileSync(join(dir, 'depth.spl'), 'fn depth(n: i64) -> i64:\n    if n == 0:\n        return 0\n    depth(n - 1) + 1\n\nfn main():\n    print(depth(10))\n');
  for (const name of ['hello', 'depth']) runFresh([process.execPath, SMF, 'compile', join(dir, `${name}.spl`), '-o', join(dir, `${name}.smf`)]);
  return { smf: join(dir, 'hello.smf'), js: join(dir, 'hello.js'), recursive: join(dir, 'depth.smf') };
}

/**
 * A child that imports `entry` and reports the import's CPU time (process.cpuUsage) in ms. Its
 * main module is a file, as a program's is: `node --input-type=module -e` would also charge the
 * ES module loader's own set-up to the first `import()` (~8 ms here), which a program's main
 * module has paid before its first line runs.
 */
function importCpu(dir: string, entry: string): string[] {
  const main = join(dir, `import-${entry.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(main, `const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(entry).href)}); const d = process.cpuUsage(c); console.log(JSON.stringify({ ms: (d.user + d.system) / 1000 }));\n`);
  return [process.execPath, main];
}

/** An ES module that exports one constant: the floor of any import in such a child. */
function emptyModule(dir: string): string {
  writeFileSync(join(dir, 'empty.mjs'), 'export const empty = true;\n');
  return join(dir, 'empty.mjs');
}

async function run(report: Report): Promise<void> {
  const { smf, js, recursive } = hello();
  const runs = alternate(
    {
      node: [process.execPath, js],
      smf: [process.execPath, SMF, 'run', smf],
      thread: [process.execPath, SMF, 'run', recursive],
    },
    TRIALS,
  );
  const node = medianCpu(runs.node);
  const ratio = (v: number): number => v / node;
  const hi = medianCpu(runs.smf);
  report.add({
    section: SECTION,
    name: 'smf run hello.smf, fresh process (CPU)',
    value: hi,
    unit: 'ms',
    baseline: { name: 'node hello.js', value: node },
    target: { text: '<= 1.3x node', met: ratio(hi) <= 1.3 },
    note: `${ratio(hi).toFixed(2)}x node; on the main thread (its calls cannot recurse: src/cli/stack-bound.ts)`,
  });
  const th = medianCpu(runs.thread);
  report.add({
    section: SECTION,
    name: 'smf run depth.smf (recursive), fresh process (CPU)',
    value: th,
    unit: 'ms',
    baseline: { name: 'node hello.js', value: node },
    note: `${ratio(th).toFixed(2)}x node; on its 256 MiB-stack thread, for deep recursion`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-import-'));
  const imports = alternate(
    { loader: importCpu(dir, join(DIST, 'simple-smf-loader.js')), root: importCpu(dir, join(DIST, 'simple-smf.js')), empty: importCpu(dir, emptyModule(dir)) },
    TRIALS,
  );
  const ms = (t: typeof imports.loader): number => median(t.map((x) => reported<{ ms: number }>(x).ms));
  const loaderMs = ms(imports.loader);
  report.add({
    section: SECTION,
    name: "import 'simple-smf/loader', fresh process (CPU)",
    value: loaderMs,
    unit: 'ms',
    baseline: { name: 'import of an empty ES module', value: ms(imports.empty) },
    target: { text: '<= 30 ms', met: loaderMs <= 30 },
  });
  report.add({ section: SECTION, name: "import 'simple-smf' (the whole package), fresh process (CPU)", value: ms(imports.root), unit: 'ms' });
}

export const startupSection = { name: SECTION, run };
