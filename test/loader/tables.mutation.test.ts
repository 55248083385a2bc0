/**
 * The loader's two tables at their edges: the function table (ExecMemory — slot reuse by
 * visibility, growth, the slot limit) and the symbol table (SymbolTable, ModuleSymbol — private
 * symbols, deletes, linked modules, described-on-first-use symbols).
 */
import { describe, expect, it } from 'vitest';
import { ExecMemory } from '../../src/loader/exec-memory.js';
import { LoadError } from '../../src/loader/errors.js';
import { ModuleSymbol, SymbolTable } from '../../src/loader/symbol-table.js';
import type { LoadedSymbol, SymbolDescription } from '../../src/loader/symbol-table.js';
import type { FnDef } from '../../src/compiler/program.js';
import type { Type } from '../../src/types/index.js';

describe('ExecMemory', () => {
  it('hands a released exposed slot to the next exposed function, never to a private one', () => {
    const exec = new ExecMemory();
    const a = exec.allocExecMemory('exposed');
    exec.release(a);
    const p = exec.allocExecMemory('private');
    expect(p).not.toBe(a);
    expect(exec.allocExecMemory('exposed')).toBe(a);
    expect(exec.slotsInUse).toBe(2);
  });

  it('never lets a slot that held an exposed function reach a private one, however often it is reused', () => {
    const exec = new ExecMemory();
    const a = exec.allocExecMemory('exposed');
    exec.release(a);
    expect(exec.allocExecMemory('exposed')).toBe(a);
    exec.release(a);
    expect(exec.allocExecMemory('private')).not.toBe(a);
    // A private slot reused by a private function stays private: it may go to an exposed one later.
    const p = exec.allocExecMemory('private');
    exec.release(p);
    expect(exec.allocExecMemory('private')).toBe(p);
    exec.release(p);
    expect(exec.allocExecMemory('exposed')).toBe(a);
    expect(exec.allocExecMemory('exposed')).toBe(p);
  });

  it('hands a released private slot to anything, an exposed function included', () => {
    const exec = new ExecMemory();
    const p = exec.allocExecMemory('private');
    exec.release(p);
    expect(exec.allocExecMemory('exposed')).toBe(p);
  });

  it('grows the table only when a slot is past its end, by its size but at least 64 slots', () => {
    const exec = new ExecMemory({ initialSlots: 4, maxSlots: 1000 });
    // Slot 0 stays empty: three slots fit the initial four.
    expect([exec.allocExecMemory(), exec.allocExecMemory(), exec.allocExecMemory()]).toEqual([1, 2, 3]);
    expect(exec.table.length).toBe(4);
    expect(exec.allocExecMemory()).toBe(4);
    expect(exec.table.length).toBe(68);
    const big = new ExecMemory({ initialSlots: 100, maxSlots: 1000 });
    for (let i = 1; i < 100; i++) big.allocExecMemory();
    big.allocExecMemory();
    expect(big.table.length).toBe(200);
  });

  it('gives out maxSlots - 1 slots (slot 0 is never one) and refuses the next with a typed error', () => {
    const exec = new ExecMemory({ initialSlots: 2, maxSlots: 10 });
    const slots = Array.from({ length: 9 }, () => exec.allocExecMemory());
    expect(slots).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(exec.table.length).toBe(10);
    let error: unknown;
    try {
      exec.allocExecMemory();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoadError);
    expect(error).toMatchObject({ code: 'LOAD_TABLE_FULL', message: 'the function table is full (10 slots)' });
    expect(exec.slotsInUse).toBe(9);
    // A released slot is still given out once the table is full.
    exec.release(4);
    expect(exec.allocExecMemory()).toBe(4);
  });

  it('refuses to install anything but a WebAssembly function, naming the slot', () => {
    const exec = new ExecMemory();
    const slot = exec.allocExecMemory();
    expect(() => exec.install(slot, () => 1)).toThrow(LoadError);
    expect(() => exec.install(slot, 42)).toThrow(`slot ${slot}: not a WebAssembly function`);
    try {
      exec.install(slot, {});
    } catch (e) {
      expect(e).toMatchObject({ code: 'LOAD_INSTANTIATE' });
    }
    expect(exec.get(slot)).toBeNull();
  });
});

function sym(name: string, owner: string, slot = 1): LoadedSymbol {
  return { name, slot, owner, fn: null, typeArgs: [], version: 1, isJit: false };
}

const FN_A = { symbol: 'a' } as unknown as FnDef;
const FN_B = { symbol: 'b' } as unknown as FnDef;
const I64: Type = { kind: 'i64' } as unknown as Type;

describe('ModuleSymbol', () => {
  function counted(answer: SymbolDescription | undefined) {
    const asked: string[] = [];
    const describe = (name: string, module: string): SymbolDescription | undefined => {
      asked.push(`${module}:${name}`);
      return answer;
    };
    return { asked, describe };
  }

  it('is not a JIT symbol and describes itself once, on the first use', () => {
    const { asked, describe } = counted({ fn: FN_A, args: [I64] });
    const s = new ModuleSymbol('max$i64', 3, 'm', describe, 'mod');
    expect(s.isJit).toBe(false);
    expect(asked).toEqual([]);
    expect(s.fn).toBe(FN_A);
    expect(s.fn).toBe(FN_A);
    expect(s.typeArgs).toEqual([I64]);
    expect(asked).toEqual(['mod:max$i64']);
  });

  it('answers a plain function\'s type arguments without describing it', () => {
    const { asked, describe } = counted({ fn: FN_A, args: [] });
    const s = new ModuleSymbol('plain', 3, 'm', describe, 'mod');
    expect(s.typeArgs).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('describes an instance when its type arguments are asked first', () => {
    const { asked, describe } = counted({ fn: FN_A, args: [I64] });
    const s = new ModuleSymbol('max$i64', 3, 'm', describe, 'mod');
    expect(s.typeArgs).toEqual([I64]);
    expect(asked).toHaveLength(1);
    expect(s.fn).toBe(FN_A);
    expect(asked).toHaveLength(1);
  });

  it('keeps what a reload sets, and is not described again over it', () => {
    const { asked, describe } = counted({ fn: FN_A, args: [] });
    const s = new ModuleSymbol('max$i64', 3, 'm', describe, 'mod');
    s.fn = FN_B;
    s.typeArgs = [I64, I64];
    expect(s.fn).toBe(FN_B);
    expect(s.typeArgs).toEqual([I64, I64]);
    expect(asked).toHaveLength(1);
  });
});

describe('SymbolTable', () => {
  it('keeps every private symbol of a module, and counts them with the global ones', () => {
    const t = new SymbolTable();
    t.define(sym('_a', 'm', 1), false);
    t.define(sym('_b', 'm', 2), false);
    t.define(sym('pub', 'm', 3), true);
    expect(t.lookup('_a', 'm')?.slot).toBe(1);
    expect(t.lookup('_b', 'm')?.slot).toBe(2);
    expect(t.lookup('_a')).toBeUndefined();
    expect(t.size).toBe(3);
  });

  it('deletes a private symbol of the owner given, leaving a global one of the same name', () => {
    const t = new SymbolTable();
    t.define(sym('f', 'm', 1), false);
    t.define(sym('f', 'other', 2), true);
    t.delete('f', 'm');
    expect(t.lookup('f', 'm')?.slot).toBe(2);
    expect(t.lookup('f')?.slot).toBe(2);
    t.delete('f', 'm');
    expect(t.lookup('f')).toBeUndefined();
  });

  it('unlinks only the members of the module removed', () => {
    const t = new SymbolTable();
    t.link('a', 'm');
    t.link('b', 'n');
    t.define(sym('_x', 'n', 5), false);
    expect(t.lookup('_x', 'b')?.slot).toBe(5);
    expect(t.removeModule('m')).toEqual([]);
    // `b` still sees `n`'s private symbols; `a`, no longer linked into `m`, has its own.
    expect(t.lookup('_x', 'b')?.slot).toBe(5);
    t.define(sym('_y', 'a', 6), false);
    expect(t.lookup('_y', 'a')?.slot).toBe(6);
  });
});
