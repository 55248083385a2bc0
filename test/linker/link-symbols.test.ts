/** Symbol binding rules: a Weak definition yields to a Global one, whatever the input order. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { link } from '../../src/linker/link.js';
import { Binding, moduleSpecFromReader, SmfReader, writeSmf } from '../../src/smf/index.js';
import { compileTo, PROGRAMS, runMain, tempDir } from './helpers.js';

/** The module at `path`, rewritten with `symbol` bound Weak. */
function makeWeak(path: string, symbol: string): void {
  const reader = SmfReader.fromBytes(readFileSync(path));
  const spec = moduleSpecFromReader(reader);
  spec.symbols = spec.symbols!.map((s) => (s.name === symbol ? { ...s, binding: Binding.Weak } : s));
  writeFileSync(path, writeSmf({ ...spec, note: reader.noteSdnText() }));
}

describe('weak definitions', () => {
  let first: string;
  let second: string;
  beforeAll(() => {
    first = compileTo([join(PROGRAMS, 'duplicate/one/first.spl')], tempDir()).get('first')!;
    second = compileTo([join(PROGRAMS, 'duplicate/two/second.spl')], tempDir()).get('second')!;
  });

  it('yield to a global one, in either input order', () => {
    makeWeak(second, 'helper');
    for (const inputs of [[first, second], [second, first]]) {
      const out = join(tempDir(), 'app.smf');
      const r = link(inputs, { output: out });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      writeFileSync(out, r.bytes);
      // first.spl's helper returns 1, second.spl's 2.
      expect(runMain(out).output).toBe('1\n');
    }
  });

  it('a weak definition alone is used', () => {
    const weakFirst = join(tempDir(), 'first.smf');
    writeFileSync(weakFirst, readFileSync(first));
    makeWeak(weakFirst, 'helper');
    const out = join(tempDir(), 'app.smf');
    const r = link([weakFirst], { output: out });
    expect(r.ok).toBe(true);
    if (r.ok) writeFileSync(out, r.bytes);
    expect(runMain(out).output).toBe('1\n');
  });
});
