import { describe, expect, it } from 'vitest';
import { parseModule } from '../../src/compiler/parser/index.js';
import {
  arg, arrTy, bin, call, exprStmt, field, id, index, int, mod, nm, self, src, stmts, str, ty, tupTy, unitTy, where,
} from './parse-helpers.js';

const tp = (name: string) => ({ kind: 'TypeParam', name: id(name) });
const param = (name: string, type: unknown) => ({ kind: 'Param', name: id(name), type });
const block = (...statements: unknown[]) => ({ kind: 'Block', statements });
const ret = (value: unknown) => ({ kind: 'Return', value });

describe('parser: declarations (LANGUAGE.md)', () => {
  it('parses a fn with params, a return type and a tail expression', () => {
    const m = mod('fn add(a: i64, b: i64) -> i64:       # no `-> R` means the fn returns nothing\n    a + b\n');
    expect(m.items).toEqual([
      {
        kind: 'Fn',
        name: id('add'),
        typeParams: [],
        params: [param('a', ty('i64')), param('b', ty('i64'))],
        returnType: ty('i64'),
        body: block(exprStmt(bin('+', nm('a'), nm('b')))),
        isExtern: false,
        receiver: 'none',
      },
    ]);
  });

  it('parses a generic fn with an early return', () => {
    const m = mod('fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n');
    const fn = m.items[0];
    expect(fn.typeParams).toEqual([tp('T')]);
    expect(fn.params).toEqual([param('a', ty('T')), param('b', ty('T'))]);
    expect(fn.body.statements).toEqual([
      { kind: 'If', branches: [{ kind: 'IfBranch', condition: bin('>', nm('a'), nm('b')), body: block(ret(nm('a'))) }], elseBody: null },
      exprStmt(nm('b')),
    ]);
  });

  it('parses a fn without a return type or params', () => {
    const fn = mod('fn main():\n    print(1)\n').items[0];
    expect(fn.returnType).toBeNull();
    expect(fn.params).toEqual([]);
  });

  it('parses a generic struct', () => {
    expect(mod('struct Pair<A, B>:\n    first: A\n    second: B\n').items).toEqual([
      {
        kind: 'Struct',
        name: id('Pair'),
        typeParams: [tp('A'), tp('B')],
        fields: [
          { kind: 'FieldDecl', name: id('first'), type: ty('A') },
          { kind: 'FieldDecl', name: id('second'), type: ty('B') },
        ],
      },
    ]);
  });

  it('parses struct fields of every type form', () => {
    const fields = mod('struct S:\n    xs: [i64]\n    t: (i64, text)\n    u: ()\n    v: f32x4\n    n: [Pair<i64, [text]>]\n').items[0].fields;
    expect(fields.map((f: { type: unknown }) => f.type)).toEqual([
      arrTy(ty('i64')),
      tupTy(ty('i64'), ty('text')),
      unitTy,
      ty('f32x4'),
      arrTy(ty('Pair', ty('i64'), arrTy(ty('text')))),
    ]);
  });

  it('parses an impl with fn, me and static fn methods', () => {
    const text = [
      'impl Pair:                           # the struct\'s type parameters are in scope',
      '    fn swap() -> Pair<B, A>:         # `fn` method: reads `self`',
      '        Pair(first: self.second, second: self.first)',
      '    me set_first(x: A):              # `me` method: may assign to fields of `self`',
      '        self.first = x',
      '    static fn of(a: A, b: B) -> Pair<A, B>:',
      '        Pair(first: a, second: b)',
      '',
    ].join('\n');
    const impl = mod(text).items[0];
    expect(impl.kind).toBe('Impl');
    expect(impl.target).toEqual(id('Pair'));
    expect(impl.typeParams).toEqual([]);
    const [swap, setFirst, of] = impl.methods;
    expect([swap.receiver, setFirst.receiver, of.receiver]).toEqual(['fn', 'me', 'static']);
    expect(swap.returnType).toEqual(ty('Pair', ty('B'), ty('A')));
    expect(swap.body.statements).toEqual([
      exprStmt(call(nm('Pair'), [arg(field(self, 'second'), 'first'), arg(field(self, 'first'), 'second')])),
    ]);
    expect(setFirst.params).toEqual([param('x', ty('A'))]);
    expect(setFirst.returnType).toBeNull();
    expect(setFirst.body.statements).toEqual([{ kind: 'Assign', target: field(self, 'first'), op: '=', value: nm('x') }]);
    expect(of.params).toEqual([param('a', ty('A')), param('b', ty('B'))]);
    expect(of.body.statements).toEqual([exprStmt(call(nm('Pair'), [arg(nm('a'), 'first'), arg(nm('b'), 'second')]))]);
  });

  it('parses generic methods and an impl with written-out type parameters', () => {
    const impl = mod('impl List<T>:\n    fn map<U>(f: U) -> List<U>:\n        List(items: [])\n').items[0];
    expect(impl.typeParams).toEqual([tp('T')]);
    expect(impl.methods[0].typeParams).toEqual([tp('U')]);
  });

  it('parses an extern fn without a body', () => {
    expect(mod('extern fn now_ms() -> f64            # provided by the embedding host\n').items).toEqual([
      {
        kind: 'Fn',
        name: id('now_ms'),
        typeParams: [],
        params: [],
        returnType: ty('f64'),
        body: null,
        isExtern: true,
        receiver: 'none',
      },
    ]);
  });

  it('parses a struct without fields', () => {
    expect(mod('struct Empty\n').items[0].fields).toEqual([]);
  });

  it('parses both forms of main', () => {
    const m = mod('fn main():\n    print(1)\nfn main2() -> i64:\n    0\n');
    expect(m.items.map((f: { returnType: unknown }) => f.returnType)).toEqual([null, ty('i64')]);
  });

  it('gives items spans from their first keyword to the end of their body', () => {
    const { module } = parseModule(src('extern fn f()\nfn g():\n    1\n'));
    expect(module.items.map((i) => [i.span.start, i.span.end])).toEqual([
      [0, 13],
      [14, 27],
    ]);
  });
});

describe('parser: use', () => {
  it('parses name lists, globs and dotted module paths', () => {
    const m = mod('use lib.{max, Stack}\nuse lib.*\nuse a.b.{c}\nuse lib.max\nuse x.{\n    y,\n    z,\n}\n');
    expect(m.uses).toEqual([
      { kind: 'Use', path: [id('lib')], imports: { kind: 'UseNames', names: [id('max'), id('Stack')] } },
      { kind: 'Use', path: [id('lib')], imports: { kind: 'UseAll' } },
      { kind: 'Use', path: [id('a'), id('b')], imports: { kind: 'UseNames', names: [id('c')] } },
      { kind: 'Use', path: [id('lib')], imports: { kind: 'UseNames', names: [id('max')] } },
      { kind: 'Use', path: [id('x')], imports: { kind: 'UseNames', names: [id('y'), id('z')] } },
    ]);
    expect(m.items).toEqual([]);
  });

  it('collects uses wherever they appear', () => {
    const m = mod('fn f():\n    1\nuse lib.*\n');
    expect(m.uses.length).toBe(1);
    expect(m.items.length).toBe(1);
  });

  it('rejects a bare module name and an empty list', () => {
    const { diagnostics } = parseModule(src('use lib\nuse lib.{}\n'));
    expect(where(diagnostics)).toEqual([
      "1:8 expected '.' and the names to import after the module name",
      '2:9 empty import list',
    ]);
  });
});

describe('parser: statements (LANGUAGE.md)', () => {
  it('parses val and var with and without a type', () => {
    expect(stmts('val x = 1\nvar y: i64 = 2\nvar s = Stack.new()')).toEqual([
      { kind: 'Let', mutable: false, name: id('x'), type: null, value: int(1) },
      { kind: 'Let', mutable: true, name: id('y'), type: ty('i64'), value: int(2) },
      { kind: 'Let', mutable: true, name: id('s'), type: null, value: call(field(nm('Stack'), 'new'), []) },
    ]);
  });

  it('parses assignment and every compound assignment', () => {
    const ops = ['=', '+=', '-=', '*=', '/=', '%='];
    expect(stmts(ops.map((op) => `x ${op} e`).join('\n'))).toEqual(
      ops.map((op) => ({ kind: 'Assign', target: nm('x'), op, value: nm('e') })),
    );
  });

  it('parses assignment to fields and elements', () => {
    expect(stmts('p.field = e\nxs[i] = e\nself.a.b[0] += 1')).toEqual([
      { kind: 'Assign', target: field(nm('p'), 'field'), op: '=', value: nm('e') },
      { kind: 'Assign', target: index(nm('xs'), nm('i')), op: '=', value: nm('e') },
      { kind: 'Assign', target: index(field(field(self, 'a'), 'b'), int(0)), op: '+=', value: int(1) },
    ]);
  });

  it('parses if / elif / else', () => {
    const [s] = stmts('if c:\n    a()\nelif d:\n    b()\nelif e:\n    c()\nelse:\n    d()');
    expect(s).toEqual({
      kind: 'If',
      branches: [
        { kind: 'IfBranch', condition: nm('c'), body: block(exprStmt(call(nm('a'), []))) },
        { kind: 'IfBranch', condition: nm('d'), body: block(exprStmt(call(nm('b'), []))) },
        { kind: 'IfBranch', condition: nm('e'), body: block(exprStmt(call(nm('c'), []))) },
      ],
      elseBody: block(exprStmt(call(nm('d'), []))),
    });
  });

  it('treats an if/else at the end of a block as an ordinary If statement (the value of the block)', () => {
    const body = mod('fn pick(c: bool) -> i64:\n    if c:\n        1\n    else:\n        2\n').items[0].body;
    expect(body.statements).toEqual([
      {
        kind: 'If',
        branches: [{ kind: 'IfBranch', condition: nm('c'), body: block(exprStmt(int(1))) }],
        elseBody: block(exprStmt(int(2))),
      },
    ]);
  });

  it('accepts a single statement on the same line after the colon', () => {
    expect(stmts('if a > b: return a\nelse: return b')).toEqual([
      {
        kind: 'If',
        branches: [{ kind: 'IfBranch', condition: bin('>', nm('a'), nm('b')), body: block(ret(nm('a'))) }],
        elseBody: block(ret(nm('b'))),
      },
    ]);
  });

  it('parses while, break and continue', () => {
    expect(stmts('while i < 10:\n    if i == 5:\n        break\n    continue')).toEqual([
      {
        kind: 'While',
        condition: bin('<', nm('i'), int(10)),
        body: block(
          { kind: 'If', branches: [{ kind: 'IfBranch', condition: bin('==', nm('i'), int(5)), body: block({ kind: 'Break' }) }], elseBody: null },
          { kind: 'Continue' },
        ),
      },
    ]);
  });

  it('parses for over exclusive and inclusive ranges and over an expression', () => {
    expect(stmts('for i in a..b:\n    f(i)\nfor i in 0..=n - 1:\n    f(i)\nfor x in xs:\n    f(x)\nfor x in p.items():\n    f(x)')).toEqual([
      { kind: 'For', binding: id('i'), iterable: { kind: 'Range', start: nm('a'), end: nm('b'), inclusive: false }, body: block(exprStmt(call(nm('f'), [nm('i')]))) },
      {
        kind: 'For',
        binding: id('i'),
        iterable: { kind: 'Range', start: int(0), end: bin('-', nm('n'), int(1)), inclusive: true },
        body: block(exprStmt(call(nm('f'), [nm('i')]))),
      },
      { kind: 'For', binding: id('x'), iterable: nm('xs'), body: block(exprStmt(call(nm('f'), [nm('x')]))) },
      { kind: 'For', binding: id('x'), iterable: call(field(nm('p'), 'items'), []), body: block(exprStmt(call(nm('f'), [nm('x')]))) },
    ]);
  });

  it('parses return with and without a value', () => {
    expect(stmts('return\nreturn a + 1')).toEqual([ret(null), ret(bin('+', nm('a'), int(1)))]);
  });

  it('parses any expression as a statement', () => {
    expect(stmts('print("hi {name}")\nxs.push(3)\nassert(x == 1)')).toEqual([
      exprStmt(call(nm('print'), [str('hi ', nm('name'))])),
      exprStmt(call(field(nm('xs'), 'push'), [int(3)])),
      exprStmt(call(nm('assert'), [bin('==', nm('x'), int(1))])),
    ]);
  });

  it('nests blocks and reads comments and blank lines anywhere', () => {
    const text = [
      'fn f(n: i64) -> i64:',
      '    var total = 0   # running sum',
      '',
      '    for i in 0..n:',
      '        # only odd ones',
      '        if i % 2 == 1:',
      '',
      '            total += i',
      '    total',
      '',
    ].join('\n');
    const body = mod(text).items[0].body.statements;
    expect(body.map((s: { kind: string }) => s.kind)).toEqual(['Let', 'For', 'ExprStmt']);
    expect(body[1].body.statements[0].branches[0].body.statements[0]).toEqual({
      kind: 'Assign',
      target: nm('total'),
      op: '+=',
      value: nm('i'),
    });
  });

  it('gives statements and blocks spans', () => {
    const text = 'fn f():\n    val x = 1 + 2\n    x\n';
    const { module } = parseModule(src(text));
    const fn = module.items[0];
    if (fn.kind !== 'Fn' || fn.body === null) throw new Error('expected a fn');
    const [letStmt, tail] = fn.body.statements;
    expect(text.slice(letStmt.span.start, letStmt.span.end)).toBe('val x = 1 + 2');
    expect(text.slice(tail.span.start, tail.span.end)).toBe('x');
    expect(text.slice(fn.body.span.start, fn.body.span.end)).toBe('val x = 1 + 2\n    x');
  });
});

describe('parser: a whole program', () => {
  it('parses a program using every construct of LANGUAGE.md without errors', () => {
    const text = `
use lib.{max, Stack}
use util.*

struct Pair<A, B>:
    first: A
    second: B

impl Pair:
    fn swap() -> Pair<B, A>:
        Pair(first: self.second, second: self.first)
    me set_first(x: A):
        self.first = x
    static fn of(a: A, b: B) -> Pair<A, B>:
        Pair(first: a, second: b)
    fn map<U>(u: U) -> Pair<U, B>:
        Pair<U, B>(first: u, second: self.second)

extern fn now_ms() -> f64

fn _helper(xs: [i64]) -> (i64, text):
    (xs.len(), "n = {xs.len()}")

fn main() -> i64:
    val a = 42 + 1_000 * 0xff - 3.5 as i64
    var f: f64 = 1e-3
    var s = Stack<Pair<i64, text>>.new()
    s.push(Pair<i64, text>(first: 1, second: "a"))
    val p = Pair.of(1, 2).swap()
    val t = (1, "a")
    print(t.0)
    var xs = []
    xs.push(3)
    xs[0] = xs.pop() + max<i64>(1, 2)
    val v = f32x4(1.0, 2.0, 3.0, 4.0) + f32x4.splat(f as f32)
    print(v[0] + v.sum())
    for i in 0..10:
        if i % 2 == 0 and not (i > 5 or i < 1):
            continue
        elif i == 7:
            break
        else:
            f += i as f64
    while true:
        break
    print("text with {a} and \\n")
    assert(a != 0)
    if a > 0:
        a
    else:
        -a
`;
    const m = mod(text);
    expect(m.uses.length).toBe(2);
    expect(m.items.map((i: { kind: string; name?: { name: string }; target?: { name: string } }) => i.name?.name ?? i.target?.name)).toEqual([
      'Pair', 'Pair', 'now_ms', '_helper', 'main',
    ]);
  });
});
