/**
 * Appending in place (src/compiler/lower/text-append.ts) is only allowed when nothing but the
 * local can see its text. Each program below lets something else see it — another local, a
 * call's result, a field, a one-part interpolation, a value that was not new — then appends
 * again and prints what the other holder sees: it must not have changed. And where the append
 * is allowed, the result is the same text plain concatenation gives, even `s = s + s`.
 */
import { describe, expect, it } from 'vitest';
import { loadSource, printed } from './run-source.js';

const program = (setup: string[], share: string, after: string): string =>
  ['struct Box:', '    t: text', 'fn id(t: text) -> text:', '    t', 'fn main():', '    var s = ""', '    for i in 0..3:', '        s += "x"', ...setup.map((l) => `    ${l}`), `    val other = ${share}`, '    s += "y"', `    s = s + "z"`, `    print(${after})`, '    print(s)', ''].join('\n');

describe('a text someone else can see is never appended to in place', () => {
  it('copied to another local', () => {
    expect(printed(program([], 's', 'other'))).toEqual(['xxx', 'xxxyz']);
  });
  it('returned by a call it was passed to', () => {
    expect(printed(program([], 'id(s)', 'other'))).toEqual(['xxx', 'xxxyz']);
  });
  it('stored in a struct field', () => {
    expect(printed(program([], 'Box(t: s)', 'other.t'))).toEqual(['xxx', 'xxxyz']);
  });
  it('stored in an array', () => {
    expect(printed(program(['var all: [text] = []', 'all.push(s)'], 'all', 'other[0]'))).toEqual(['xxx', 'xxxyz']);
  });
  it('interpolated alone (a one-part interpolation is the text itself)', () => {
    expect(printed(program([], '"{s}"', 'other'))).toEqual(['xxx', 'xxxyz']);
  });
  it('given a text that was not new', () => {
    const src = ['fn main():', '    val base = "ab"', '    var t = base + "c"', '    var s = t', '    for i in 0..3:', '        s = s + "!"', '    print(t)', '    print(s)', ''].join('\n');
    expect(printed(src)).toEqual(['abc', 'abc!!!']);
  });
  it('assigned from a call in a branch', () => {
    const src = ['fn id(t: text) -> text:', '    t', 'fn main():', '    val keep = "k" + "1"', '    var s = "a" + "b"', '    if keep.len() == 2:', '        s = id(keep)', '    s += "!"', '    print(keep)', '    print(s)', ''].join('\n');
    expect(printed(src)).toEqual(['k1', 'k1!']);
  });
});

describe('appends that may grow in place give the same text', () => {
  it('s = s + s, appends inside if, while and for, and reads that only look at the bytes', () => {
    const src = [
      'fn main():',
      '    var s = "ab"',
      '    s = s + s',
      '    var n = 0',
      '    while n < 2:',
      '        s += "w"',
      '        n += 1',
      '    for x in [1, 2]:',
      '        if x == 2:',
      '            s += "{x}{x}"',
      '        else:',
      '            s = s + "e"',
      '    print(s)',
      '    print(s.len())',
      '    print(s == "ababwwe22")',
      '    print("<{s}>")',
      '    val u = s + "."',
      '    s += "!"',
      '    print(u)',
      '    print(s)',
      '',
    ].join('\n');
    expect(printed(src, { gcStress: true })).toEqual(['ababwwe22', '9', 'true', '<ababwwe22>', 'ababwwe22.', 'ababwwe22!']);
  });

  it('a loop of appends to a fresh local allocates a handful of times, not once per append', () => {
    const p = loadSource('fn run(n: i64) -> i64:\n    var s = "" + ""\n    for i in 0..n:\n        s = s + "ab"\n    s.len()\n');
    p.fn('run')(1n);
    const before = p.loader.stats().memory.allocations;
    expect(p.fn('run')(2000n)).toBe(4000n);
    expect(p.loader.stats().memory.allocations - before).toBeLessThan(40);
  });

  it('s = t + e of another local is not an append to t', () => {
    const src = ['fn main():', '    var t = "a" + "b"', '    var s = "" + ""', '    for i in 0..3:', '        s = t + "x"', '        t += "c"', '    print(t)', '    print(s)', ''].join('\n');
    expect(printed(src)).toEqual(['abccc', 'abccx']);
  });
});

describe('reads that only look at the bytes keep the appends in place', () => {
  // Per iteration: one append, then a read of `s`. In place, the appends allocate a handful of
  // times in all; copied, once per iteration more.
  const reads: Array<[string, string, number]> = [
    ['compared (==, <)', '        if s == "ab" or s < "b":\n            k += 1', 0],
    ['concatenated', '        val u = s + "!"\n        k += u.len()', 1],
    ['interpolated with other parts (two joins)', '        val u = "<{s}>"\n        k += u.len()', 2],
    ['its length taken', '        k += s.len()', 0],
  ];
  for (const [what, read, perIteration] of reads) {
    it(`${what}`, () => {
      const p = loadSource(`fn run(n: i64) -> i64:\n    var s = "" + ""\n    var k = 0\n    for i in 0..n:\n        s += "ab"\n${read}\n    s.len()\n`);
      p.fn('run')(1n);
      const before = p.loader.stats().memory.allocations;
      expect(p.fn('run')(500n)).toBe(1000n);
      const allocations = p.loader.stats().memory.allocations - before;
      expect(allocations).toBeGreaterThanOrEqual(500 * perIteration);
      expect(allocations).toBeLessThan(500 * perIteration + 40);
    });
  }
  it('printed, and returned', () => {
    const p = loadSource('fn run(n: i64) -> text:\n    var s = "" + ""\n    for i in 0..n:\n        s += "ab"\n        if i % 100 == 0:\n            print(s.len())\n    s\n');
    p.fn('run')(1n);
    const before = p.loader.stats().memory.allocations;
    p.fn('run')(500n);
    expect(p.loader.stats().memory.allocations - before).toBeLessThan(40);
  });
});
