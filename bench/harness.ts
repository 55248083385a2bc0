/**
 * The benchmark harness: timing helpers and the report every section writes into. Figures are
 * medians and percentiles over repeated runs, always side by side with the named baseline of
 * the same run — this machine is shared and noisy, so absolute numbers mean little alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

export interface Row {
  readonly section: string;
  readonly name: string;
  /** The measured value, in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** The baseline's value in the same unit, when the row is a comparison. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** A target from the issues, e.g. "< 30 µs" or ">= 3x", with whether it was met. */
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly note?: string;
}

export class Report {
  readonly rows: Row[] = [];
  add(row: Row): void {
    this.rows.push(row);
    const base = row.baseline ? `  vs ${row.baseline.name} ${fmt(row.baseline.value)} ${row.unit} (ratio ${(row.baseline.value / row.value).toFixed(2)}x)` : '';
    const target = row.target ? `  target ${row.target.text}: ${row.target.met ? 'met' : 'NOT met'}` : '';
    process.stdout.write(`  ${row.name.padEnd(58)} ${fmt(row.value).padStart(12)} ${row.unit}${base}${target}${row.note ? `  [${row.note}]` : ''}\n`);
  }
  write(path: string): void {
    mkdirSync(new URL('.', `file://${path}`).pathname, { recursive: true });
    writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: this.rows }, null, 2));
  }
}

export function fmt(v: number): string {
  if (v >= 1000) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

/** Runs `fn` `runs` times after `warmup` runs; returns each run's duration in microseconds. */
export function sample(fn: () => void, runs: number, warmup = Math.min(10, runs)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

export async function sampleAsync(fn: () => Promise<void>, runs: number, warmup = Math.min(3, runs)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

export function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);
