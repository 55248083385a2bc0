/**
 * `smf repl` driven through a pipe, as a script would: no prompts, one result line per input,
 * errors with carets on standard error, exit code 1 when an input failed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, replPipe, tempDir } from './helpers.js';

describe('smf repl on a pipe', () => {
  it('prints the value and type of expressions, and keeps val/var bindings between inputs', () => {
    const r = replPipe(['val x = 4', 'x + 5', 'var n = 10', 'n += x', 'n', '"a" + "b"', '[1, 2, 3]', '(1, 2.5, true)', '7 as u8']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(['x = 4 : i64', '9 : i64', 'n = 10 : i64', '14 : i64', '"ab" : text', '[1, 2, 3] : [i64]', '(1, 2.5, true) : (i64, f64, bool)', '7 : u8', '']);
    expect(r.code).toBe(0);
  });

  it('shows text as a literal that reads back as the same text', () => {
    const inputs = ['"say \\"hi\\" \\{x\\} {1 + 1}\\t\\\\"', '["a\\nb", "\\u{7}"]', 'val q = "\\""', 'q.len()'];
    const r = replPipe(inputs);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(['"say \\"hi\\" \\{x\\} 2\\t\\\\" : text', '["a\\nb", "\\u{7}"] : [text]', 'q = "\\"" : text', '1 : i64', '']);
    // Each shown literal, typed back in, shows the same.
    const again = replPipe(r.stdout.split('\n').slice(0, 2).map((line) => line.replace(/ : .*$/, '')));
    expect(again.stdout).toBe(r.stdout.split('\n').slice(0, 2).join('\n') + '\n');
  });

  it('keeps heap values: an array binding grows across inputs', () => {
    const r = replPipe(['var xs = [1]', 'xs.push(2)', 'xs.push(3)', 'xs', 'xs.len()']);
    expect(r.stdout).toContain('[1, 2, 3] : [i64]\n3 : i64\n');
  });

  it('runs statements and shows what they print, multi-line blocks by indentation', () => {
    const r = replPipe(['var total = 0', 'for i in 0..5:', '    total += i', '    print(i)', 'total']);
    expect(r.stdout).toBe('total = 0 : i64\n0\n1\n2\n3\n4\n10 : i64\n');
  });

  it('hot-swaps a redefined function: earlier definitions calling it use the new one', () => {
    const r = replPipe(['fn double(a: i64) -> i64:', '    a * 2', 'fn quad(a: i64) -> i64:', '    double(double(a))', 'quad(1)', 'fn double(a: i64) -> i64:', '    a * 3', 'quad(1)', ':inspect double']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('defined fn double\ndefined fn quad\n4 : i64\nredefined fn double\n9 : i64\n');
    expect(r.stdout).toMatch(/symbol +double\n +slot +\d+\n +version +[2-9] \(hot-swapped\)\n +code +compiled, module 'repl'/);
  });

  it('a changed signature or struct layout is loaded afresh instead of swapped; bindings of a changed struct are dropped', () => {
    const r = replPipe(['fn f(a: i64) -> i64:', '    a + 1', 'f(1)', 'fn f(a: f64) -> f64:', '    a * 2.0', 'f(1.5)', 'struct P:', '    x: i64', 'val p = P(x: 3)', 'val q = 5', 'struct P:', '    x: i64', '    y: i64', 'q', 'P(x: 1, y: 2)']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'defined fn f',
        '2 : i64',
        "(not hot-swapped, loaded afresh: the signature of 'f' changed from (i64) -> i64 to (f64) -> f64)",
        'redefined fn f',
        '3.0 : f64',
        'defined struct P',
        'p = P(x: 3) : P',
        'q = 5 : i64',
        "(not hot-swapped, loaded afresh: struct 'P' changed from <>{x: i64} to <>{x: i64, y: i64})",
        "(binding 'p' dropped: its type P changed)",
        'redefined struct P',
        '5 : i64',
        'P(x: 1, y: 2) : P',
        '',
      ].join('\n'),
    );
  });

  it('structs with methods, shown field by field', () => {
    const r = replPipe(['struct Point:', '    x: i64', '    y: i64', '', 'impl Point:', '    fn sum() -> i64:', '        self.x + self.y', '', 'val p = Point(x: 1, y: 2)', 'p.sum()', ':inspect Point']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('p = Point(x: 1, y: 2) : Point\n3 : i64\n');
    expect(r.stdout).toContain('struct Point (module \'repl\')\n  x: i64\n  y: i64\n');
  });

  it('instantiates a generic function at load time for each new type, and :inspect says so', () => {
    const r = replPipe(['fn max<T>(a: T, b: T) -> T:', '    if a > b:', '        return a', '    b', 'max(3, 9)', 'max(1.5, 0.5)', ':inspect max<f64>', ':inspect max', ':type max("a", "b")']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('9 : i64\n1.5 : f64\n');
    expect(r.stdout).toMatch(/max<f64> \(a: f64, b: f64\) -> f64\n +symbol +max\$f64\n +slot +\d+\n +version +1\n +code +JIT: instantiated by the loader at load time/);
    expect(r.stdout).toContain('max: generic template of module \'repl\'');
    expect(r.stdout).toContain('max("a", "b") : text\n');
  });

  it('shows compile errors with a caret under what was typed, and goes on', () => {
    const r = replPipe(['val y = missing + 1', '1 + 1']);
    expect(r.stderr).toBe("<input 1>:1:9: error: unknown name 'missing'\nval y = missing + 1\n        ^~~~~~~\n");
    expect(r.stdout).toBe('2 : i64\n');
    expect(r.code).toBe(1);
  });

  it('an error in a definition points into that definition, and nothing of it is kept', () => {
    const r = replPipe(['fn bad() -> i64:', '    "x"', '', 'bad()', 'fn ok() -> i64:', '    1', 'ok()']);
    expect(r.stderr).toBe("<input 1>:2:5: error: mismatched types: expected 'i64', found 'text'\n    \"x\"\n    ^~~\n<input 2>:1:1: error: unknown name 'bad'\nbad()\n^~~\n");
    expect(r.stdout).toBe('defined fn ok\n1 : i64\n');
  });

  it('reports a trap in an input and keeps the session', () => {
    const r = replPipe(['val a = 1', '10 / (a - 1)', 'a']);
    expect(r.stderr).toBe('error: division by zero in your input\n');
    expect(r.stdout).toBe('a = 1 : i64\n1 : i64\n');
  });

  it(':load adds a file\'s definitions; :reset forgets everything; :quit stops reading', () => {
    const d = tempDir({ 'geo.spl': 'fn area(w: i64, h: i64) -> i64:\n    w * h\n' });
    const r = replPipe([':load geo.spl', 'area(3, 4)', 'val k = 1', ':reset', 'k', ':quit', '1 + 1'], d);
    expect(r.stdout).toBe('defined fn area\n12 : i64\nk = 1 : i64\nsession reset\n');
    expect(r.stderr).toBe("<input 5>:1:1: error: unknown name 'k'\nk\n^\n");
  });

  it('uses modules next to the working folder, and :stats reports the loader', () => {
    const d = tempDir({ 'lib.spl': 'fn triple(a: i64) -> i64:\n    a * 3\n' });
    const r = replPipe(['use lib.{triple}', 'triple(5)', ':stats'], d);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('15 : i64\n');
    expect(r.stdout).toMatch(/modules loaded +2\n/);
    expect(r.stdout).toMatch(/definitions +1\n/);
  });

  it(':load of a .smf module imports it; :inspect tells code kept from an earlier run (jit_cache) from compiled code', () => {
    const d = tempDir({
      'lib.spl': 'fn max<T>(a: T, b: T) -> T:\n    if a > b:\n        return a\n    b\n',
      'app.spl': 'use lib.{max}\n\nfn big(a: f64) -> f64:\n    max(a, 2.5)\n\nfn main():\n    print(big(1.0))\n',
    });
    expect(spawnSync(process.execPath, [BIN, 'compile', 'lib.spl', 'app.spl'], { cwd: d }).status).toBe(0);
    // The first run JIT-compiles max<f64> and keeps its code in app.smf's jit_cache.
    expect(spawnSync(process.execPath, [BIN, 'run', 'app.smf'], { cwd: d, encoding: 'utf8' }).stdout).toBe('2.5\n');
    const r = replPipe([':load app.smf', 'big(7.5)', ':inspect max<f64>', ':inspect big'], d);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`loaded module app (${join(d, 'app.smf')})\n7.5 : f64\n`);
    expect(r.stdout).toMatch(/max<f64> \(a: f64, b: f64\) -> f64\n +symbol +max\$f64\n.*\n.*\n +code +kept from an earlier run/);
    expect(r.stdout).toMatch(/big \(a: f64\) -> f64\n +symbol +big\n.*\n.*\n +code +compiled, module 'app'/);
  });

  it('an unknown command is an error naming it', () => {
    const r = replPipe([':frobnicate']);
    expect(r.stderr).toBe("error: unknown command ':frobnicate' (:help lists them)\n");
    expect(r.code).toBe(1);
  });
});
