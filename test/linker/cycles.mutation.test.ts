/**
 * Two inference cycles whose sorted names, run together, spell the same text (`a`+`bc` and
 * `ab`+`c`): each is its own cycle and is reported. Written against the survivors of a
 * mutation run (docs/testing.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { link } from '../../src/linker/link.js';
import { parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';
import { replaceNote, SmfReader } from '../../src/smf/index.js';
import { compileFolder, PROGRAMS } from './helpers.js';

let inputs: string[];
let appBytes: Buffer;
beforeAll(() => {
  const smfs = compileFolder(join(PROGRAMS, 'shapes'));
  inputs = ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);
  appBytes = readFileSync(inputs[0]);
});

const row = (expr: string, on: string, line: number): NoteSdn['typeInferences'][number] => ({
  inferredType: '?T',
  expr,
  context: `depends_on_${on}`,
  fromFile: 'app.spl',
  fromLoc: `app.spl:${line}:5`,
});

describe('inference cycles told apart', () => {
  it('max<a>+max<b>max<c> and max<a>max<b>+max<c>: two cycles, both reported', () => {
    const [a, bc, ab, c] = ['max<a>(…)', 'max<b>(…)max<c>(…)', 'max<a>(…)max<b>(…)', 'max<c>(…)'];
    const note = parseNoteSdn(SmfReader.fromBytes(appBytes).noteSdnText()!);
    note.typeInferences.push(row(a, bc, 30), row(bc, a, 31), row(ab, c, 32), row(c, ab, 33));
    const app = join(dirname(inputs[0]), 'cycles', 'app.smf');
    mkdirSync(dirname(app), { recursive: true });
    writeFileSync(app, replaceNote(appBytes, serializeNoteSdn(note)));
    const r = link([app, ...inputs.slice(1)]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.circularErrors).toEqual([
      { cyclePath: `${a}->${bc}->${a}`, errorCode: 'E0421' },
      { cyclePath: `${ab}->${c}->${ab}`, errorCode: 'E0421' },
    ]);
    expect(r.errors.map((e) => [e.code, e.file])).toEqual([
      ['E0421', 'app.spl:30:5'],
      ['E0421', 'app.spl:32:5'],
    ]);
  });
});
