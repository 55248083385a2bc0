/**
 * Scalar replacement (src/compiler/lower/scalar-replace.ts) in every place a replaced record's
 * field can be read or written. Each case runs twice: as written, where the record `p` never
 * escapes and becomes one local per field, and with `keep(p)` added after it is made, where it escapes
 * and stays a heap record. Both must give the exact same result, and the replaced one must
 * allocate exactly one block less — so a read the rewrite missed (a field of a record that is no
 * longer there) or a record wrongly left on the heap both show.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, loadSource } from './run-source.js';
import { LINES_SECTION, readLineTable } from '../../../src/compiler/wasm/line-section.js';

const PRELUDE = [
  'struct P:',
  '    a: i64',
  '    b: i64',
  '',
  'fn id(x: i64) -> i64:',
  '    x',
  '',
  'fn keep(p: P) -> i64:',
  '    0',
  '',
  'fn keep2(t: (i64, i64)) -> i64:',
  '    0',
  '',
  'fn make(n: i64) -> P:',
  '    P(a: n, b: n)',
  '',
];

/** `run(n)` of `body` (lines indented under `fn run(n: i64) -> i64:`), its result and blocks allocated. */
function run(body: string[], n: bigint): { value: unknown; allocations: number } {
  const src = [...PRELUDE, 'fn run(n: i64) -> i64:', ...body.map((l) => `    ${l}`), ''].join('\n');
  const p = loadSource(src);
  // The first call allocates one block more than later ones (whatever the escape): measure the second.
  p.fn('run')(n);
  const before = p.loader.stats().memory.allocations;
  const value = p.fn('run')(n);
  return { value, allocations: p.loader.stats().memory.allocations - before };
}

/** The body run as written and with `escape` inserted after its first line (which makes `p`). */
function both(body: string[], n: bigint, escape = 'val kept = keep(p)'): { replaced: { value: unknown; allocations: number }; escaping: { value: unknown; allocations: number } } {
  const escaping = [body[0], escape, ...body.slice(1)];
  return { replaced: run(body, n), escaping: run(escaping, n) };
}

const CASES: Array<{ name: string; body: string[]; n: bigint; value: bigint }> = [
  { name: 'unary minus and arithmetic', body: ['val p = P(a: n, b: 3)', '-p.a + p.b * 2'], n: 5n, value: 1n },
  { name: 'a comparison and `and`/`or`', body: ['val p = P(a: n, b: 3)', 'var r = 0', 'if p.a > p.b and p.b != 0:', '    r += 1', 'if p.a < 0 or p.b == 3:', '    r += 10', 'r'], n: 5n, value: 11n },
  { name: 'a cast', body: ['val p = P(a: n, b: 3)', '((p.a as f64) * 1.5) as i64'], n: 4n, value: 6n },
  { name: 'a call argument', body: ['val p = P(a: n, b: 3)', 'id(p.b) + id(p.a)'], n: 4n, value: 7n },
  { name: 'a built-in argument (push) and an index', body: ['val p = P(a: n, b: 1)', 'var xs: [i64] = [7, 8]', 'xs.push(p.a)', 'xs[p.b + 1]'], n: 9n, value: 9n },
  { name: 'an element store', body: ['val p = P(a: n, b: 0)', 'var xs: [i64] = [7, 8]', 'xs[p.b] = p.a', 'xs[0] + xs[1]'], n: 9n, value: 17n },
  { name: 'a while loop', body: ['val p = P(a: n, b: 3)', 'var s = 0', 'while s < p.a:', '    s += p.b', 's'], n: 10n, value: 12n },
  { name: 'a range loop', body: ['val p = P(a: n, b: 2)', 'var s = 0', 'for i in p.b..p.a:', '    s += i', 's'], n: 5n, value: 9n },
  { name: 'an array loop', body: ['val p = P(a: n, b: 2)', 'var s = 0', 'for x in [1, 2, 3]:', '    s += x * p.b', 's + p.a'], n: 5n, value: 17n },
  { name: 'a struct literal that escapes', body: ['val p = P(a: n, b: 2)', 'val q = P(a: p.b, b: p.a)', 'keep(q) + q.a * 10 + q.b'], n: 5n, value: 25n },
  { name: 'a tuple literal', body: ['val p = P(a: n, b: 2)', 'val t = (p.b, p.a)', 'keep2(t) + t.0 * 10 + t.1'], n: 5n, value: 25n },
  { name: 'an array literal', body: ['val p = P(a: n, b: 2)', 'val xs = [p.b, p.a]', 'xs[0] * 10 + xs[1]'], n: 5n, value: 25n },
  { name: 'a vector and its lane', body: ['val p = P(a: n, b: 2)', 'val v = i64x2(p.a, p.b)', 'v[0] * 10 + v[1]'], n: 5n, value: 52n },
  { name: 'an interpolation', body: ['val p = P(a: n, b: 2)', 'val s = "{p.a}-{p.b}"', 's.len()'], n: 123n, value: 5n },
  { name: 'an if with a value', body: ['val p = P(a: n, b: 2)', 'val r = id(0)', 'if p.a > 3:', '    p.b + r', 'else:', '    p.a + r'], n: 5n, value: 2n },
  { name: 'a field store', body: ['val p = P(a: n, b: 2)', 'p.b = p.a * 2', 'p.a = p.b + 1', 'p.a * 100 + p.b'], n: 5n, value: 1110n },
  { name: 'a return', body: ['val p = P(a: n, b: 2)', 'if p.a > 100:', '    return p.b', 'p.a'], n: 500n, value: 2n },
  { name: 'a tuple local', body: ['val p = P(a: n, b: 2)', 'val t = (p.a, 7)', 't.0 * 10 + t.1 + p.b'], n: 5n, value: 59n },
];

describe('a replaced record read and written everywhere a field can be', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { replaced, escaping } = both(c.body, c.n);
      expect(replaced.value).toBe(c.value);
      expect(escaping.value).toBe(c.value);
      expect(escaping.allocations - replaced.allocations).toBe(1);
    });
  }
});

describe('a replaced record given a new literal', () => {
  it('a swap reads the old fields, through temporaries', () => {
    const { replaced, escaping } = both(['var p = P(a: n, b: 2)', 'p = P(a: p.b, b: p.a)', 'p.a * 100 + p.b'], 7n);
    expect(replaced.value).toBe(207n);
    expect(escaping.value).toBe(207n);
    // Escaping, both literals allocate.
    expect(escaping.allocations - replaced.allocations).toBe(2);
  });

  it('a literal that reads no old field is written straight into the field locals', () => {
    const { replaced, escaping } = both(['var p = P(a: n, b: 2)', 'if n > 3:', '    p = P(a: n * 2, b: n + 1)', 'p.a * 100 + p.b'], 7n);
    expect(replaced.value).toBe(1408n);
    expect(escaping.value).toBe(1408n);
    expect(escaping.allocations - replaced.allocations).toBe(2);
  });

  it('a record also given a call result stays on the heap', () => {
    expect(run(['var p = P(a: n, b: 2)', 'p = make(n)', 'p.a + p.b'], 4n)).toEqual({ value: 8n, allocations: 2 });
  });

  it('a literal that reads some old fields reads them all before writing any', () => {
    // `a` is written first; `b` must still see the old `a`.
    expect(run(['var p = P(a: n, b: 2)', 'p = P(a: 5, b: p.a)', 'p.a * 100 + p.b'], 7n)).toEqual({ value: 507n, allocations: 0 });
    // Fields read inside arithmetic, not as the whole value.
    expect(run(['var p = P(a: n, b: 2)', 'p = P(a: p.b + 1, b: p.a + 1)', 'p.a * 100 + p.b'], 7n)).toEqual({ value: 308n, allocations: 0 });
  });

  it('a record held by another local stays on the heap, and the two alias', () => {
    expect(run(['val p = P(a: n, b: 2)', 'val q = p', 'q.b = 5', 'p.b * 10 + q.a'], 3n)).toEqual({ value: 53n, allocations: 1 });
  });

  it('a record assigned to another local stays on the heap, and so does that local', () => {
    expect(run(['var p = P(a: 1, b: 2)', 'val q = P(a: n, b: 4)', 'p = q', 'p.b = 9', 'q.b * 10 + p.a'], 3n)).toEqual({ value: 93n, allocations: 2 });
  });

  it('a record stored into a field of another stays on the heap', () => {
    const src = [...PRELUDE, 'struct H:', '    inner: P', '', 'fn run(n: i64) -> i64:', '    val h = H(inner: P(a: 1, b: 2))', '    val q = P(a: n, b: 4)', '    h.inner = q', '    q.b = 7', '    h.inner.b * 10 + q.a', ''].join('\n');
    const p = loadSource(src);
    expect(p.fn('run')(3n)).toBe(73n);
  });

  it('a tuple local that never escapes allocates nothing', () => {
    expect(run(['var t = (n, 2)', 't = (t.1, t.0)', 't.0 * 10 + t.1'], 3n)).toEqual({ value: 23n, allocations: 0 });
  });
});

describe('a function with a replaced record keeps its lines', () => {
  it('its line table names the function and each statement, the rewritten ones too', () => {
    const src = [...PRELUDE, 'fn run(n: i64) -> i64:', '    val p = P(a: n, b: 2)', '    var s = p.a', '    p.b = s + 1', '    s + p.b', ''].join('\n');
    const [c] = compileSource(src);
    const module = new WebAssembly.Module(c.unit.wasm as Uint8Array<ArrayBuffer>);
    const table = readLineTable(new Uint8Array(WebAssembly.Module.customSections(module, LINES_SECTION)[0]))!;
    const fn = table.functions.find((f) => f.line === PRELUDE.length + 1)!;
    expect(fn.file).toBe('/virtual/main.spl');
    const lines = fn.marks.filter((_, i) => i % 2 === 1);
    const first = PRELUDE.length + 2;
    expect([...new Set(lines)]).toEqual([first, first + 1, first + 2, first + 3]);
  });
});
