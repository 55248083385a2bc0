/**
 * Importing Simple modules from Node: real `node --import simple-smf/register` child processes
 * importing `.spl` and `.smf` files — typed callables, generic functions and structs through
 * `.of(...)`, compile errors as JS errors carrying the diagnostic, and the compile cache.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIB, nodeImport, project } from './helpers.js';

describe('import from Node', () => {
  it('exports functions as typed callables, generics and structs through .of', () => {
    const d = project({
      'lib.spl': LIB,
      'app.mjs': `import { add, max, greet, half, Stack, Point } from './lib.spl';
import { HeapHandle } from 'simple-smf';
const out = [];
out.push(add(2n, 3n), typeof add(2n, 3n), max.of('i64')(3n, 9n), max.of('f64')(1.5, 0.5), max.of('text')('a', 'b'), greet('node'), half(5));
const S = Stack.of('i64');
const s = S.new();
S.push(s, 4n); S.push(s, 5n);
out.push(S.size(s), S.name, Point.norm2(Point.at(3, 4)), add.signature, s instanceof HeapHandle);
try { max(1n, 2n); } catch (e) { out.push(e.name + ': ' + e.message); }
try { add(1.5, 2n); } catch (e) { out.push(e.name + ': ' + e.message); }
console.log(out.map(String).join('\\n'));
`,
    });
    const r = nodeImport(d, 'app.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      '5',
      'bigint',
      '9',
      '1.5',
      'b',
      'hello, node',
      '2.5',
      '2',
      'Stack<i64>',
      '25',
      'fn add(a: i64, b: i64) -> i64',
      'true',
      "SimpleUsageError: 'max' is generic (T): give its type arguments first, e.g. max.of('i64')(…)",
      "ValueConversionError: argument 1 of 'add': expected i64, got a number (1.5)",
      '',
    ]);
    expect(r.code).toBe(0);
  });

  it('a module that uses another is compiled with it; .smf files import as they are', () => {
    const d = project({
      'lib.spl': LIB,
      'uses.spl': 'use lib.{add}\n\nfn add3(a: i64) -> i64:\n    add(a, 3)\n',
      'app.mjs': `import { add3 } from './uses.spl';\nimport { hi } from './built/greeter.smf';\nconsole.log(String(add3(4n)), hi('smf'));\n`,
      'greeter.spl': 'fn hi(name: text) -> text:\n    "hi " + name\n',
    });
    const c = spawnSync(process.execPath, [join(d, 'node_modules/simple-smf/dist/cli/smf.js'), 'compile', 'greeter.spl', '-o', 'built/greeter.smf'], { cwd: d, encoding: 'utf8' });
    expect(c.status).toBe(0);
    const r = nodeImport(d, 'app.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('7 hi smf\n');
  });

  it('a compile error is a JS error carrying the Simple diagnostic with its caret', () => {
    const d = project({
      'bad.spl': 'fn bad() -> i64:\n    "x"\n',
      'app.mjs': `import { SimpleError } from 'simple-smf';
try { await import('./bad.spl'); } catch (e) {
  console.log(e instanceof SimpleError, e.name, e.code, JSON.stringify(e.diagnostics));
  console.log(e.message);
}
`,
    });
    const r = nodeImport(d, 'app.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `true SimpleImportError COMPILE_ERROR [{"severity":"error","message":"mismatched types: expected 'i64', found 'text'","file":"bad.spl","line":2,"column":5}]\n` +
        `bad.spl:2:5: error: mismatched types: expected 'i64', found 'text'\n    "x"\n    ^~~\n`,
    );
  });

  it('compiles on first import and uses the cache after, until a source it was compiled from changes', () => {
    const d = project({
      'lib.spl': 'fn one() -> i64:\n    1\n',
      'top.spl': 'use lib.{one}\n\nfn two() -> i64:\n    one() + one()\n',
      'app.mjs': `import { two } from './top.spl';\nconsole.log(String(two()));\n`,
    });
    const cache = join(d, 'cache');
    expect(nodeImport(d, 'app.mjs', cache).stdout).toBe('2\n');
    const entries = readdirSync(cache);
    expect(entries).toHaveLength(1);
    const manifest = join(cache, entries[0], 'manifest.json');
    expect(readdirSync(join(cache, entries[0])).sort()).toEqual(['lib.smf', 'manifest.json', 'top.smf']);
    const written = statSync(manifest).mtimeMs;
    const before = readFileSync(manifest, 'utf8');

    expect(nodeImport(d, 'app.mjs', cache).stdout).toBe('2\n');
    expect(statSync(manifest).mtimeMs).toBe(written);

    // A changed dependency: the same entry (keyed by the imported file) is compiled again.
    writeFileSync(join(d, 'lib.spl'), 'fn one() -> i64:\n    10\n');
    expect(nodeImport(d, 'app.mjs', cache).stdout).toBe('20\n');
    expect(readFileSync(manifest, 'utf8')).not.toBe(before);

    // A changed imported file: a new entry.
    writeFileSync(join(d, 'top.spl'), 'use lib.{one}\n\nfn two() -> i64:\n    one() * 3\n');
    expect(nodeImport(d, 'app.mjs', cache).stdout).toBe('30\n');
    expect(readdirSync(cache)).toHaveLength(2);
  });
});
