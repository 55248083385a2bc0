/**
 * Trust domains (docs/trust-model.md): code in one domain cannot read, write or call into
 * another. Each attack is shown first in the shared domain — where the verifier lets ordinary
 * memory access through and the attack works — then refused or contained across domains.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_ABI_BYTES } from '../../src/compiler/lower/unit.js';
import { CODE_ABI_SECTION } from '../../src/compiler/runtime-abi.js';
import { ModuleBuilder, ValType } from '../../src/compiler/wasm/index.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { DomainCrossingError, TrustDomains } from '../../src/loader/trust-domain.js';
import { CodeVerifyError } from '../../src/loader/verify-code.js';
import { HeapHandle, ValueConversionError } from '../../src/loader/values.js';
import { SectionType, SmfReader, moduleSpecFromReader, writeSmf } from '../../src/smf/index.js';
import { callSymbol, compileToSmf, workspace } from '../loader/fixtures.js';

const CORE = `
fn _secret() -> i64:
    42

fn balance() -> i64:
    _secret() + 1

fn vault() -> [i64]:
    [777777, 5]

fn first(xs: [i64]) -> i64:
    xs[0]

fn greet() -> text:
    "hello"

fn shout(s: text) -> text:
    s + "!"
`;
/** The plugin as written; its code is replaced by crafted code below. */
const PLUGIN = 'fn peek(addr: i64) -> i64:\n    addr\n\nfn smash() -> i64:\n    0\n\nfn steal() -> i64:\n    0\n';

function withCode(path: string, wasm: Uint8Array): void {
  const spec = moduleSpecFromReader(SmfReader.openSync(path));
  const sections = spec.sections.map((s) => (s.type === SectionType.Code && s.name === 'code' ? { ...s, data: wasm } : s));
  writeFileSync(path, writeSmf({ ...spec, sections }));
}

/**
 * The plugin's crafted code, which passes the verifier (it only reads and writes memory):
 * peek(addr) = i64.load(addr); smash() = memory.fill(0, 0xab, the whole memory).
 */
function pluginCode(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory', { min: 0 });
  m.importGlobal('env', '__memory_base', ValType.i32, false);
  const body = (...code: number[]) => Uint8Array.from([0, ...code, 0x0b]);
  const peek = m.addRawFunction(m.addType([ValType.i64], [ValType.i64]), body(0x20, 0x00, 0xa7, 0x29, 0x03, 0x00), 'peek');
  const smash = m.addRawFunction(
    m.addType([], [ValType.i64]),
    body(0x41, 0x00, 0x41, 0xab, 0x01, 0x3f, 0x00, 0x41, 0x10, 0x74, 0xfc, 11, 0x00, 0x42, 0x00),
    'smash',
  );
  const steal = m.addRawFunction(m.addType([], [ValType.i64]), body(0x42, 0x00), 'steal');
  m.exportFunction('peek', peek).exportFunction('smash', smash).exportFunction('steal', steal);
  m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
  return m.finish();
}

function setup(): { core: string; plugin: string } {
  const dir = workspace({ 'core.spl': CORE, 'plugin.spl': PLUGIN });
  compileToSmf(dir, ['core.spl', 'plugin.spl']);
  withCode(join(dir, 'plugin.smf'), pluginCode());
  return { core: join(dir, 'core.smf'), plugin: join(dir, 'plugin.smf') };
}

/** Where the first element of an [i64] lives: its header is [len][cap][data]. */
function firstElementAddress(loader: ModuleLoader, handle: HeapHandle): number {
  return new DataView(loader.runtime.memory.buffer).getUint32(handle.ptr + 8, true);
}

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return e;
  }
}

describe('trust domains', () => {
  it("one domain cannot read another's memory", () => {
    const { core, plugin } = setup();
    // Shared domain: the plugin reads core's heap.
    const shared = new ModuleLoader({ jit: { updateSmf: false } });
    shared.load(core);
    shared.load(plugin);
    const vault = callSymbol(shared, 'vault') as HeapHandle;
    expect(callSymbol(shared, 'peek', BigInt(firstElementAddress(shared, vault)))).toBe(777777n);

    const domains = new TrustDomains({ jit: { updateSmf: false } });
    const c = domains.create('core');
    const p = domains.create('plugin');
    expect(c.load(core).kind).toBe('loaded');
    expect(p.load(plugin).kind).toBe('loaded');
    const secret = c.call('vault') as HeapHandle;
    const at = firstElementAddress(c.loader, secret);
    // The same address in the plugin's domain is its own memory, which never held the value.
    expect(at).toBeLessThan(p.loader.runtime.memory.buffer.byteLength);
    const seen = p.call('peek', BigInt(at));
    expect(typeof seen).toBe('bigint');
    expect(seen).not.toBe(777777n);
    expect(c.call('first', secret)).toBe(777777n);
  });

  it("one domain cannot write another's memory (heap, static data, allocator)", () => {
    const { core, plugin } = setup();
    const shared = new ModuleLoader({ jit: { updateSmf: false } });
    shared.load(core);
    shared.load(plugin);
    expect(callSymbol(shared, 'greet')).toBe('hello');
    callSymbol(shared, 'smash');
    // Shared domain: core's literal, heap and the allocator are gone.
    expect(outcome(() => callSymbol(shared, 'greet'))).not.toBe('hello');

    const domains = new TrustDomains({ jit: { updateSmf: false } });
    const c = domains.create('core');
    const p = domains.create('plugin');
    c.load(core);
    p.load(plugin);
    const secret = c.call('vault') as HeapHandle;
    expect(p.call('smash')).toBe(0n);
    // The plugin wrecked only its own memory.
    expect(c.call('greet')).toBe('hello');
    expect(c.call('first', secret)).toBe(777777n);
    expect(c.call('shout', 'still')).toBe('still!');
  });

  it('one domain cannot call into another: no symbol, no slot, no handle reaches it', () => {
    const { core, plugin } = setup();
    const domains = new TrustDomains({ jit: { updateSmf: false } });
    const c = domains.create('core');
    const p = domains.create('plugin');
    c.load(core);
    p.load(plugin);
    expect(c.call('balance')).toBe(43n);
    // Names: core's symbols are not in the plugin's namespace.
    expect(p.resolveSymbol('balance').kind).toBe('not_found');
    expect(outcome(() => p.call('balance'))).toMatchObject({ code: 'LOAD_UNDEFINED_SYMBOL' });
    // Slots: even code that escaped the verifier would index the plugin's own table.
    const secretSlot = c.loader.symbols.lookup('_secret', 'core')!.slot;
    const m = new ModuleBuilder();
    m.importMemory('env', 'memory', { min: 0 });
    m.importTable('env', 'table', { element: ValType.funcref, limits: { min: 0 } });
    const t = m.addType([], [ValType.i64]);
    m.exportFunction('steal', m.addRawFunction(t, Uint8Array.from([0, 0x41, secretSlot, 0x11, t, 0x00, 0x0b])));
    const bytes = m.finish();
    const inPlugin = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: p.loader.runtime.memory, table: p.loader.exec.table } });
    expect(outcome(() => (inPlugin.exports.steal as () => bigint)())).not.toBe(42n);
    const inCore = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: c.loader.runtime.memory, table: c.loader.exec.table } });
    expect((inCore.exports.steal as () => bigint)()).toBe(42n);
    // And the verifier refuses such code in any domain.
    const dir = workspace({ 'thief.spl': 'fn steal() -> i64:\n    0\n' });
    compileToSmf(dir, ['thief.spl']);
    m.importGlobal('env', '__memory_base', ValType.i32, false);
    m.addCustomSection(CODE_ABI_SECTION, CODE_ABI_BYTES);
    withCode(join(dir, 'thief.smf'), m.finish());
    const thief = domains.create('thief', { lazy: false });
    const r = thief.load(join(dir, 'thief.smf'));
    expect(r.kind === 'error' && r.error).toBeInstanceOf(CodeVerifyError);
    expect(r.kind === 'error' && r.error).toMatchObject({ rule: 'call_indirect' });
    // Handles: a heap value of one domain is refused by another's functions.
    const vault = c.call('vault') as HeapHandle;
    const other = domains.create('other');
    const dir2 = workspace({ 'count.spl': 'fn count(xs: [i64]) -> i64:\n    xs.len()\n' });
    compileToSmf(dir2, ['count.spl']);
    other.load(join(dir2, 'count.smf'));
    const e = outcome(() => other.call('count', vault));
    expect(e).toBeInstanceOf(ValueConversionError);
    expect((e as Error).message).toMatch(/a handle from another loader or trust domain/);
  });

  it('bridges copy values between domains, and refuse heap values', () => {
    const { core } = setup();
    const dir = workspace({
      'app.spl': [
        'extern fn shout(s: text) -> text',
        'extern fn first(xs: [i64]) -> i64',
        '',
        'fn run() -> text:',
        '    shout("hi") + shout("there")',
        '',
        'fn leak() -> i64:',
        '    first([9, 8])',
        '',
      ].join('\n'),
    });
    compileToSmf(dir, ['app.spl']);
    const domains = new TrustDomains({ jit: { updateSmf: false } });
    const c = domains.create('core');
    const app = domains.create('app');
    // Without the bridge, the extern is simply not granted.
    expect(app.load(join(dir, 'app.smf'))).toMatchObject({ kind: 'error', error: { code: 'LOAD_MISSING_HOST_FUNCTION' } });
    app.bridge('shout', c, 'shout').bridge('first', c, 'first');
    c.load(core);
    expect(app.load(join(dir, 'app.smf')).kind).toBe('loaded');
    expect(app.call('run')).toBe('hi!there!');
    const e = outcome(() => app.call('leak'));
    expect(e).toBeInstanceOf(DomainCrossingError);
    expect((e as Error).message).toMatch(/argument 1 of bridge 'app\.first' -> 'core\.first': a heap value \(\[i64\]\) cannot cross between trust domains/);
    // Misuse is typed too.
    expect(outcome(() => domains.create('core'))).toMatchObject({ code: 'LOAD_DOMAIN' });
    expect(outcome(() => app.bridge('shout', c, 'greet'))).toMatchObject({ code: 'LOAD_DOMAIN' });
    expect(outcome(() => app.bridge('x', app, 'run'))).toMatchObject({ code: 'LOAD_DOMAIN' });
  });
});
