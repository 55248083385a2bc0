/**
 * Memory follows live data (issue #9, docs/memory.md): programs that make garbage without end
 * run in bounded memory, live data keeps memory within twice its size, hot reloads and unloads
 * give memory back, values the host holds stay alive until released, and the shadow stack is
 * bounded and recovers from traps.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import type { ModuleLoaderOptions } from '../../src/loader/module-loader.js';
import { HeapHandle } from '../../src/loader/values.js';
import { SimpleTrap, TextCapture } from '../../src/runtime/index.js';
import { callSymbol as call, compileToSmf, workspace } from './fixtures.js';
import { binaryTreesJs as binaryTreesJsSync } from '../../bench/kernels/baseline.js';

const MiB = 1 << 20;

function loaded(files: Record<string, string>, options: ModuleLoaderOptions = {}): { loader: ModuleLoader; dir: string } {
  const dir = workspace(files);
  const names = Object.keys(files);
  compileToSmf(dir, names);
  const loader = new ModuleLoader({ jit: { updateSmf: false }, output: new TextCapture(), ...options });
  for (const name of names) {
    const r = loader.load(join(dir, name.replace(/\.spl$/, '.smf')));
    if (r.kind === 'error') throw r.error;
  }
  return { loader, dir };
}

describe('memory follows live data', () => {
  it('100,000 appends to a text run in under 64 MiB of WebAssembly memory', () => {
    const { loader } = loaded({
      'appends.spl':
        'fn run(n: i64) -> i64:\n    var s = ""\n    for i in 0..n:\n        s = s + "x"\n    s.len()\n\n' +
        // Looked at by another function each step, the text is copied by every append.
        'fn len_of(t: text) -> i64:\n    t.len()\n\nfn shared(n: i64) -> i64:\n    var s = ""\n    var seen = 0\n    for i in 0..n:\n        s = s + "x"\n        seen = len_of(s)\n    seen\n',
    });
    // Only `s` holds its text: it grows in place (text-append.ts), a few dozen blocks in all.
    expect(call(loader, 'run', 100_000n)).toBe(100_000n);
    const m = loader.stats().memory;
    expect(m.allocations).toBeLessThan(100);
    expect(m.memoryBytes).toBeLessThan(64 * MiB);
    // Shared, every append makes a new text: 5 GB of copies that the collector keeps in bounds.
    expect(call(loader, 'shared', 100_000n)).toBe(100_000n);
    const shared = loader.stats().memory;
    expect(shared.gc.collections).toBeGreaterThan(0);
    expect(shared.memoryBytes).toBeLessThan(64 * MiB);
  });

  it('150 million struct temporaries run to completion in flat memory', () => {
    const { loader } = loaded({
      'temps.spl': `
struct P:
    a: i64
    b: i64

fn second(p: P) -> i64:
    p.b

fn run(n: i64) -> i64:
    var sum = 0
    var i = 0
    while i < n:
        val p = P(a: i, b: 1)
        sum += second(p)
        i += 1
    sum

fn local_only(n: i64) -> i64:
    var sum = 0
    var i = 0
    while i < n:
        val p = P(a: i, b: 1)
        sum += p.b
        i += 1
    sum
`,
    });
    // Passed to a function, each temporary is a heap block.
    expect(call(loader, 'run', 150_000_000n)).toBe(150_000_000n);
    const m = loader.stats().memory;
    // 2.4 GB of temporaries went through a heap that never held more than the threshold.
    expect(m.memoryBytes).toBeLessThan(32 * MiB);
    expect(m.gc.blocksFreed).toBeGreaterThan(100_000_000);
    // Used only through its fields, a temporary is no block at all (scalar-replace.ts).
    expect(call(loader, 'local_only', 150_000_000n)).toBe(150_000_000n);
    expect(loader.stats().memory.allocations).toBe(m.allocations);
  });

  it('a 50 MB live structure with temporaries churning around it peaks below twice its size', () => {
    const { loader } = loaded({
      'live.spl': `
struct Node:
    value: i64
    name: text

fn run(n: i64, rounds: i64) -> i64:
    var keep: [Node] = []
    for i in 0..n:
        keep.push(Node(value: i, name: "node number {i}"))
    var total = 0
    for r in 0..rounds:
        for i in 0..200000:
            val t = Node(value: i, name: "temporary {i}")
            total += t.value
    # Everything kept is still intact.
    var check = 0
    for k in keep:
        check += k.value + k.name.len()
    check
`,
    });
    // 800,000 nodes of 32 + 32 bytes and an array of their pointers: about 55 MB.
    const n = 800_000;
    const expected = BigInt((n * (n - 1)) / 2) + BigInt([...Array(n).keys()].reduce((s, i) => s + `node number ${i}`.length, 0));
    expect(call(loader, 'run', BigInt(n), 10n)).toBe(expected);
    const m = loader.stats().memory;
    const live = m.gc.liveBytesAfterLast;
    expect(live).toBeGreaterThan(50 * MiB);
    expect(m.memoryBytes).toBeLessThan(2 * live);
  });

  it('collects before the memory limit: garbage many times the limit fits under it', () => {
    const { loader } = loaded(
      {
        'limit.spl': `
fn run(n: i64) -> i64:
    var keep: [text] = []
    for i in 0..100000:
        keep.push("kept {i}")
    var t = 0
    for i in 0..n:
        val s = "temporary number {i}"
        t += s.len()
    t + keep.len()
`,
      },
      { memory: { maximumPages: 160 } }, // 10 MiB
    );
    const n = 2_000_000;
    let expected = 100_000n;
    for (let i = 0; i < n; i++) expected += BigInt(`temporary number ${i}`.length);
    expect(call(loader, 'run', BigInt(n))).toBe(expected);
    expect(loader.stats().memory.memoryBytes).toBeLessThanOrEqual(160 * 65536);
  });

  it('frees cycles', () => {
    const { loader } = loaded({
      'cycles.spl': `
struct Node:
    id: i64
    next: [Node]

fn run(n: i64) -> i64:
    var total = 0
    for i in 0..n:
        var a = Node(id: i, next: [])
        val b = Node(id: i + 1, next: [a])
        a.next.push(b)
        a.next.push(a)
        total += a.next[0].next[0].id
    total
`,
    });
    expect(call(loader, 'run', 300_000n)).toBe(BigInt((300_000 * 299_999) / 2));
    loader.collectGarbage();
    const m = loader.stats().memory;
    expect(m.gc.blocksFreed).toBeGreaterThan(1_000_000);
    expect(m.bytesInUse).toBeLessThan(4 * MiB);
  });

  it('1,000 hot reloads of a module keep memory flat', () => {
    const v1 = 'fn greet(n: i64) -> text:\n    "version one says {n}"\n';
    const v2 = 'fn greet(n: i64) -> text:\n    "and version two says {n}, with a longer literal"\n';
    // The same module compiled in two versions, swapped into one file in turn.
    const one = workspace({ 'greet.spl': v1 });
    const two = workspace({ 'greet.spl': v2 });
    compileToSmf(one, ['greet.spl']);
    compileToSmf(two, ['greet.spl']);
    const dir = workspace({});
    const path = join(dir, 'greet.smf');
    copyFileSync(join(one, 'greet.smf'), path);
    const loader = new ModuleLoader({ hotReload: true, jit: { updateSmf: false } });
    const r = loader.load(path);
    if (r.kind === 'error') throw r.error;
    const greet = loader.resolveSymbol('greet');
    if (greet.kind !== 'found') throw new Error('no greet');
    const inUse: number[] = [];
    for (let i = 0; i < 1000; i++) {
      copyFileSync(join(i % 2 === 0 ? two : one, 'greet.smf'), path);
      const reloaded = loader.reload(path);
      if (reloaded.kind === 'error') throw reloaded.error;
      expect(greet.call(BigInt(i))).toBe(i % 2 === 0 ? `and version two says ${i}, with a longer literal` : `version one says ${i}`);
      if (i === 99 || i === 999) inUse.push(loader.stats().memory.bytesInUse);
    }
    // After 900 more reloads, no more than a few blocks' difference.
    expect(Math.abs(inUse[1] - inUse[0])).toBeLessThan(4096);
  });

  it('unload gives a module’s data back', () => {
    const big = 'x'.repeat(200_000);
    const { loader } = loaded({ 'bulky.spl': `fn text_size() -> i64:\n    "${big}".len()\n` });
    expect(call(loader, 'text_size')).toBe(200_000n);
    const before = loader.stats().memory.bytesInUse;
    expect(loader.unload('bulky')).toBe(true);
    const after = loader.stats().memory.bytesInUse;
    expect(before - after).toBeGreaterThanOrEqual(200_000);
  });

  it('keeps an unloaded module’s text alive while a live value still points into it', () => {
    const { loader } = loaded({
      'words.spl': 'fn make() -> [text]:\n    ["a literal from words"]\n',
      'reader.spl': 'fn first(xs: [text]) -> text:\n    xs[0]\n\nfn churn(n: i64) -> i64:\n    var t: [text] = []\n    for i in 0..n:\n        t.push("{i}")\n    n\n',
    });
    const list = call(loader, 'make') as HeapHandle;
    loader.unload('words');
    loader.collectGarbage();
    call(loader, 'churn', 100_000n);
    loader.collectGarbage();
    expect(call(loader, 'first', list)).toBe('a literal from words');
  });
});

describe('generations', () => {
  it('minor collections leave a long-lived structure alone: only its young neighbours are traced', () => {
    const source = readFileSync(join(__dirname, '../../bench/kernels/binarytrees.spl'), 'utf8');
    const { loader } = loaded({ 'binarytrees.spl': source });
    expect(call(loader, 'run', 14n)).toBe(BigInt(binaryTreesJsSync(14)));
    const gc = loader.stats().memory.gc;
    expect(gc.minor).toBeGreaterThan(10);
    // Minor collections are most of them, and every collection is one or the other.
    expect(gc.minor).toBeGreaterThan(gc.major * 3);
    expect(gc.minor + gc.major).toBe(gc.collections);
  });

  it('allocation inline in compiled code is counted, logged and collected as the runtime’s is', () => {
    const { loader } = loaded({
      'pairs.spl':
        'struct P:\n    a: i64\n    b: [i64]\n\nfn last(p: P) -> i64:\n    p.b[1]\n\nfn make(n: i64) -> i64:\n    var sum = 0\n    for i in 0..n:\n        val p = P(a: i, b: [i, i])\n        sum += p.a + last(p)\n    sum\n',
    });
    const make = loader.resolveSymbol('make');
    if (make.kind !== 'found') throw new Error('no make');
    make.call(10n);
    loader.collectGarbage(); // the free lists now hold blocks of both classes: the inline path takes them
    const before = loader.stats().memory;
    expect(make.call(1000n)).toBe(999_000n);
    const after = loader.stats().memory;
    // Two blocks per step (the record and the array literal), nothing else.
    expect(after.allocations - before.allocations).toBe(2000);
    // Blocks of 32 bytes for the record (an i64 and a pointer, 16, + the header) and of 48 for
    // the array (its 16-byte header, two i64, + the block header: 40, in 16-byte granules).
    expect(after.bytesInUse - before.bytesInUse).toBe(1000 * (32 + 48));
    // A minor collection finds them through the young log and frees them all.
    make.call(3_000_000n);
    const churned = loader.stats().memory;
    expect(churned.gc.minor).toBeGreaterThan(before.gc.minor);
    expect(churned.bytesInUse).toBeLessThan(before.bytesInUse + 16 * MiB);
  });

  it('an explicit collection is a major one and frees old garbage', () => {
    const { loader } = loaded({
      'keep.spl': 'fn make(n: i64) -> [text]:\n    var xs: [text] = []\n    for i in 0..n:\n        xs.push("item {i}")\n    xs\n\nfn count(xs: [text]) -> i64:\n    xs.len()\n',
    });
    const make = loader.resolveSymbol('make');
    if (make.kind !== 'found') throw new Error('no make');
    const held = make.call(20_000n) as HeapHandle;
    loader.collectGarbage(); // the array and its texts are old now
    const before = loader.stats().memory;
    held.release();
    loader.collectGarbage();
    const after = loader.stats().memory;
    expect(after.gc.major).toBe(before.gc.major + 1);
    expect(after.bytesInUse).toBeLessThan(before.bytesInUse - 200_000);
  });
});

describe('under GC stress (a collection at every safepoint)', () => {
  it('the binary-trees kernel gives the checksum plain JavaScript gives', async () => {
    const { binaryTreesJs } = await import('../../bench/kernels/baseline.js');
    const source = readFileSync(join(__dirname, '../../bench/kernels/binarytrees.spl'), 'utf8');
    const { loader } = loaded({ 'binarytrees.spl': source }, { memory: { gc: { stress: true } } });
    expect(call(loader, 'run', 6n)).toBe(BigInt(binaryTreesJs(6)));
    expect(loader.stats().memory.gc.collections).toBeGreaterThan(1000);
  });
});

describe('values the host holds', () => {
  const SOURCE = `
struct Bag:
    items: [text]

fn make(n: i64) -> Bag:
    var b = Bag(items: [])
    for i in 0..n:
        b.items.push("item {i}")
    b

fn count(b: Bag) -> i64:
    b.items.len()

fn last(b: Bag) -> text:
    b.items[b.items.len() - 1]
`;

  it('stay alive across collections while held, and are freed once released', () => {
    const { loader } = loaded({ 'bag.spl': SOURCE });
    const bag = call(loader, 'make', 50_000n) as HeapHandle;
    expect(bag).toBeInstanceOf(HeapHandle);
    expect(loader.stats().memory.pinned).toBe(1);
    loader.collectGarbage();
    (call(loader, 'make', 50_000n) as HeapHandle).release(); // garbage around it
    loader.collectGarbage();
    expect(call(loader, 'count', bag)).toBe(50_000n);
    expect(call(loader, 'last', bag)).toBe('item 49999');
    const held = loader.stats().memory.bytesInUse;
    bag.release();
    loader.collectGarbage();
    expect(loader.stats().memory.pinned).toBe(0);
    expect(held - loader.stats().memory.bytesInUse).toBeGreaterThan(50_000 * 16);
    expect(() => call(loader, 'count', bag)).toThrow(/released handle/);
  });
});

describe('the shadow stack', () => {
  const SOURCE = `
fn depth(s: text, n: i64) -> i64:
    if n == 0:
        return s.len()
    depth(s + "", n - 1) + 1
`;

  it('overflows into a typed trap naming the function, and the loader stays usable', () => {
    // 4 KiB: about a thousand frames of one pointer each.
    const { loader } = loaded({ 'deep.spl': SOURCE }, { memory: { shadowStackBytes: 4096 } });
    let trap: unknown;
    try {
      call(loader, 'depth', 'ab', 5000n);
    } catch (e) {
      trap = e;
    }
    expect(trap).toBeInstanceOf(SimpleTrap);
    expect(trap).toMatchObject({ code: 'TRAP_STACK_OVERFLOW', functionName: 'depth' });
    // The frames the trap left are gone: the next call has the whole stack again.
    expect(call(loader, 'depth', 'ab', 500n)).toBe(502n);
    loader.collectGarbage();
    expect(call(loader, 'depth', 'abc', 900n)).toBe(903n);
  });
});
