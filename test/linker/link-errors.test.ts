/**
 * Link errors, with their exact text: undefined and duplicate symbols, instantiation cycles
 * (E0420) and inference cycles (E0421), instantiations that no longer type-check or take a
 * different number of type arguments (a library updated after its users were compiled), and
 * inputs that are not linkable modules.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/compiler/diagnostics.js';
import { link } from '../../src/linker/link.js';
import type { InstantiatePolicy, LinkResult } from '../../src/linker/link.js';
import { parseNoteSdn, serializeNoteSdn } from '../../src/sdn/index.js';
import type { NoteSdn } from '../../src/sdn/index.js';
import { replaceNote, SmfReader } from '../../src/smf/index.js';
import { compileTo, PROGRAMS, tempDir } from './helpers.js';

const POLICIES: InstantiatePolicy[] = ['eager', 'lazy', 'hybrid'];

/** The formatted errors, with the folders of the programs and of the temporary outputs cut off. */
function errorsOf(r: LinkResult, ...dirs: string[]): string {
  expect(r.ok).toBe(false);
  if (r.ok) return '';
  let text = formatDiagnostics(r.errors);
  for (const d of [PROGRAMS, ...dirs]) text = text.split(`${d}/`).join('');
  return text;
}

describe('undefined symbols', () => {
  const dir = tempDir();
  let smfs: Map<string, string>;
  beforeAll(() => {
    smfs = compileTo([join(PROGRAMS, 'undefined/app.spl')], dir);
  });

  it('name the symbol, every module that uses it and where', () => {
    for (const policy of POLICIES) {
      const r = link([smfs.get('app')!, smfs.get('other')!], { instantiate: policy });
      expect(errorsOf(r, dir)).toBe(
        [
          "undefined/app.spl:5:11: error: undefined symbol 'helper', used by modules 'app' and 'other'",
          "undefined/other.spl:4:5: note: 'helper' is also used here, by module 'other'",
          "undefined/app.spl:6:11: error: undefined symbol 'twice', used by module 'app'",
        ].join('\n'),
      );
    }
  });

  it('go away when the defining module is linked in', () => {
    const r = link([smfs.get('app')!, smfs.get('other')!, smfs.get('lib')!]);
    expect(r.ok).toBe(true);
  });

  it('include instances of templates no input defines', () => {
    const shapes = compileTo([join(PROGRAMS, 'shapes/app.spl')], tempDir());
    const r = link([shapes.get('app')!, shapes.get('geometry')!]);
    const text = errorsOf(r);
    expect(text).toContain("shapes/app.spl:5:11: error: undefined symbol 'max<i64>', used by module 'app'");
    expect(text).toContain("shapes/app.spl:7:11: error: undefined symbol 'sum<f64>', used by module 'app'");
  });
});

describe('duplicate symbols', () => {
  it('are an error naming both modules', () => {
    const d1 = tempDir();
    const d2 = tempDir();
    const one = compileTo([join(PROGRAMS, 'duplicate/one/first.spl')], d1);
    const two = compileTo([join(PROGRAMS, 'duplicate/two/second.spl')], d2);
    const r = link([one.get('first')!, two.get('second')!]);
    expect(errorsOf(r, d1, d2)).toBe(
      "second.smf: error: duplicate symbol 'helper': defined by module 'first' (first.smf) and by module 'second' (second.smf)",
    );
  });

  it('a module linked twice is an error', () => {
    const d = tempDir();
    const one = compileTo([join(PROGRAMS, 'duplicate/one/first.spl')], d);
    const copy = join(tempDir(), 'first.smf');
    writeFileSync(copy, readFileSync(one.get('first')!));
    const text = errorsOf(link([one.get('first')!, copy]));
    expect(text).toMatch(/^.*first\.smf: error: module 'first' is linked twice: from .*first\.smf and from .*first\.smf/);
  });
});

describe('a library updated after its users were compiled', () => {
  let app: Map<string, string>;
  let arity: Map<string, string>;
  let body: Map<string, string>;
  beforeAll(() => {
    app = compileTo([join(PROGRAMS, 'skew/app/app.spl')], tempDir());
    arity = compileTo([join(PROGRAMS, 'skew/arity/lib.spl')], tempDir());
    body = compileTo([join(PROGRAMS, 'skew/body/lib.spl')], tempDir());
  });

  it('a template that now takes more type arguments: type argument count mismatch, under every policy', () => {
    for (const policy of POLICIES) {
      expect(errorsOf(link([app.get('app')!, arity.get('lib')!], { instantiate: policy }))).toBe(
        "skew/app/app.spl:5:11: error: type argument count mismatch: 'convert<f64>' gives 1, but 'convert' takes 2",
      );
    }
  });

  it('a template that no longer type-checks: the use site, the template and the location inside it', () => {
    for (const policy of ['eager', 'hybrid'] as const) {
      const text = errorsOf(link([app.get('app')!, body.get('lib')!], { instantiate: policy }));
      expect(text).toMatch(/^skew\/app\/app\.spl:4:11: error: cannot instantiate 'neg<text>' at link time: skew\/body\/lib\.spl:3:5: /);
    }
    // Lazy leaves it to the loader, which reports the same failure at load time.
    expect(link([app.get('app')!, body.get('lib')!], { instantiate: 'lazy' }).ok).toBe(true);
  });
});

describe('instantiation cycles (E0420)', () => {
  let inputs: string[];
  beforeAll(() => {
    const app = compileTo([join(PROGRAMS, 'cycle/app/main.spl')], tempDir());
    const v2 = compileTo([join(PROGRAMS, 'cycle/v2/grow.spl')], tempDir());
    inputs = [app.get('main')!, v2.get('grow')!];
  });

  it('report the cycle path of each template, stopped by type growth or by the depth limit', () => {
    for (const policy of ['eager', 'hybrid'] as const) {
      const r = link(inputs, { instantiate: policy });
      expect(errorsOf(r)).toBe(
        [
          "cycle/v2/grow.spl:9:9: error: instantiation cycle (E0420) grow->grow: 'grow<T>' instantiates itself with ever larger type arguments, without end: grow<i64> -> grow<Pair<i64, i64>> -> grow<Pair<Pair<i64, i64>, Pair<i64, i64>>> -> … (its type arguments grew past 2000 type nodes at depth 11)",
          "cycle/v2/grow.spl:14:9: error: instantiation cycle (E0420) nest->nest: 'nest<T>' instantiates itself with ever larger type arguments, without end: nest<text> -> nest<[text]> -> nest<[[text]]> -> … (stopped at depth 100)",
          "cycle/v2/grow.spl:22:5: error: instantiation cycle (E0420) ping->pong->ping: 'ping<T>' instantiates itself with ever larger type arguments, without end: ping<bool> -> pong<[bool]> -> ping<([bool], i64)> -> … (stopped at depth 100)",
        ].join('\n'),
      );
      expect(!r.ok && r.circularErrors).toEqual([
        { cyclePath: 'grow->grow', errorCode: 'E0420' },
        { cyclePath: 'nest->nest', errorCode: 'E0420' },
        { cyclePath: 'ping->pong->ping', errorCode: 'E0420' },
      ]);
    }
  });

  it('the depth limit is an option', () => {
    const r = link(inputs, { instantiate: 'eager', maxDepth: 5 });
    expect(errorsOf(r)).toContain('nest<text> -> nest<[text]> -> nest<[[text]]> -> … (stopped at depth 5)');
  });

  it('lazy links (nothing is instantiated at link time); the loader meets the cycle', () => {
    const r = link(inputs, { instantiate: 'lazy' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.note.possible.map((p) => p.mangledName)).toEqual(['grow$i64', 'nest$text', 'ping$bool']);
  });
});

describe('inference cycles (E0421)', () => {
  /** The shapes program compiled, with `rows` added to app's type_inferences; the link inputs. */
  function shapesWithInferences(rows: NoteSdn['typeInferences']): string[] {
    const smfs = compileTo([join(PROGRAMS, 'shapes/app.spl')], tempDir());
    const appPath = smfs.get('app')!;
    const bytes = readFileSync(appPath);
    const note = parseNoteSdn(SmfReader.fromBytes(bytes).noteSdnText()!);
    note.typeInferences.push(...rows);
    writeFileSync(appPath, replaceNote(bytes, serializeNoteSdn(note)));
    return ['app', 'util', 'geometry'].map((m) => smfs.get(m)!);
  }

  it('usage hints whose types depend on each other are reported with their path', () => {
    const inputs = shapesWithInferences([
      { inferredType: '?A', expr: 'max<a>(…)', context: 'depends_on_max<b>(…)', fromFile: 'app.spl', fromLoc: 'app.spl:30:5' },
      { inferredType: '?B', expr: 'max<b>(…)', context: 'depends_on_max<a>(…)', fromFile: 'app.spl', fromLoc: 'app.spl:31:5' },
    ]);
    for (const policy of POLICIES) {
      const r = link(inputs, { instantiate: policy });
      expect(errorsOf(r)).toBe(
        'app.spl:30:5: error: type inference cycle (E0421) max<a>(…)->max<b>(…)->max<a>(…): the types of these uses depend on each other and are never decided',
      );
      expect(!r.ok && r.circularErrors).toEqual([{ cyclePath: 'max<a>(…)->max<b>(…)->max<a>(…)', errorCode: 'E0421' }]);
    }
  });

  it('a hint decided through a depends_on row is instantiated', () => {
    const inputs = shapesWithInferences([
      { inferredType: '?E', expr: 'sum<ys>(…)', context: 'depends_on_sum<xs>(…)', fromFile: 'app.spl', fromLoc: 'app.spl:40:5' },
      { inferredType: 'u8', expr: 'sum<xs>(…)', context: 'literal', fromFile: 'app.spl', fromLoc: 'app.spl:41:5' },
    ]);
    const r = link(inputs, { instantiate: 'eager' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.note.instantiations.find((i) => i.mangledName === 'sum$u8')?.status).toBe('compiled');
  });
});

describe('inputs that cannot be linked', () => {
  it('a file that is not an SMF, a missing file, and no input at all', () => {
    const bad = join(tempDir(), 'bad.smf');
    writeFileSync(bad, 'not an smf module at all, just text that is long enough to have a header ...'.repeat(3));
    const text = errorsOf(link([bad, '/nonexistent/x.smf']));
    expect(text).toMatch(/bad\.smf: error: .*/);
    expect(text).toContain("/nonexistent/x.smf: error: cannot read '/nonexistent/x.smf': no such file or directory");
    expect(errorsOf(link([], { output: 'app.smf' }))).toBe('app.smf: error: nothing to link: no input modules');
  });
});
