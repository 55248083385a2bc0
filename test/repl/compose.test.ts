/** Diagnostics of a composed module moved back onto what the user typed. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, makeDiagnostic } from '../../src/compiler/diagnostics.js';
import { SourceFile } from '../../src/compiler/source.js';
import { Composer } from '../../src/repl/compose.js';

describe('Composer', () => {
  it('maps a span inside an indented user piece to the user\'s own line and column, non-ASCII text before it included', () => {
    const c = new Composer().scaffold('fn repl_eval_1():').user('val s = "é😀"\nval t = "😀" + oops', '<input 1>', 4).scaffold('    return');
    const composed = new SourceFile('repl_in_1.spl', c.text);
    const at = c.text.indexOf('oops');
    const mapped = c.mapDiagnostic(makeDiagnostic('error', composed, { start: at, end: at + 4 }, "unknown name 'oops'"), 'repl_in_1.spl');
    expect(formatDiagnostic(mapped)).toBe("<input 1>:2:15: error: unknown name 'oops'\nval t = \"😀\" + oops\n              ^~~~");
    const first = c.text.indexOf('😀');
    const onEmoji = c.mapDiagnostic(makeDiagnostic('error', composed, { start: first, end: first + 2 }, 'here'), 'repl_in_1.spl');
    expect(formatDiagnostic(onEmoji)).toBe('<input 1>:1:11: error: here\nval s = "é😀"\n          ^');
  });

  it('a diagnostic in the REPL\'s own scaffolding keeps its message without a source line', () => {
    const c = new Composer().scaffold('fn repl_eval_1() -> i64:').user('1', '<input 1>', 4);
    const composed = new SourceFile('repl_in_1.spl', c.text);
    const mapped = c.mapDiagnostic(makeDiagnostic('error', composed, { start: 0, end: 2 }, 'bad'), 'repl_in_1.spl');
    expect(formatDiagnostic(mapped)).toBe('<repl>: error: bad');
  });
});
