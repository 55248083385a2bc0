/**
 * Input cannot drive the compiler's recursion past the stack (issue #11, point 3): an expression
 * tree is at most MAX_EXPRESSION_DEPTH operators deep on one path and an `if` has at most
 * MAX_ELIF_ARMS `elif` arms; past either, a diagnostic at the place — never "Maximum call stack
 * size exceeded". Both limits are tested at their edge, on Node's default stack.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CompileSession } from '../../src/compiler/driver/session.js';
import { CompileError } from '../../src/compiler/diagnostics.js';
import { DEFAULT_MAX_INSTANTIATION_DEPTH } from '../../src/compiler/driver/compile-module.js';
import { MAX_ELIF_ARMS, MAX_EXPRESSION_DEPTH } from '../../src/compiler/parser/parser.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { TextCapture } from '../../src/runtime/index.js';

function file(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'depth-'));
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** Compiles and runs `main`, returning what it printed. */
function run(path: string): string {
  const out = new TextCapture();
  const loader = new ModuleLoader({ output: out, jit: { updateSmf: false } });
  for (const c of new CompileSession().compileFiles([path])) {
    const r = loader.loadCompiled(c);
    if (r.kind === 'error') throw r.error;
  }
  const main = loader.resolveSymbol('main');
  if (main.kind !== 'found') throw new Error('no main');
  main.call();
  loader.runtime.flush();
  return out.text;
}

function compileError(path: string): CompileError {
  try {
    new CompileSession().compileFiles([path]);
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return e as CompileError;
  }
  throw new Error('expected a compile error');
}

const sum = (operators: number): string => `fn main():\n    val x = ${Array(operators + 1).fill('1').join(' + ')}\n    print(x)\n`;
const concat = (operators: number): string => `fn main():\n    val s = ${Array(operators + 1).fill('"a"').join(' + ')}\n    print(s.len())\n`;
const elifs = (arms: number): string => {
  const lines = ['fn pick(x: i64) -> i64:', '    if x == 0:', '        return 0'];
  for (let i = 1; i <= arms; i++) lines.push(`    elif x == ${i}:`, `        return ${i * 2}`);
  lines.push('    else:', '        return -1', '', 'fn main():', `    print(pick(${arms}))`);
  return lines.join('\n') + '\n';
};

describe('expression depth', () => {
  it(`${MAX_EXPRESSION_DEPTH} operators in a row compile and run`, () => {
    expect(run(file('sum.spl', sum(MAX_EXPRESSION_DEPTH)))).toBe(`${MAX_EXPRESSION_DEPTH + 1}\n`);
    expect(run(file('concat.spl', concat(MAX_EXPRESSION_DEPTH)))).toBe(`${MAX_EXPRESSION_DEPTH + 1}\n`);
  });

  it('one more is a diagnostic at the operator', () => {
    const e = compileError(file('sum.spl', sum(MAX_EXPRESSION_DEPTH + 1)));
    expect(e.message).toMatch(new RegExp(`sum\\.spl:2:\\d+: error: expression too deep: more than ${MAX_EXPRESSION_DEPTH} operators in a row; split it with 'val' bindings`));
  });

  it('100,000 terms of numbers or of text: the same diagnostic, from the API and from smf compile', () => {
    expect(compileError(file('sum.spl', sum(100_000))).message).toMatch(/expression too deep/);
    const path = file('concat.spl', concat(100_000));
    expect(compileError(path).message).toMatch(/expression too deep/);
    const cli = spawnSync(process.execPath, [resolve(__dirname, '../../dist/cli/smf.js'), 'compile', path, '-o', path.replace(/\.spl$/, '.smf')], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/concat\.spl:2:\d+: error: expression too deep/);
    expect(cli.stderr).not.toMatch(/internal error|call stack/);
  });
});

describe('type nesting', () => {
  it('256 levels of array types are a diagnostic, not a crash; 200 compile', () => {
    const deep = (n: number): string => `fn main():\n    val x: ${'['.repeat(n)}i64${']'.repeat(n)} = []\n    print(x.len())\n`;
    expect(run(file('ok.spl', deep(200)))).toBe('0\n');
    expect(compileError(file('deep.spl', deep(3000))).message).toMatch(/deep\.spl:2:\d+: error: expression, block or type nested too deeply/);
  });
});

describe('elif chains', () => {
  it(`${MAX_ELIF_ARMS} elif arms compile and run`, () => {
    expect(run(file('elif.spl', elifs(MAX_ELIF_ARMS)))).toBe(`${MAX_ELIF_ARMS * 2}\n`);
  });

  it('one more is a diagnostic at that arm; 20,000 the same', () => {
    const e = compileError(file('elif.spl', elifs(MAX_ELIF_ARMS + 1)));
    expect(e.message).toMatch(new RegExp(`elif\\.spl:${2 * MAX_ELIF_ARMS + 4}:5: error: more than ${MAX_ELIF_ARMS} 'elif' arms in one 'if'; split the chain`));
    expect(compileError(file('elif.spl', elifs(20_000))).message).toMatch(/'elif' arms/);
  });
});

describe('instantiation depth (E0420)', () => {
  /** main needs c1<i64>, which needs c2<i64>, … cN<i64>: a chain of N instances, N levels deep. */
  const chain = (n: number): string => {
    const lines: string[] = [];
    for (let i = 1; i < n; i++) lines.push(`fn c${i}<T>(x: T) -> i64:`, `    c${i + 1}(x) + 1`, '');
    lines.push(`fn c${n}<T>(x: T) -> i64:`, '    1', '', 'fn main():', '    print(c1(7))');
    return lines.join('\n') + '\n';
  };
  const compileWith = (path: string, maxInstantiationDepth?: number) => new CompileSession(maxInstantiationDepth === undefined ? {} : { maxInstantiationDepth }).compileFiles([path]);

  it('a chain exactly maxInstantiationDepth deep compiles (and runs); one level more is E0420 at that depth', () => {
    const path = file('chain.spl', chain(6));
    expect(() => compileWith(path, 6)).not.toThrow();
    expect(() => compileWith(path, 7)).not.toThrow();
    expect(run(path)).toBe('6\n');
    for (const limit of [5, 4]) {
      let caught: unknown;
      try {
        compileWith(path, limit);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(CompileError);
      const message = (caught as CompileError).message;
      // The chain reported is the one that went over: limit + 1 instances, stopped at the limit.
      expect(message).toContain(`instantiation too deep (E0420): a chain of ${limit + 1} instances of different templates`);
      expect(message).toContain(`c${limit + 1}<i64> (stopped at depth ${limit})`);
    }
  });

  it('the default limit: a chain of DEFAULT_MAX_INSTANTIATION_DEPTH compiles, one more does not', () => {
    const path = file('long.spl', chain(DEFAULT_MAX_INSTANTIATION_DEPTH));
    expect(() => compileWith(path)).not.toThrow();
    const over = file('over.spl', chain(DEFAULT_MAX_INSTANTIATION_DEPTH + 1));
    expect(() => compileWith(over)).toThrow(new RegExp(`a chain of ${DEFAULT_MAX_INSTANTIATION_DEPTH + 1} instances .*c${DEFAULT_MAX_INSTANTIATION_DEPTH + 1}<i64> \\(stopped at depth ${DEFAULT_MAX_INSTANTIATION_DEPTH}\\)`));
  });
});
