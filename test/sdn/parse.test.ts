import { describe, expect, it } from 'vitest';
import { parseSdn, parseSdnWithPositions } from '../../src/sdn/index.js';
import { d } from './helpers.js';

const one = (text: string) => parseSdn(text).values().next().value;

describe('scalars', () => {
  it('reads bare strings including path and location characters', () => {
    expect(parseSdn('a: hello\nb: app.spl:10:5\nc: x/y-z_1.txt\n')).toEqual(
      d({ a: 'hello', b: 'app.spl:10:5', c: 'x/y-z_1.txt' }),
    );
  });

  it('reads keywords', () => {
    expect(parseSdn('a: true\nb: false\nc: null\ne: nil\nf: True')).toEqual(
      d({ a: true, b: false, c: null, e: null, f: 'True' }),
    );
  });

  it('reads quoted strings with every escape', () => {
    expect(one('s: "q\\"b\\\\n\\nr\\rt\\t#,]"')).toBe('q"b\\n\nr\rt\t#,]');
    expect(one('s: "\\u{41}\\u{1F600}\\u{0}"')).toBe('A😀\u0000');
    expect(one('s: ""')).toBe('');
    expect(one('s: "日本語 ünï"')).toBe('日本語 ünï');
  });

  it('reads integers as numbers, and as bigints only beyond 2^53', () => {
    expect(one('n: 42')).toBe(42);
    expect(one('n: -7')).toBe(-7);
    expect(one('n: 1_000_000')).toBe(1_000_000);
    expect(one('n: 0x1F')).toBe(31);
    expect(one('n: -0xff_ff')).toBe(-65535);
    expect(one('n: 007')).toBe(7);
    expect(one('n: 9007199254740991')).toBe(9007199254740991);
    expect(one('n: 9007199254740992')).toBe(9007199254740992n);
    expect(one('n: -9223372036854775808')).toBe(-9223372036854775808n);
    expect(one('n: 9223372036854775807')).toBe(9223372036854775807n);
    expect(one('n: 0x7FFFFFFFFFFFFFFF')).toBe(9223372036854775807n);
  });

  it('reads floats', () => {
    expect(one('f: 1.5')).toBe(1.5);
    expect(one('f: -0.25')).toBe(-0.25);
    expect(one('f: 1e3')).toBe(1000);
    expect(one('f: 2.5E-3')).toBe(0.0025);
    expect(one('f: 1_000.000_5')).toBe(1000.0005);
    expect(Object.is(one('f: -0.0'), -0)).toBe(true);
  });
});

describe('statements', () => {
  it('reads inline dicts and arrays after =', () => {
    expect(parseSdn('k = {a: 1, b: 2}\nl = [x, "y", 3, [], {}]\ne = []')).toEqual(
      d({ k: d({ a: 1, b: 2 }), l: ['x', 'y', 3, [], new Map()], e: [] }),
    );
  });

  it('reads inline containers after : too, and nested ones', () => {
    expect(parseSdn('k: [1, {a: [2, {b: c}]}]\nm: {"x y": 1,z:2}')).toEqual(
      d({ k: [1, d({ a: [2, d({ b: 'c' })] })], m: d({ 'x y': 1, z: 2 }) }),
    );
  });

  it('accepts quoted keys and keys with dots and dashes', () => {
    expect(parseSdn('"a b": 1\nc.d-e: 2\n"": 3')).toEqual(d({ 'a b': 1, 'c.d-e': 2, '': 3 }));
  });

  it('keeps __proto__ and constructor as plain keys in order', () => {
    const v = parseSdn('__proto__: 1\nconstructor = {__proto__: 2}\n');
    expect([...v.keys()]).toEqual(['__proto__', 'constructor']);
    expect(v.get('__proto__')).toBe(1);
    expect(v.get('constructor')).toEqual(new Map([['__proto__', 2]]));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores comments and blank lines', () => {
    const text = '# header\n\na: 1 # trailing\n   # indented comment\n\nb = [1, 2] # x\nc: "#not" #yes\n';
    expect(parseSdn(text)).toEqual(d({ a: 1, b: [1, 2], c: '#not' }));
  });

  it('accepts CRLF line ends and a BOM', () => {
    expect(parseSdn('\uFEFFa: 1\r\nb:\r\n    c: 2\r\n')).toEqual(d({ a: 1, b: d({ c: 2 }) }));
  });

  it('reads UTF-8 bytes', () => {
    expect(parseSdn(new TextEncoder().encode('a: "é"\n'))).toEqual(d({ a: 'é' }));
  });

  it('reads an empty document', () => {
    expect(parseSdn('')).toEqual(new Map());
    expect(parseSdn('# only a comment\n\n')).toEqual(new Map());
  });
});

describe('blocks', () => {
  it('reads a dict block', () => {
    expect(parseSdn('server:\n  host: localhost\n  port: 8080\nnext: 1')).toEqual(
      d({ server: d({ host: 'localhost', port: 8080 }), next: 1 }),
    );
  });

  it('reads nested dict blocks and returns to outer levels', () => {
    const text = ['a:', '    b:', '        c: 1', '        d = [1]', '    e: 2', 'f: 3'].join('\n');
    expect(parseSdn(text)).toEqual(d({ a: d({ b: d({ c: 1, d: [1] }), e: 2 }), f: 3 }));
  });

  it('reads array blocks of - items', () => {
    expect(parseSdn('features:\n    - simd\n    - "a b"\n    - [1, 2]\n    - {x: 1}\n')).toEqual(
      d({ features: ['simd', 'a b', [1, 2], d({ x: 1 })] }),
    );
  });

  it('reads array blocks of rows, each value becoming an element', () => {
    expect(parseSdn('primes:\n    2, 3, 5\n    7\n')).toEqual(d({ primes: [2, 3, 5, 7] }));
  });

  it('treats a first line like a:b as an array item, not a key', () => {
    expect(parseSdn('x:\n    a:b\n    c\n')).toEqual(d({ x: ['a:b', 'c'] }));
  });

  it('reads - followed by an indented block', () => {
    const text = ['items:', '  -', '    name: a', '    t |x|', '      1', '  -', '    - 1', '    - 2', '  - 3'].join('\n');
    expect(parseSdn(text)).toEqual(
      d({ items: [d({ name: 'a', t: { fields: ['x'], rows: [[1]] } }), [1, 2], 3] }),
    );
  });

  it('reads key: with no block as null', () => {
    expect(parseSdn('a:\nb: 1')).toEqual(d({ a: null, b: 1 }));
    expect(parseSdn('a:')).toEqual(d({ a: null }));
  });
});

describe('tables', () => {
  it('reads a named table with indented rows', () => {
    const text = 'users |id, name, admin|\n    1, alice, true\n    2, "bob smith", false\nafter: x';
    expect(parseSdn(text)).toEqual(
      d({
        users: { fields: ['id', 'name', 'admin'], rows: [[1, 'alice', true], [2, 'bob smith', false]] },
        after: 'x',
      }),
    );
  });

  it('reads the short form and an empty table', () => {
    expect(parseSdn('p |x, y| 1, 2\nq |a|\nr: 1')).toEqual(
      d({ p: { fields: ['x', 'y'], rows: [[1, 2]] }, q: { fields: ['a'], rows: [] }, r: 1 }),
    );
  });

  it('reads rows with containers and quoted cells holding commas', () => {
    expect(one('t |a, b|\n  [1, 2], "x, y"\n  {k: v}, ""')).toEqual({
      fields: ['a', 'b'],
      rows: [
        [[1, 2], 'x, y'],
        [d({ k: 'v' }), ''],
      ],
    });
  });

  it('reads typed tables inline and with indented rows', () => {
    expect(one('points: table{i32, i32} = [(1, 2), (3, 4)]')).toEqual({
      fields: [],
      types: ['i32', 'i32'],
      rows: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(one('t: table{i32, text}\n    1, "a"\n    (2, "b")')).toEqual({
      fields: [],
      types: ['i32', 'text'],
      rows: [
        [1, 'a'],
        [2, 'b'],
      ],
    });
    expect(one('t: table{i32} = []')).toEqual({ fields: [], types: ['i32'], rows: [] });
  });

  it('reads typed tables with named columns and bracketed types', () => {
    expect(one('t: table{id: i32, m: Map<text, [i64]>, "o k": Option<(i32, f64)>}\n  1, {}, null')).toEqual({
      fields: ['id', 'm', 'o k'],
      types: ['i32', 'Map<text, [i64]>', 'Option<(i32, f64)>'],
      rows: [[1, new Map(), null]],
    });
  });

  it('keeps a bare value named table', () => {
    expect(parseSdn('a: table\nb = table')).toEqual(d({ a: 'table', b: 'table' }));
  });
});

describe('positions', () => {
  it('reports where tables, rows, cells and keys start', () => {
    const { value, positions } = parseSdnWithPositions('# c\nx: 1\nt |a, b|\n    1,   "z"\n');
    const t = value.get('t') as { rows: unknown[][] };
    expect(positions.keyOf(value, 'x')).toEqual({ line: 2, column: 1 });
    expect(positions.of(t)).toEqual({ line: 3, column: 1 });
    expect(positions.of(t.rows[0])).toEqual({ line: 4, column: 5 });
    expect(positions.cellOf(t.rows[0] as never, 1)).toEqual({ line: 4, column: 10 });
  });
});
