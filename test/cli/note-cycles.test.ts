// Issue #10, point 5: the compiler writes field_type / inner_type dependency rows and the cycles
// among them; the linker finds the cycles of the merged graph; the loader adds the rows of the
// instances it compiles, with their cycles, to the note it writes back. Real child processes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SmfReader, replaceNote } from '../../src/smf/index.js';
import { emptyNote, parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';
import { mergeLinkNote } from '../../src/linker/merge-note.js';

const BIN = join(resolve(__dirname, '../..'), 'dist/cli/smf.js');

const FILES = {
  'lib.spl': 'struct Box<T>:\n    items: [T]\n\nfn count<T>(b: Box<T>) -> i64:\n    b.items.len()\n',
  'app.spl': [
    'use lib.{Box, count}',
    '',
    'struct Tree:',
    '    value: i64',
    '    kids: Box<Tree>',
    '',
    '# No Node can ever be built: there is no null to end the chain.',
    'struct Node:',
    '    value: i64',
    '    next: Node',
    '',
    'fn main() -> i64:',
    '    val leaf = Tree(value: 1, kids: Box(items: []))',
    '    val t = Tree(value: 2, kids: Box(items: [leaf, leaf]))',
    '    count(t.kids)',
    '',
  ].join('\n'),
};

function workspace(): { dir: string; smf: (...args: string[]) => { code: number; stdout: string; stderr: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-cycles-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const smf = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  expect(smf('compile', 'lib.spl', 'app.spl').code).toBe(0);
  return { dir, smf };
}

const noteOf = (path: string): NoteSdn => parseNoteSdn(SmfReader.fromBytes(readFileSync(path), { file: path }).noteSdnText()!);
const deps = (n: NoteSdn): string[] => n.dependencies.map((d) => `${d.fromInst} -> ${d.toInst} ${d.depKind}`);

const TYPE_ROWS = [
  'count$Tree -> Tree type_param',
  'Tree -> i64 field_type',
  'Tree -> Box<Tree> field_type',
  'Box<Tree> -> [Tree] field_type',
  '[Tree] -> Tree inner_type',
];

describe('cycles over note.sdn', () => {
  it('the compiler writes field_type / inner_type rows, a soft cycle as a warning and a hard one as E0420', () => {
    const { dir } = workspace();
    const note = noteOf(join(dir, 'app.smf'));
    expect(deps(note)).toEqual(expect.arrayContaining([...TYPE_ROWS, 'Node -> Node field_type']));
    expect(note.circularWarnings).toEqual([{ cyclePath: 'Box<Tree>->[Tree]->Tree->Box<Tree>', severity: 'warning' }]);
    expect(note.circularErrors).toEqual([{ cyclePath: 'Node->Node', errorCode: 'E0420' }]);
    // A module without such types gets no rows.
    expect(noteOf(join(dir, 'lib.smf')).circularWarnings).toEqual([]);
  });

  it('the linker keeps the rows and writes the dependencies of what it compiles', () => {
    const { dir, smf } = workspace();
    expect(smf('link', 'lib.smf', 'app.smf', '-o', 'out.smf', '--instantiate', 'eager', '--no-stub').code).toBe(0);
    const note = noteOf(join(dir, 'out.smf'));
    expect(deps(note)).toEqual(expect.arrayContaining(TYPE_ROWS));
    expect(note.circularWarnings.map((w) => w.cyclePath)).toEqual(['Box<Tree>->[Tree]->Tree->Box<Tree>']);
    expect(note.circularErrors.map((w) => w.cyclePath)).toEqual(['Node->Node']);
    expect(smf('run', 'out.smf').code).toBe(2);
  });

  it('the linker finds a cycle that only the merged graph has', () => {
    const a = emptyNote();
    a.dependencies.push({ fromInst: 'Doc', toInst: '[Para]', depKind: 'field_type' }, { fromInst: '[Para]', toInst: 'Para', depKind: 'inner_type' });
    const b = emptyNote();
    b.dependencies.push({ fromInst: 'Para', toInst: 'Doc', depKind: 'field_type' });
    const merged = mergeLinkNote([a, b], 'out.smf', [], [], [], new Map(), (m) => m);
    expect(merged.circularWarnings).toEqual([{ cyclePath: 'Doc->[Para]->Para->Doc', severity: 'warning' }]);
    b.dependencies[0] = { fromInst: 'Para', toInst: 'Para', depKind: 'field_type' };
    expect(mergeLinkNote([a, b], 'out.smf', [], [], [], new Map(), (m) => m).circularErrors).toEqual([{ cyclePath: 'Para->Para', errorCode: 'E0420' }]);
  });

  it('the loader writes the rows of an instance it compiles, and the cycle they close', () => {
    const { dir, smf } = workspace();
    const app = join(dir, 'app.smf');
    // A note from another writer: the instance is offered, but nothing says what it is made of.
    const stripped = { ...noteOf(app), dependencies: [], circularWarnings: [], circularErrors: [] };
    writeFileSync(app, replaceNote(readFileSync(app), serializeNoteSdn(stripped)));
    expect(smf('run', 'app.smf').code).toBe(2);
    const note = noteOf(app);
    expect(note.instantiations.map((r) => `${r.mangledName} ${r.status}`)).toEqual(['count$Tree jit_compiled']);
    expect(deps(note)).toEqual(TYPE_ROWS);
    expect(note.circularWarnings).toEqual([{ cyclePath: 'Box<Tree>->[Tree]->Tree->Box<Tree>', severity: 'warning' }]);
    expect(note.circularErrors).toEqual([]);
  });
});
