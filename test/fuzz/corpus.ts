import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { emitSmf } from '../../src/compiler/driver/emit-smf.js';
import { link } from '../../src/linker/index.js';
import type { CompressionName } from '../../src/smf/index.js';
import type { SymbolCall } from './harness/protocol.js';

/*
 * The valid inputs fuzzing starts from: modules with generics (templates, a load index, a
 * note with instantiations), structs, arrays, text and an import, compressed three ways, and a
 * linked program; and, for source fuzzing, every program under test/programs.
 */

export const LIB = `struct Pair<A, B>:
    first: A
    second: B

impl Pair:
    fn swap() -> Pair<B, A>:
        Pair(first: self.second, second: self.first)

fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn pick<T>(a: T, b: T, first: bool) -> T:
    if first:
        return a
    b

fn total(xs: [i64]) -> i64:
    var s = 0
    for x in xs:
        s += x
    s
`;

export const APP = `use lib.{max, pick, Pair, total}

fn label(n: i64) -> text:
    "n = {n}"

fn main() -> i64:
    val p = Pair(first: 3, second: "three")
    val q = p.swap()
    var xs = [1, 2, 3]
    xs.push(max(4, 9))
    print(label(total(xs)))
    print(q.first)
    pick<i64>(1, 2, true) + max<i64>(p.first, 2)
`;

/** Names resolved and called after loading; the generic ones not compiled in make the JIT work. */
export const LIB_CALLS: SymbolCall[] = [
  { name: 'max<i64>', args: [3n, 9n] },
  { name: 'max<f64>', args: [1.5, -2] },
  { name: 'pick<u8>', args: [1, 2, false] },
];
export const APP_CALLS: SymbolCall[] = [{ name: 'main', args: [] }, { name: 'label', args: [7n] }, ...LIB_CALLS];

export interface SmfSeed {
  name: string;
  files: Record<string, Uint8Array>;
  main: string;
  calls: SymbolCall[];
  link: boolean;
}

function compileAll(sources: Record<string, string>, compression: CompressionName): Record<string, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'smf-fuzz-corpus-'));
  try {
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);
    const out: Record<string, Uint8Array> = {};
    for (const m of new CompileSession().compileFiles(Object.keys(sources).map((n) => join(dir, n)))) {
      out[m.declared.name + '.smf'] = emitSmf(m, { compression });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let seeds: SmfSeed[] | undefined;

/** The SMF seeds (built once per process). */
export function smfSeeds(): SmfSeed[] {
  if (seeds) return seeds;
  seeds = [];
  for (const compression of ['none', 'zstd', 'lz4'] as const) {
    const files = compileAll({ 'lib.spl': LIB, 'app.spl': APP }, compression);
    seeds.push({ name: `lib (${compression})`, files, main: 'lib.smf', calls: LIB_CALLS, link: true });
    seeds.push({ name: `app (${compression})`, files, main: 'app.smf', calls: APP_CALLS, link: true });
  }
  const files = compileAll({ 'lib.spl': LIB, 'app.spl': APP }, 'none');
  const linked = link(Object.entries(files).map(([name, bytes]) => ({ file: name, bytes })), { output: 'prog.smf', instantiate: 'lazy' });
  if (!linked.ok) throw new Error('the corpus program does not link');
  seeds.push({ name: 'linked program', files: { 'prog.smf': linked.bytes }, main: 'prog.smf', calls: APP_CALLS, link: false });
  return seeds;
}

export interface SourceSeed {
  name: string;
  text: string;
}

/** Every single-file program under test/programs, plus the two corpus modules. */
export function sourceSeeds(): SourceSeed[] {
  const root = fileURLToPath(new URL('../programs', import.meta.url));
  const out: SourceSeed[] = [{ name: 'lib.spl', text: LIB }];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(root, dir.name))) {
      if (f.endsWith('.spl')) out.push({ name: `${dir.name}/${f}`, text: readFileSync(join(root, dir.name, f), 'utf8') });
    }
  }
  return out.filter((s) => !/^use /m.test(s.text));
}
