/**
 * Generated multi-module programs for the scale test and the linker benchmark: `n` modules of
 * `fns` functions each. Module `m<k>` uses its parent `m<(k-1)/2>` (a binary tree, so import
 * chains stay short) and the shared `core` module's concrete and generic functions, so the
 * link has cross-module calls, one instance needed by every module (`pick<i64>`, emitted once)
 * and a few others. `main` calls into the first and the last module.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORE = `fn pick<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn mix(x: i64) -> i64:
    x * 31 + 7
`;

export function moduleSource(k: number, fns: number): string {
  const name = `m${k}`;
  const parent = k > 0 ? `m${Math.floor((k - 1) / 2)}` : null;
  const lines: string[] = [];
  if (parent) lines.push(`use ${parent}.{${parent}_f0}`);
  lines.push('use core.{pick, mix}', '');
  for (let i = 0; i < fns; i++) {
    lines.push(`fn ${name}_f${i}(x: i64) -> i64:`);
    if (i === 0) lines.push(`    pick(mix(x), ${parent ? `${parent}_f0(x % 7)` : '3'}) % 1000`);
    else if (i % 10 === 5) lines.push(`    pick(${i}.5, 2.5) as i64 + ${name}_f${i - 1}(x)`);
    else lines.push(`    ${name}_f${i - 1}(x) + ${i}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes core, m0..m<n-1> and main into `dir`; returns every source path, main first. */
export function generateProgram(dir: string, n: number, fns = 20): string[] {
  const paths: string[] = [];
  const last = n - 1;
  const main = `use m0.{m0_f${fns - 1}}\nuse m${last}.{m${last}_f${fns - 1}}\n\nfn main():\n    print(m0_f${fns - 1}(5))\n    print(m${last}_f${fns - 1}(9))\n`;
  writeFileSync(join(dir, 'main.spl'), main);
  paths.push(join(dir, 'main.spl'));
  writeFileSync(join(dir, 'core.spl'), CORE);
  paths.push(join(dir, 'core.spl'));
  for (let k = 0; k < n; k++) {
    const p = join(dir, `m${k}.spl`);
    writeFileSync(p, moduleSource(k, fns));
    paths.push(p);
  }
  return paths;
}
