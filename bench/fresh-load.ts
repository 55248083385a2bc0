/**
 * Fresh-process figures for the first load-time JIT (issue #12, goal 2), the cold load of 1,000
 * modules (goal 4) and `smf link` of them, with the linked file's size per function (goal 5): each trial a new process, alternating with
 * its baseline where it has one (bench/fresh.ts). The built package in dist/ is what runs.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, medianCpu, reported, runFresh } from './fresh.js';
import { median } from './harness.js';
import type { Report } from './harness.js';
import { DIST, SMF } from './startup.js';

const SECTION = 'fresh-load';
const TRIALS = 9;
const LOADER = join(DIST, 'simple-smf-loader.js');
const MAX = 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n';

/** A module with max<T> and `extra` more templates, compiled by the CLI; its path. */
function templateModule(dir: string, name: string, extra: number): string {
  const more = Array.from({ length: extra }, (_, i) => `struct S${i}:\n    v: i64\n\nfn t${i}<T>(a: T, n: i64) -> i64:\n    var k = n * ${i + 1}\n    if k > ${i}:\n        k -= ${i}\n    k\n`);
  writeFileSync(join(dir, `${name}.spl`), [MAX, ...more].join('\n'));
  runFresh([process.execPath, SMF, 'compile', join(dir, `${name}.spl`), '-o', join(dir, `${name}.smf`)]);
  return join(dir, `${name}.smf`);
}

/** A child that loads `path` with the loader entry and reports the CPU time of the first JIT. */
function firstJit(path: string): string[] {
  const script = `import { ModuleLoader } from ${JSON.stringify(LOADER)};
const loader = new ModuleLoader();
loader.load(${JSON.stringify(path)});
const c = process.cpuUsage();
const r = loader.resolveSymbol('max<f64>');
const d = process.cpuUsage(c);
if (r.kind !== 'jit') throw new Error(r.kind);
console.log(JSON.stringify({ ms: (d.user + d.system) / 1000 }));`;
  return [process.execPath, '--input-type=module', '-e', script];
}

function coldLoad(dir: string, count: number): { smf: string[]; cjs: string[] } {
  const spl: string[] = [];
  const cjs: string[] = [];
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, `m${i}.spl`), `fn m${i}_add(x: i64) -> i64:\n    x + ${i}\n\nfn m${i}_pick(c: bool, a: i64, b: i64) -> i64:\n    if c:\n        return a\n    b\n`);
    writeFileSync(join(dir, `m${i}.cjs`), `exports.m${i}_add = (x) => x + ${i}n;\nexports.m${i}_pick = (c, a, b) => { if (c) return a; return b; };\n`);
    spl.push(join(dir, `m${i}.spl`));
    cjs.push(join(dir, `m${i}.cjs`));
  }
  runFresh([process.execPath, SMF, 'compile', ...spl, '--out-dir', dir]);
  return { smf: spl.map((p) => p.replace(/\.spl$/, '.smf')), cjs };
}

/**
 * A child that loads every file (by the loader, or by require) — or only reads each (open, one
 * read into a shared buffer, close, and a copy of the bytes kept: the floor any loader of separate
 * files pays) — and reports the loop's CPU time per file.
 */
function loadAll(kind: 'smf' | 'cjs' | 'read', list: string): string[] {
  const body =
    kind === 'smf'
      ? `const { ModuleLoader } = await import(${JSON.stringify(LOADER)}); const loader = new ModuleLoader(); const load = (p) => { if (loader.load(p).kind !== 'loaded') throw new Error(p); };`
      : kind === 'cjs'
        ? `const { createRequire } = await import('node:module'); const load = createRequire(import.meta.url);`
        : `const fs = await import('node:fs'); const kept = []; const b = new Uint8Array(16384); const load = (p) => { const fd = fs.openSync(p, 'r'); kept.push(b.slice(0, fs.readSync(fd, b, 0, b.length, 0))); fs.closeSync(fd); };`;
  const script = `${body}
const files = (await import('node:fs')).readFileSync(${JSON.stringify(list)}, 'utf8').split('\\n');
const c = process.cpuUsage();
for (const f of files) load(f);
const d = process.cpuUsage(c);
console.log(JSON.stringify({ usPerModule: (d.user + d.system) / files.length }));`;
  return [process.execPath, '--input-type=module', '-e', script];
}

async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-fresh-'));
  const small = templateModule(dir, 'small', 0);
  const big = templateModule(dir, 'big', 1200);
  const jit = alternate({ small: firstJit(small), big: firstJit(big) }, TRIALS);
  const ms = (t: typeof jit.small): number => median(t.map((x) => reported<{ ms: number }>(x).ms));
  for (const [k, label] of [['small', 'a small module'], ['big', 'a module of 1,200 structs and templates']] as const) {
    const v = ms(jit[k]);
    report.add({ section: SECTION, name: `first JIT (max<f64>) in a fresh process, ${label} (CPU)`, value: v, unit: 'ms', target: { text: '<= 5 ms', met: v <= 5 }, note: 'compiler bundle loaded by it' });
  }

  const files = coldLoad(dir, 1000);
  writeFileSync(join(dir, 'smf.list'), files.smf.join('\n'));
  writeFileSync(join(dir, 'cjs.list'), files.cjs.join('\n'));
  const cold = alternate({ smf: loadAll('smf', join(dir, 'smf.list')), cjs: loadAll('cjs', join(dir, 'cjs.list')), read: loadAll('read', join(dir, 'smf.list')) }, TRIALS);
  const per = (t: typeof cold.smf): number => median(t.map((x) => reported<{ usPerModule: number }>(x).usPerModule));
  const ours = per(cold.smf);
  const theirs = per(cold.cjs);
  report.add({
    section: SECTION,
    name: 'cold load of 1,000 small modules in a fresh process, per module (CPU)',
    value: ours,
    unit: 'µs',
    baseline: { name: 'require() of 1,000 tiny CJS files, fresh process', value: theirs },
    target: { text: '>= 2x faster', met: theirs / ours >= 2 },
  });
  const floor = per(cold.read);
  report.add({
    section: SECTION,
    name: 'reading those 1,000 .smf files alone (open, read, close), per module (CPU)',
    value: floor,
    unit: 'µs',
    baseline: { name: 'require() of 1,000 tiny CJS files, fresh process', value: theirs },
    note: `the floor of any loader of separate files: ${((floor / theirs) * 100).toFixed(0)}% of require's cost a module`,
  });
  const whole = medianCpu(cold.smf);
  const wholeJs = medianCpu(cold.cjs);
  report.add({
    section: SECTION,
    name: 'cold load of 1,000 small modules, whole process (CPU)',
    value: whole,
    unit: 'ms',
    baseline: { name: 'require() of 1,000 tiny CJS files, whole process', value: wholeJs },
    target: { text: '>= 2x faster', met: wholeJs / whole >= 2 },
  });

  const link = Array.from({ length: 5 }, () => runFresh([process.execPath, SMF, 'link', ...files.smf, '-o', join(dir, 'linked.smf')]));
  const linkMs = medianCpu(link);
  report.add({ section: SECTION, name: 'smf link of 1,000 modules from the CLI (CPU)', value: linkMs, unit: 'ms', target: { text: '< 500 ms', met: linkMs < 500 } });
  // Each module has two trivial functions (add, pick): the whole file's bytes per function.
  const perFunction = statSync(join(dir, 'linked.smf')).size / (2 * files.smf.length);
  report.add({
    section: SECTION,
    name: 'linked output of those 1,000 modules, per trivial function',
    value: perFunction,
    unit: 'bytes',
    target: { text: '<= 150 bytes', met: perFunction <= 150 },
    note: 'the whole file: code, interface, symbols, note, stub',
  });
}

export const freshLoadSection = { name: SECTION, run };
