/**
 * Slots and private functions (docs/trust-model.md): a slot an exposed function held may still
 * sit in other modules' GOT.func globals after its module is unloaded, so it is never handed to
 * a private function — a stale pointer cannot become a way into another module's private code.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ExecMemory } from '../../src/loader/exec-memory.js';
import { ModuleLoader } from '../../src/loader/module-loader.js';
import { callSymbol, compileToSmf, workspace } from './fixtures.js';

describe('slots of private functions', () => {
  it('a released exposed slot goes to exposed functions only; a released private slot to either', () => {
    const exec = new ExecMemory();
    const exposed = exec.allocExecMemory();
    const priv = exec.allocExecMemory('private');
    exec.release(exposed);
    exec.release(priv);
    const nextPrivate = exec.allocExecMemory('private');
    expect(nextPrivate).toBe(priv);
    const another = exec.allocExecMemory('private');
    expect(another).not.toBe(exposed);
    expect(exec.allocExecMemory()).toBe(exposed);
    exec.release(nextPrivate);
    expect(exec.allocExecMemory()).toBe(nextPrivate);
  });

  it("a module's stale slot never reaches another module's private function", () => {
    const dir = workspace({
      'bank.spl': 'fn balance() -> i64:\n    43\n',
      'user.spl': 'use bank.{balance}\n\nfn ask() -> i64:\n    balance()\n',
      'other.spl': 'fn _hidden() -> i64:\n    4242\n\nfn visible(x: i64) -> i64:\n    _hidden() - 4242 + x\n',
    });
    compileToSmf(dir, ['bank.spl', 'user.spl', 'other.spl']);
    const loader = new ModuleLoader({ jit: { updateSmf: false } });
    expect(loader.load(join(dir, 'user.smf')).kind).toBe('loaded');
    expect(callSymbol(loader, 'ask')).toBe(43n);
    const stale = loader.symbols.lookup('balance')!.slot;
    // user keeps calling through bank's old slot, which is emptied.
    expect(loader.unload('bank')).toBe(true);
    expect(() => callSymbol(loader, 'ask')).toThrow();
    expect(loader.load(join(dir, 'other.smf')).kind).toBe('loaded');
    expect(callSymbol(loader, 'visible', 1n)).toBe(1n);
    expect(loader.symbols.lookup('_hidden', 'other')!.slot).not.toBe(stale);
    // The stale call still traps: it does not run other's private function.
    let result: unknown;
    try {
      result = callSymbol(loader, 'ask');
    } catch (e) {
      result = e;
    }
    expect(result).not.toBe(4242n);
    expect(result).toBeInstanceOf(Error);
  });
});
