import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'dist/cli/smf.js');

/** A project folder with `simple-smf` installed (a link to this package) and the given files. */
export function project(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'smf-node-'));
  mkdirSync(join(d, 'node_modules'));
  symlinkSync(ROOT, join(d, 'node_modules', 'simple-smf'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

/** `node --import simple-smf/register <script>` in `cwd`, with its own compile cache. */
export function nodeImport(cwd: string, script: string, cache = join(cwd, '.cache')): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'simple-smf/register', script], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SIMPLE_SMF_CACHE: cache } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const LIB = `fn add(a: i64, b: i64) -> i64:
    a + b

fn max<T>(a: T, b: T) -> T:
    if a > b:
        return a
    b

fn greet(name: text) -> text:
    "hello, " + name

fn half(x: f64) -> f64:
    x / 2.0

struct Stack<T>:
    items: [T]

impl Stack:
    static fn new() -> Stack<T>:
        Stack(items: [])
    me push(x: T):
        self.items.push(x)
    fn size() -> i64:
        self.items.len()

struct Point:
    x: f64
    y: f64

impl Point:
    static fn at(x: f64, y: f64) -> Point:
        Point(x: x, y: y)
    fn norm2() -> f64:
        self.x * self.x + self.y * self.y
`;
