/** Lines into REPL inputs: blocks by indentation, brackets, commands, `elif`/`else`. */
import { describe, expect, it } from 'vitest';
import { InputCollector } from '../../src/repl/input.js';

function collect(lines: string[]): string[] {
  const c = new InputCollector();
  return [...lines.flatMap((l) => c.push(l)), ...c.flush()];
}

describe('InputCollector', () => {
  it('a one-line statement is an input at once; blank lines are skipped', () => {
    const c = new InputCollector();
    expect(c.push('1 + 1')).toEqual(['1 + 1']);
    expect(c.push('')).toEqual([]);
    expect(c.pending).toBe(false);
  });

  it('a line ending with ":" opens a block that a blank line ends', () => {
    const c = new InputCollector();
    expect(c.push('fn f() -> i64:  # comment')).toEqual([]);
    expect(c.pending).toBe(true);
    expect(c.push('    1')).toEqual([]);
    expect(c.push('')).toEqual(['fn f() -> i64:  # comment\n    1']);
  });

  it('a line back at the margin ends the block and starts the next input; elif/else continue', () => {
    expect(collect(['if x:', '    a', 'elif y:', '    b', 'else:', '    c', 'done()'])).toEqual(['if x:\n    a\nelif y:\n    b\nelse:\n    c', 'done()']);
  });

  it('an open bracket continues onto the next lines; a ":" inside a string does not open a block', () => {
    expect(collect(['f(1,', '2)', 'print("a:")'])).toEqual(['f(1,\n2)', 'print("a:")']);
  });

  it('an escaped quote does not end a string: brackets and ":" after it inside the string do not count', () => {
    expect(collect(['print("say \\"(\\" then:")', 'val y = 2'])).toEqual(['print("say \\"(\\" then:")', 'val y = 2']);
  });

  it('a command is one line, also inside nothing', () => {
    expect(collect([':type 1', 'val x = 1'])).toEqual([':type 1', 'val x = 1']);
  });
});
