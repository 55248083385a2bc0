import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpression, parseTypeExpr } from '../../src/compiler/parser/index.js';
import {
  arg, arrTy, bin, bool, call, cast, expr, field, flt, generic, id, index, int, nm, self, stmts, str, tfield, tupTy, ty, type, un, unitTy, where,
} from './parse-helpers.js';

describe('parser: literals and primaries', () => {
  it('parses number literals keeping their spelling', () => {
    expect(expr('42')).toEqual(int(42));
    expect(expr('1_000')).toEqual(int(1000, '1_000'));
    expect(expr('0xff')).toEqual(int(255, '0xff'));
    expect(expr('3.5')).toEqual(flt(3.5, '3.5'));
    expect(expr('1e-3')).toEqual(flt(0.001, '1e-3'));
  });

  it('parses booleans, self and names', () => {
    expect(expr('true')).toEqual(bool(true));
    expect(expr('false')).toEqual(bool(false));
    expect(expr('self')).toEqual(self);
    expect(expr('print')).toEqual(nm('print'));
  });

  it('parses strings with interpolation into text and expression parts', () => {
    expect(expr('"text with {expr} and \\n"')).toEqual(str('text with ', nm('expr'), ' and \n'));
    expect(expr('""')).toEqual(str());
    expect(expr('"{a + 1}{b}"')).toEqual(str(bin('+', nm('a'), int(1)), nm('b')));
  });

  it('parses nested strings and calls inside interpolation', () => {
    expect(expr('"{f("x")}"')).toEqual(str(call(nm('f'), [str('x')])));
    expect(expr('"a {"b {c} d"} e"')).toEqual(str('a ', str('b ', nm('c'), ' d'), ' e'));
    expect(expr('"{xs[0].len()} {p.first}"')).toEqual(
      str(call(field(index(nm('xs'), int(0)), 'len'), []), ' ', field(nm('p'), 'first')),
    );
  });

  it('gives interpolated expressions spans in the original text', () => {
    const { expr: e } = parseExpression('"ab {x + y}"');
    if (e?.kind !== 'Str' || e.parts[1].kind !== 'StrInterp') throw new Error('expected interpolation');
    expect(e.parts[1].expr.span).toEqual({ start: 5, end: 10 });
    expect(e.parts[1].span).toEqual({ start: 4, end: 11 });
  });

  it('parses arrays, tuples, unit and parentheses', () => {
    expect(expr('[1, 2, 3]')).toEqual({ kind: 'Array', elements: [int(1), int(2), int(3)] });
    expect(expr('[]')).toEqual({ kind: 'Array', elements: [] });
    expect(expr('[x,]')).toEqual({ kind: 'Array', elements: [nm('x')] });
    expect(expr('(1, "a")')).toEqual({ kind: 'Tuple', elements: [int(1), str('a')] });
    expect(expr('(x,)')).toEqual({ kind: 'Tuple', elements: [nm('x')] });
    expect(expr('(x)')).toEqual(nm('x'));
    expect(expr('((x))')).toEqual(nm('x'));
    expect(expr('()')).toEqual({ kind: 'Unit' });
  });
});

describe('parser: postfix forms', () => {
  it('parses calls, trailing commas and named arguments', () => {
    expect(expr('f()')).toEqual(call(nm('f'), []));
    expect(expr('f(a, b,)')).toEqual(call(nm('f'), [nm('a'), nm('b')]));
    expect(expr('Pair(first: 1, second: "a")')).toEqual(call(nm('Pair'), [arg(int(1), 'first'), arg(str('a'), 'second')]));
  });

  it('parses fields, tuple fields, method calls, static calls and indexing', () => {
    expect(expr('p.first')).toEqual(field(nm('p'), 'first'));
    expect(expr('t.0')).toEqual(tfield(nm('t'), 0));
    expect(expr('t.0.1')).toEqual(tfield(tfield(nm('t'), 0), 1));
    expect(expr('p.swap()')).toEqual(call(field(nm('p'), 'swap'), []));
    expect(expr('Pair.of(1, 2)')).toEqual(call(field(nm('Pair'), 'of'), [int(1), int(2)]));
    expect(expr('xs[i][j]')).toEqual(index(index(nm('xs'), nm('i')), nm('j')));
    expect(expr('a.b.c().d[0]')).toEqual(index(field(call(field(field(nm('a'), 'b'), 'c'), []), 'd'), int(0)));
    expect(expr('xs.len()')).toEqual(call(field(nm('xs'), 'len'), []));
    expect(expr('f(x)(y)')).toEqual(call(call(nm('f'), [nm('x')]), [nm('y')]));
  });

  it('parses SIMD constructors and lane operations as ordinary calls', () => {
    expect(expr('f32x4(1.0, 2.0, 3.0, 4.0)')).toEqual(
      call(nm('f32x4'), [flt(1, '1.0'), flt(2, '2.0'), flt(3, '3.0'), flt(4, '4.0')]),
    );
    expect(expr('f32x4.splat(x)')).toEqual(call(field(nm('f32x4'), 'splat'), [nm('x')]));
    expect(expr('v[0] + v.sum()')).toEqual(bin('+', index(nm('v'), int(0)), call(field(nm('v'), 'sum'), [])));
  });
});

describe('parser: generics versus comparison', () => {
  it('reads a < b as a comparison', () => {
    expect(expr('a < b')).toEqual(bin('<', nm('a'), nm('b')));
    expect(expr('a < b and c > d')).toEqual(bin('and', bin('<', nm('a'), nm('b')), bin('>', nm('c'), nm('d'))));
    expect(expr('a.b < c')).toEqual(bin('<', field(nm('a'), 'b'), nm('c')));
    expect(expr('i < n - 1')).toEqual(bin('<', nm('i'), bin('-', nm('n'), int(1))));
    expect(expr('a < b >> c')).toEqual(bin('<', nm('a'), bin('>>', nm('b'), nm('c'))));
    expect(expr('a < (b)')).toEqual(bin('<', nm('a'), nm('b')));
  });

  it('reads explicit type arguments before a call', () => {
    expect(expr('f<i64>(x)')).toEqual(call(nm('f'), [nm('x')], [ty('i64')]));
    expect(expr('max<i64>(a, b)')).toEqual(call(nm('max'), [nm('a'), nm('b')], [ty('i64')]));
    expect(expr('Pair<i64, text>(first: 1, second: "a")')).toEqual(
      call(nm('Pair'), [arg(int(1), 'first'), arg(str('a'), 'second')], [ty('i64'), ty('text')]),
    );
    expect(expr('f<[i64], (i64, text)>()')).toEqual(call(nm('f'), [], [arrTy(ty('i64')), tupTy(ty('i64'), ty('text'))]));
    expect(expr('p.map<U>(g)')).toEqual(call(field(nm('p'), 'map'), [nm('g')], [ty('U')]));
  });

  it('reads type arguments before a static call, splitting >>', () => {
    expect(expr('Stack<i64>.new()')).toEqual(call(field(generic('Stack', ty('i64')), 'new'), []));
    expect(expr('Stack<Pair<i64, text>>.new()')).toEqual(
      call(field(generic('Stack', ty('Pair', ty('i64'), ty('text'))), 'new'), []),
    );
    expect(expr('A<B<C<i64>>>.f()')).toEqual(call(field(generic('A', ty('B', ty('C', ty('i64')))), 'f'), []));
  });

  it('decides x < y > (z) is a generic call (as comparisons it would be a chain, an error anyway)', () => {
    expect(expr('x < y > (z)')).toEqual(call(nm('x'), [nm('z')], [ty('y')]));
  });

  it('casts with and without speculative type arguments', () => {
    expect(expr('x as f64')).toEqual(cast(nm('x'), ty('f64')));
    expect(expr('x as i64 < y')).toEqual(bin('<', cast(nm('x'), ty('i64')), nm('y')));
    expect(expr('x as i64 < y >> 2')).toEqual(bin('<', cast(nm('x'), ty('i64')), bin('>>', nm('y'), int(2))));
    expect(expr('x as Pair<i64, i64>')).toEqual(cast(nm('x'), ty('Pair', ty('i64'), ty('i64'))));
    expect(expr('x as [i64]')).toEqual(cast(nm('x'), arrTy(ty('i64'))));
  });

  it('closes a type-argument list with the first half of >=', () => {
    expect(stmts('val s: Stack<i64>= Stack.new()')).toEqual([
      { kind: 'Let', mutable: false, name: id('s'), type: ty('Stack', ty('i64')), value: call(field(nm('Stack'), 'new'), []) },
    ]);
  });
});

describe('parser: operators', () => {
  it('follows the precedence of LANGUAGE.md', () => {
    expect(expr('a or b and c')).toEqual(bin('or', nm('a'), bin('and', nm('b'), nm('c'))));
    expect(expr('not a == b')).toEqual(un('not', bin('==', nm('a'), nm('b'))));
    expect(expr('not a and b')).toEqual(bin('and', un('not', nm('a')), nm('b')));
    expect(expr('a == b | c')).toEqual(bin('==', nm('a'), bin('|', nm('b'), nm('c'))));
    expect(expr('a | b ^ c & d')).toEqual(bin('|', nm('a'), bin('^', nm('b'), bin('&', nm('c'), nm('d')))));
    expect(expr('a & b << c')).toEqual(bin('&', nm('a'), bin('<<', nm('b'), nm('c'))));
    expect(expr('a << b + c')).toEqual(bin('<<', nm('a'), bin('+', nm('b'), nm('c'))));
    expect(expr('a + b * c')).toEqual(bin('+', nm('a'), bin('*', nm('b'), nm('c'))));
    expect(expr('-a * b')).toEqual(bin('*', un('-', nm('a')), nm('b')));
    expect(expr('-x as f64')).toEqual(un('-', cast(nm('x'), ty('f64'))));
    expect(expr('a * b as f64')).toEqual(bin('*', nm('a'), cast(nm('b'), ty('f64'))));
    expect(expr('x as i32 as i64')).toEqual(cast(cast(nm('x'), ty('i32')), ty('i64')));
    expect(expr('--x')).toEqual(un('-', un('-', nm('x'))));
    expect(expr('-f(x).y')).toEqual(un('-', field(call(nm('f'), [nm('x')]), 'y')));
  });

  it('is left-associative', () => {
    expect(expr('a - b - c')).toEqual(bin('-', bin('-', nm('a'), nm('b')), nm('c')));
    expect(expr('a / b * c % d')).toEqual(bin('%', bin('*', bin('/', nm('a'), nm('b')), nm('c')), nm('d')));
    expect(expr('s + " " + t')).toEqual(bin('+', bin('+', nm('s'), str(' ')), nm('t')));
  });

  it('makes comparisons non-associative', () => {
    const { diagnostics } = parseExpression('a < b < c');
    expect(where(diagnostics)).toEqual(["1:7 comparison operators cannot be chained; combine comparisons with 'and'"]);
    expect(expr('(a < b) == c')).toEqual(bin('==', bin('<', nm('a'), nm('b')), nm('c')));
    expect(expr('a == (b != c)')).toEqual(bin('==', nm('a'), bin('!=', nm('b'), nm('c'))));
  });

  // Random trees over every operator, printed with only the parentheses precedence requires,
  // must parse back to the same tree; the fully parenthesized print must too.
  it('round-trips random expression trees through minimal parentheses (property)', () => {
    type Node =
      | { t: 'atom'; v: string }
      | { t: 'bin'; op: string; l: Node; r: Node }
      | { t: 'neg'; e: Node }
      | { t: 'not'; e: Node }
      | { t: 'cast'; e: Node; to: string };
    const PREC: Record<string, number> = {
      or: 1, and: 2, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4,
      '|': 5, '^': 6, '&': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
    };
    const CMP = 4;
    const prec = (n: Node): number =>
      n.t === 'atom' ? 99 : n.t === 'bin' ? PREC[n.op] : n.t === 'neg' ? 11 : n.t === 'not' ? 3 : 12;
    const wrap = (s: string, yes: boolean): string => (yes ? `(${s})` : s);
    const minimal = (n: Node): string => {
      switch (n.t) {
        case 'atom':
          return n.v;
        case 'neg':
          return '-' + wrap(minimal(n.e), prec(n.e) < 12);
        case 'not':
          return 'not ' + wrap(minimal(n.e), prec(n.e) < CMP);
        case 'cast':
          return wrap(minimal(n.e), prec(n.e) < 12) + ' as ' + n.to;
        case 'bin': {
          const p = PREC[n.op];
          const l = wrap(minimal(n.l), prec(n.l) < p || (p === CMP && prec(n.l) === CMP));
          const r = wrap(minimal(n.r), prec(n.r) <= p);
          return `${l} ${n.op} ${r}`;
        }
      }
    };
    const full = (n: Node): string => {
      switch (n.t) {
        case 'atom':
          return n.v;
        case 'neg':
          return `(-(${full(n.e)}))`;
        case 'not':
          return `(not (${full(n.e)}))`;
        case 'cast':
          return `((${full(n.e)}) as ${n.to})`;
        case 'bin':
          return `(${full(n.l)} ${n.op} ${full(n.r)})`;
      }
    };
    const ast = (n: Node): unknown => {
      switch (n.t) {
        case 'atom':
          return /^[0-9]/.test(n.v) ? int(Number(n.v)) : nm(n.v);
        case 'neg':
          return un('-', ast(n.e));
        case 'not':
          return un('not', ast(n.e));
        case 'cast':
          return cast(ast(n.e), ty(n.to));
        case 'bin':
          return bin(n.op, ast(n.l), ast(n.r));
      }
    };
    const { tree } = fc.letrec<{ tree: Node }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ t: fc.constant('atom' as const), v: fc.constantFrom('a', 'b', 'c', 'x', '1', '2') }),
        fc.record({ t: fc.constant('bin' as const), op: fc.constantFrom(...Object.keys(PREC)), l: tie('tree'), r: tie('tree') }),
        fc.record({ t: fc.constant('neg' as const), e: tie('tree') }),
        fc.record({ t: fc.constant('not' as const), e: tie('tree') }),
        fc.record({ t: fc.constant('cast' as const), e: tie('tree'), to: fc.constantFrom('i64', 'f64') }),
      ) as fc.Arbitrary<Node>,
    }));
    fc.assert(
      fc.property(tree, (n) => {
        expect(expr(minimal(n))).toEqual(ast(n));
        expect(expr(full(n))).toEqual(ast(n));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parser: type expressions', () => {
  it('parses every type form', () => {
    expect(type('i64')).toEqual(ty('i64'));
    expect(type('Stack<Pair<i64, text>>')).toEqual(ty('Stack', ty('Pair', ty('i64'), ty('text'))));
    expect(type('[[i64]]')).toEqual(arrTy(arrTy(ty('i64'))));
    expect(type('(i64, (f64, bool))')).toEqual(tupTy(ty('i64'), tupTy(ty('f64'), ty('bool'))));
    expect(type('(i64,)')).toEqual(tupTy(ty('i64')));
    expect(type('(i64)')).toEqual(ty('i64'));
    expect(type('()')).toEqual(unitTy);
    expect(type('A<B<C<D>>>')).toEqual(ty('A', ty('B', ty('C', ty('D')))));
    expect(type('[Pair<A, B>]')).toEqual(arrTy(ty('Pair', ty('A'), ty('B'))));
  });

  it('reports malformed types', () => {
    expect(where(parseTypeExpr('Pair<i64').diagnostics)).toEqual(["1:9 expected ',' or '>' after a type argument"]);
    expect(where(parseTypeExpr('Pair<>').diagnostics)).toEqual(["1:6 expected a type argument, found '>'"]);
    expect(where(parseTypeExpr('[i64').diagnostics)).toEqual(["1:5 expected ']' after the element type of an array type"]);
    expect(where(parseTypeExpr('42').diagnostics)).toEqual(["1:1 expected a type, found number '42'"]);
    expect(where(parseTypeExpr('A<B>>').diagnostics)).toEqual(["1:5 expected end of the type, found '>'"]);
  });
});
