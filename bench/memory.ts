/**
 * Memory (issue #9, docs/memory.md): programs that make garbage without end, timed beside the
 * same loop in plain JavaScript, with the WebAssembly memory they peak at; and live data with
 * temporaries churning around it, as the ratio of memory to live bytes. Binary trees is with the
 * kernels (compiler section). One loader per trial; medians of three.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileSession } from '../src/compiler/driver/session.js';
import { ModuleLoader } from '../src/loader/module-loader.js';
import type { Report } from './harness.js';

const SECTION = 'memory';
const MiB = 1 << 20;

const PROGRAMS = {
  appends: 'fn run(n: i64) -> i64:\n    var s = ""\n    for i in 0..n:\n        s = s + "x"\n    s.len()\n',
  // The same appends with the text also handed to a function each step: no append in place.
  sharedAppends: 'fn len_of(t: text) -> i64:\n    t.len()\n\nfn run(n: i64) -> i64:\n    var s = ""\n    var seen = 0\n    for i in 0..n:\n        s = s + "x"\n        seen = len_of(s)\n    seen\n',
  temporaries: `
struct P:
    a: i64
    b: i64

fn run(n: i64) -> i64:
    var sum = 0
    for i in 0..n:
        val p = P(a: i, b: 1)
        sum += p.b
    sum
`,
  // The same temporaries passed to a function: each one is a heap block (no scalar replacement).
  escaping: `
struct P:
    a: i64
    b: i64

fn second(p: P) -> i64:
    p.b

fn run(n: i64) -> i64:
    var sum = 0
    for i in 0..n:
        val p = P(a: i, b: 1)
        sum += second(p)
    sum
`,
  live: `
struct Node:
    value: i64
    name: text

fn run(n: i64) -> i64:
    var keep: [Node] = []
    for i in 0..n:
        keep.push(Node(value: i, name: "node number {i}"))
    var total = 0
    for r in 0..10:
        for i in 0..200000:
            val t = Node(value: i, name: "temporary {i}")
            total += t.value
    total + keep.len()
`,
};

interface Trial {
  readonly ms: number;
  readonly memoryBytes: number;
  readonly liveBytes: number;
  readonly gcMs: number;
  readonly collections: number;
}

function trial(dir: string, name: keyof typeof PROGRAMS, n: bigint): Trial {
  const loader = new ModuleLoader();
  for (const c of new CompileSession().compileFiles([join(dir, `${name}.spl`)])) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const run = loader.resolveSymbol('run');
  if (run.kind !== 'found') throw new Error(`${name}: no run`);
  const t0 = performance.now();
  run.call(n);
  const ms = performance.now() - t0;
  const m = loader.stats().memory;
  return { ms, memoryBytes: m.memoryBytes, liveBytes: m.gc.liveBytesAfterLast, gcMs: m.gc.totalMs, collections: m.gc.collections };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function medianTrial(trials: Trial[]): Trial {
  return trials.slice().sort((a, b) => a.ms - b.ms)[Math.floor(trials.length / 2)];
}

function timeJs(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const appendsJs = (n: number): number => {
  let s = '';
  for (let i = 0; i < n; i++) s = s + 'x';
  return s.length;
};

const temporariesJs = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = { a: i, b: 1 };
    sum += p.b;
  }
  return sum;
};

const second = (p: { a: number; b: number }): number => p.b;
const escapingJs = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += second({ a: i, b: 1 });
  return sum;
};

export const memorySection = {
  name: SECTION,
  async run(report: Report): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
    for (const [name, source] of Object.entries(PROGRAMS)) writeFileSync(join(dir, `${name}.spl`), source);

    const appends = medianTrial([1, 2, 3].map(() => trial(dir, 'appends', 100_000n)));
    report.add({
      section: SECTION,
      name: '100,000 appends to a text (only one local holds it: appended in place)',
      value: appends.ms,
      unit: 'ms',
      baseline: { name: 'plain JS', value: median([1, 2, 3].map(() => timeJs(() => appendsJs(100_000)))) },
      note: `${appends.collections} collections, ${appends.gcMs.toFixed(0)} ms`,
    });
    report.add({ section: SECTION, name: '100,000 appends: peak WebAssembly memory', value: appends.memoryBytes / MiB, unit: 'MiB', target: { text: '< 64 MiB', met: appends.memoryBytes < 64 * MiB } });
    const shared = medianTrial([1, 2, 3].map(() => trial(dir, 'sharedAppends', 100_000n)));
    report.add({
      section: SECTION,
      name: '100,000 appends to a text also passed to a function (a copy each)',
      value: shared.ms,
      unit: 'ms',
      baseline: { name: 'plain JS', value: median([1, 2, 3].map(() => timeJs(() => appendsJs(100_000)))) },
      note: `${shared.collections} collections, ${shared.gcMs.toFixed(0)} ms; peak ${(shared.memoryBytes / MiB).toFixed(1)} MiB (target < 64 MiB: ${shared.memoryBytes < 64 * MiB ? 'met' : 'not met'})`,
    });

    const temps = medianTrial([1, 2, 3].map(() => trial(dir, 'temporaries', 20_000_000n)));
    report.add({
      section: SECTION,
      name: '20M struct temporaries used through their fields (scalar-replaced: no allocation)',
      value: temps.ms,
      unit: 'ms',
      baseline: { name: 'plain JS', value: median([1, 2, 3].map(() => timeJs(() => temporariesJs(20_000_000)))) },
      note: `${temps.collections} collections, ${temps.gcMs.toFixed(0)} ms; memory ${(temps.memoryBytes / MiB).toFixed(1)} MiB`,
    });

    const escaping = medianTrial([1, 2, 3].map(() => trial(dir, 'escaping', 20_000_000n)));
    report.add({
      section: SECTION,
      name: '20M struct temporaries passed to a function (allocated inline, collected)',
      value: escaping.ms,
      unit: 'ms',
      baseline: { name: 'plain JS', value: median([1, 2, 3].map(() => timeJs(() => escapingJs(20_000_000)))) },
      note: `${escaping.collections} collections, ${escaping.gcMs.toFixed(0)} ms; memory ${(escaping.memoryBytes / MiB).toFixed(1)} MiB`,
    });

    const live = medianTrial([1, 2, 3].map(() => trial(dir, 'live', 800_000n)));
    const ratio = live.memoryBytes / live.liveBytes;
    report.add({
      section: SECTION,
      name: '~55 MB live, 96 MB of temporaries around it: memory / live',
      value: ratio,
      unit: '×',
      target: { text: '< 2×', met: ratio < 2 },
      note: `live ${(live.liveBytes / MiB).toFixed(1)} MiB, memory ${(live.memoryBytes / MiB).toFixed(1)} MiB, ${live.ms.toFixed(0)} ms, ${live.collections} collections`,
    });
  },
};
