import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/compiler/diagnostics.js';
import { parseModule, SYNTAX_ERROR } from '../../src/compiler/parser/index.js';
import { src, where } from './parse-helpers.js';

function errors(text: string): string[] {
  return where(parseModule(src(text)).diagnostics);
}

function itemNames(text: string): string[] {
  return parseModule(src(text)).module.items.map((i) => (i.kind === 'Impl' ? i.target.name : i.name.name));
}

describe('parser: error recovery', () => {
  it('reports three separate errors in one file, each at its exact line and column', () => {
    const text = [
      'fn main():',
      '    if x > 1',
      '        print(x)',
      '    val y = (1 + )',
      '    print(y)',
      '',
      'fn other() -> i64:',
      '    while true',
      '        break',
      '    0',
      '',
    ].join('\n');
    const { module, diagnostics } = parseModule(src(text));
    expect(where(diagnostics)).toEqual([
      "2:13 expected ':' after the condition of 'if'",
      "4:18 expected an expression, found ')'",
      "8:15 expected ':' after the condition of 'while'",
    ]);
    expect(diagnostics.every((d) => d.code === SYNTAX_ERROR && d.severity === 'error')).toBe(true);
    // The good statements around the errors survive.
    const [main, other] = module.items;
    if (main.kind !== 'Fn' || other.kind !== 'Fn') throw new Error('expected fns');
    expect(main.body?.statements.map((s) => s.kind)).toEqual(['ExprStmt']);
    expect(other.body?.statements.map((s) => s.kind)).toEqual(['ExprStmt']);
  });

  it('skips the elif / else arms of a broken if instead of reporting them again', () => {
    expect(errors('fn f():\n    if x\n        a()\n    elif y:\n        b()\n    else:\n        c()\n    d()\n')).toEqual([
      "2:9 expected ':' after the condition of 'if'",
    ]);
  });

  it('keeps parsing items after a broken item', () => {
    const text = 'fn a(:\n    1\nstruct S:\n    x: i64\nfn b(x i64):\n    2\nimpl S:\n    fn c():\n        3\n';
    expect(errors(text)).toEqual([
      "1:6 expected a parameter name, found ':'",
      "5:8 expected ':' and a type after the parameter 'x'",
    ]);
    expect(itemNames(text)).toEqual(['S', 'S']);
  });

  it('reports an unclosed bracket at the end of its line when a statement keyword starts the next', () => {
    const text = 'fn main():\n    val x = f(1, 2\n    val y = [3\n    return y\n';
    expect(errors(text)).toEqual([
      "2:19 expected ',' or ')' in the argument list, found end of line",
      "3:15 expected ',' or ']' in the array literal, found end of line",
    ]);
  });

  it('otherwise joins lines inside an unclosed bracket, as implicit line joining says', () => {
    expect(errors('fn main():\n    val y = [3\n    print(y)\n')).toEqual([
      "3:5 expected ',' or ']' in the array literal, found identifier 'print'",
    ]);
  });

  it('reports an unexpected indent and still parses the indented lines', () => {
    expect(errors('fn f():\n    a()\n        b(1 + )\n    c()\n')).toEqual([
      '3:9 unexpected indent',
      "3:15 expected an expression, found ')'",
    ]);
    expect(errors('    fn f():\n        1\n')).toEqual(['1:5 unexpected indent']);
    expect(itemNames('    fn f():\n        1\n')).toEqual(['f']);
  });

  it('reports a missing indented block and parses the following line normally', () => {
    const text = 'fn f():\n    if x:\n    y()\n';
    const { module, diagnostics } = parseModule(src(text));
    expect(where(diagnostics)).toEqual(["3:5 expected an indented block after 'if'"]);
    const f = module.items[0];
    if (f.kind !== 'Fn') throw new Error('expected a fn');
    expect(f.body?.statements.map((s) => s.kind)).toEqual(['If', 'ExprStmt']);
  });

  it('merges lexer and parser errors in source order', () => {
    expect(errors('fn f():\n    x = (1 + )\n    y = @\n\tz = 1\n')).toEqual([
      "2:14 expected an expression, found ')'",
      '3:8 expected an expression, found end of line',
      "3:9 unexpected character '@' (U+0040)",
      '4:1 tab in indentation; indent with spaces',
    ]);
  });

  it('explains misplaced keywords and declarations', () => {
    expect(errors('fn f():\n    else:\n        1\n    fn g():\n        2\n    3\n')).toEqual([
      "2:5 'else' without a matching 'if'",
      "4:5 'fn' declarations are only allowed at the top level of a module",
    ]);
    expect(errors('val x = 1\n')).toEqual(["1:1 expected an item ('fn', 'struct', 'impl', 'extern fn' or 'use'), found 'val'"]);
    expect(errors('me m():\n    1\n')).toEqual(["1:1 'me' methods are only allowed inside an 'impl' block"]);
    expect(errors('extern fn e():\n    1\n')).toEqual(["1:14 an 'extern fn' has no body; the host provides it"]);
    expect(errors('extern e()\n')).toEqual(["1:8 expected 'fn' after 'extern', found identifier 'e'"]);
    expect(errors('impl P:\n    extern fn q()\n    static x()\n    val y = 1\n')).toEqual([
      "2:5 an 'extern fn' cannot be a method; declare it at the top level",
      "3:12 expected 'fn' after 'static', found identifier 'x'",
      "4:5 expected a method ('fn', 'me' or 'static fn'), found 'val'",
    ]);
    expect(errors('struct S:\n    a i64\n    b: i64\n')).toEqual(["2:7 expected ':' and a type after the field 'a'"]);
  });

  it('reports missing pieces of statements with specific messages', () => {
    const body = (lines: string[]) => errors('fn f():\n' + lines.map((l) => '    ' + l + '\n').join(''));
    expect(body(['val = 1'])).toEqual(["2:9 expected a variable name after 'val', found '='"]);
    expect(body(['var x'])).toEqual(["2:10 expected '=' and an initial value for 'x'"]);
    expect(body(['for in xs:', '    1'])).toEqual(["2:9 expected a loop variable name after 'for', found 'in'"]);
    expect(body(['for x xs:', '    1'])).toEqual(["2:11 expected 'in' after the loop variable of 'for'"]);
    expect(body(['for x in 0..n', '    1'])).toEqual(["2:18 expected ':' after the iterable of 'for'"]);
    expect(body(['if a:', '    1', 'else', '    2'])).toEqual(["4:9 expected ':' after 'else'"]);
    expect(body(['x = 1 2'])).toEqual(["2:11 expected end of line, found number '2'"]);
    expect(body(['3 = 4', 'f() += 1'])).toEqual([
      '2:5 cannot assign to this expression; expected a variable, a field or an element',
      '3:5 cannot assign to this expression; expected a variable, a field or an element',
    ]);
    expect(body(['f(a: 1, 2)'])).toEqual(['2:13 cannot mix named and positional arguments in one call']);
    expect(body(['x.()'])).toEqual(["2:7 expected a field name or tuple index after '.', found '('"]);
    expect(body(['a < b < c'])).toEqual(["2:11 comparison operators cannot be chained; combine comparisons with 'and'"]);
  });

  it('reports bad interpolations at the braces', () => {
    const text = 'fn f():\n    print("{}" + "{a b}")\n';
    const { diagnostics } = parseModule(src(text));
    expect(where(diagnostics)).toEqual([
      "2:13 expected an expression, found '}'",
      "2:22 expected '}' to end the interpolation, found identifier 'b'",
    ]);
    expect(formatDiagnostic(diagnostics[0])).toBe(
      ["test.spl:2:13: error: expected an expression, found '}'", '    print("{}" + "{a b}")', '            ^'].join('\n'),
    );
  });

  it('reports an unterminated interpolation only once', () => {
    expect(errors('fn f():\n    val s = "a {x\n')).toEqual(['2:13 unterminated string literal']);
  });

  it('never throws and always returns a module, whatever the input', () => {
    const junk = ['', ':', ')))', 'fn', 'fn f(', 'struct', 'impl', 'use', 'use a.', '"', '"{', '\t\t', 'fn f():\n  if', 'x<y<z>>>(', '[[[[', 'a.0.b<'];
    for (const text of junk) {
      const { module } = parseModule(src(text));
      expect(module.kind).toBe('Module');
    }
  });
});

describe('parser: limits', () => {
  it('reports absurd nesting instead of overflowing the stack', () => {
    const deep = 'fn f():\n    x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n';
    expect(errors(deep)).toEqual(['2:264 expression, block or type nested too deeply']);
    const blocks = ['fn f():'];
    for (let i = 1; i < 400; i++) blocks.push(' '.repeat(i) + 'if x:');
    blocks.push(' '.repeat(400) + 'y');
    expect(errors(blocks.join('\n') + '\n').length).toBe(1);
  });

  it('parses moderately deep nesting fine', () => {
    expect(errors('fn f():\n    x = ' + '('.repeat(100) + '1' + ')'.repeat(100) + '\n')).toEqual([]);
  });
});
