/**
 * The module the REPL writes for one input of statements: a function taking the bindings made
 * so far as parameters, running the input, and handing back the bindings it may have changed or
 * made and the value of its last expression (shown as text by the functions of show.ts).
 */
import { typeToString } from '../types/index.js';
import type { Type } from '../types/index.js';
import { Composer } from './compose.js';
import type { ShowWriter } from './show.js';

export interface Binding {
  readonly name: string;
  readonly type: Type;
  readonly mutable: boolean;
  /** As the loader hands values to the host: bigint, number, boolean, string or a HeapHandle. */
  value: unknown;
}

/** What the probe learned: the input's result type (none: a statement) and its new bindings. */
export interface Probe {
  readonly result: Type | null;
  readonly declared: ReadonlyArray<{ readonly name: string; readonly type: Type; readonly mutable: boolean }>;
}

/** One value the function hands back: a binding's name, or the text showing a value. */
export interface Output {
  readonly expr: string;
  readonly type: Type;
}

export const EVAL_PREFIX = 'repl_eval_';
export const ARG_PREFIX = 'repl_arg_';
export const RESULT = 'repl_result';

/** Names an input declares at its top level (`val x`, `var y: T`): earlier bindings of them are replaced. */
export function declaredNames(input: string): Set<string> {
  const names = new Set<string>();
  for (const m of input.matchAll(/^(?:val|var)\s+([\p{L}_][\p{L}\p{N}_]*)/gmu)) names.add(m[1]);
  return names;
}

/** The first line of the input's last top-level statement (0-based), and whether it can be a value. */
export function lastStatement(input: string): { line: number; canBeValue: boolean } {
  const lines = input.split('\n');
  let line = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].length > 0 && !/^\s/.test(lines[i]) && !lines[i].startsWith('#')) line = i;
  const first = lines[line] ?? '';
  const keyword = /^(val|var|if|elif|else|while|for|return|break|continue)\b/.test(first);
  // `x = 1`, `p.x += 1`, `xs[i] = 2`: assignments are statements.
  const assignment = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+|\[[^\]]*\])*\s*[+\-*/%]?=(?!=)/u.test(first);
  return { line, canBeValue: !keyword && !assignment };
}

/** The parameters and prologue shared by the probe and the final function. */
function prologue(fnName: string, params: readonly Binding[], ret: string | null): string[] {
  const sig = params.map((b, i) => `${ARG_PREFIX}${i}: ${typeToString(b.type)}`).join(', ');
  return [`fn ${fnName}(${sig})${ret ? ` -> ${ret}` : ''}:`, ...params.map((b, i) => `    ${b.mutable ? 'var' : 'val'} ${b.name} = ${ARG_PREFIX}${i}`)];
}

/**
 * The probe: the input as the body of a function with no result, compiled only to learn the
 * types of what it binds and of its last expression (from the checked IR).
 */
export function probeSource(header: readonly string[], fnName: string, params: readonly Binding[], input: string, label: string): Composer {
  const c = new Composer();
  c.scaffold(header.join('\n'));
  c.scaffold(prologue(fnName, params, null).join('\n'));
  c.user(input, label, 4);
  c.scaffold('    return');
  return c;
}

/**
 * The function that runs: the input with its last expression bound to `repl_result`, returning
 * the outputs (one value, or a tuple read back by getter functions `<fn>_get<i>`).
 */
export function finalSource(header: readonly string[], fnName: string, params: readonly Binding[], input: string, label: string, outputs: readonly Output[], hasResult: boolean, show: ShowWriter): Composer {
  const tys = outputs.map((o) => typeToString(o.type));
  const ret = outputs.length === 0 ? null : outputs.length === 1 ? tys[0] : `(${tys.join(', ')})`;
  const c = new Composer();
  c.scaffold(header.join('\n'));
  c.scaffold(prologue(fnName, params, ret).join('\n'));
  if (hasResult) {
    const { line } = lastStatement(input);
    const lines = input.split('\n');
    if (line > 0) c.user(lines.slice(0, line).join('\n'), label, 4);
    c.scaffold(`    val ${RESULT} = ${lines[line]}`);
    if (line + 1 < lines.length) c.user(lines.slice(line + 1).join('\n'), label, 4);
  } else {
    c.user(input, label, 4);
  }
  if (outputs.length === 1) c.scaffold(`    ${outputs[0].expr}`);
  else if (outputs.length > 1) {
    c.scaffold(`    (${outputs.map((o) => o.expr).join(', ')})`);
    tys.forEach((ty, i) => c.scaffold(`fn ${fnName}_get${i}(t: ${ret}) -> ${ty}:\n    t.${i}`));
  }
  c.scaffold(show.source);
  return c;
}
