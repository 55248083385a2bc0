import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimpleError } from '../../src/errors.js';
import {
  ManglingError,
  T,
  array,
  demangle,
  fnType,
  isInstanceSymbol,
  mangle,
  named,
  normalizeSymbolName,
  param,
  parseType,
  readableInstanceName,
  readableName,
  simd,
  symbolBase as baseOf,
  tuple,
  typeVar,
} from '../../src/types/index.js';
import { symbolBase, typeArb } from './arbitraries.js';

const pair = named('Pair', [T.i64, T.text]);

function manglingError(f: () => unknown): ManglingError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ManglingError);
    expect(e).toBeInstanceOf(SimpleError);
    return e as ManglingError;
  }
  throw new Error('no error');
}

describe('mangle', () => {
  it('produces the documented names', () => {
    expect(mangle('add', [])).toBe('add');
    expect(mangle('max', [T.i64])).toBe('max$i64');
    expect(mangle('Pair', [T.i64, T.text])).toBe('Pair$i64$text');
    expect(mangle('Stack', [pair])).toBe('Stack$Pair<i64,text>');
    expect(mangle('sum', [array(T.i64)])).toBe('sum$[i64]');
    expect(mangle('Stack.push', [T.i64])).toBe('Stack.push$i64');
    expect(mangle('Stack.push', [pair])).toBe('Stack.push$Pair<i64,text>');
    expect(mangle('zip', [tuple([T.i64, T.text])])).toBe('zip$(i64,text)');
    expect(mangle('dot', [T.f32x4])).toBe('dot$f32x4');
    expect(mangle('one', [tuple([T.bool])])).toBe('one$(bool,)');
    expect(mangle('nothing', [T.unit])).toBe('nothing$()');
    expect(mangle('Pair.map', [T.i64, T.text, T.bool])).toBe('Pair.map$i64$text$bool');
  });

  it('refuses bad bases and unresolved variables', () => {
    expect(manglingError(() => mangle('', [T.i64])).offset).toBe(0);
    const dollar = manglingError(() => mangle('a$b', [T.i64]));
    expect(dollar.offset).toBe(1);
    expect(dollar.symbol).toBe('a$b');
    expect(manglingError(() => mangle('max<T>', [])).offset).toBe(3);
    expect(manglingError(() => mangle('a b', [])).offset).toBe(1);
    const v = manglingError(() => mangle('max', [array(typeVar(2))]));
    expect(v.code).toBe('SYMBOL_MANGLING');
    expect(v.message).toContain('[?2]');
    expect(manglingError(() => mangle('max', [named('a$b')])).reason).toMatch(/invalid name "a\$b"/);
    expect(manglingError(() => mangle('max', [array(tuple([]))])).reason).toMatch(/empty tuple/);
    expect(manglingError(() => mangle('max', [simd(2, T.f32)])).reason).toMatch(/SIMD/);
  });
});

describe('demangle', () => {
  it('splits the documented names', () => {
    expect(demangle('add')).toEqual({ base: 'add', args: [] });
    expect(demangle('max$i64')).toEqual({ base: 'max', args: [T.i64] });
    expect(demangle('Pair$i64$text')).toEqual({ base: 'Pair', args: [T.i64, T.text] });
    expect(demangle('Stack$Pair<i64,text>')).toEqual({ base: 'Stack', args: [pair] });
    expect(demangle('sum$[i64]')).toEqual({ base: 'sum', args: [array(T.i64)] });
    expect(demangle('Stack.push$i64')).toEqual({ base: 'Stack.push', args: [T.i64] });
    expect(demangle('call$fn(i64)->bool')).toEqual({ base: 'call', args: [fnType([T.i64], T.bool)] });
  });

  it('maps param names back to params when told them', () => {
    expect(demangle('max$T', { params: new Set(['T']) })).toEqual({ base: 'max', args: [param('T')] });
    expect(demangle('max$T')).toEqual({ base: 'max', args: [named('T')] });
  });

  it('inverts mangle', () => {
    fc.assert(
      fc.property(symbolBase, fc.array(typeArb({ fns: true }), { maxLength: 4 }), (base, args) => {
        expect(demangle(mangle(base, args))).toEqual({ base, args });
      }),
      { numRuns: 500 },
    );
  });

  const bad: Array<[string, number, RegExp]> = [
    ['max$', 4, /expected a type/],
    ['$i64', 0, /expected a name/],
    ['max$$i64', 4, /expected a type/],
    ['max$i64$', 8, /expected a type/],
    ['max$Pair<i64', 12, /expected '>'/],
    ['max$i64,text', 4, /separated by '\$'/],
    ['ma x$i64', 2, /not allowed/],
    ['max<i64>$i64', 3, /not allowed/],
    ['max$[i64', 8, /expected '\]'/],
  ];
  it.each(bad)('rejects %j at offset %i', (symbol, offset, reason) => {
    const e = manglingError(() => demangle(symbol));
    expect(e.symbol).toBe(symbol);
    expect(e.offset).toBe(offset);
    expect(e.reason).toMatch(reason);
  });
});

describe('readable names', () => {
  it('prints instances readably', () => {
    expect(readableName('max$i64')).toBe('max<i64>');
    expect(readableName('Stack.push$Pair<i64,text>')).toBe('Stack.push<Pair<i64, text>>');
    expect(readableName('Pair$i64$text')).toBe('Pair<i64, text>');
    expect(readableName('add')).toBe('add');
    expect(readableName('max<i64>')).toBe('max<i64>');
    expect(readableInstanceName('max', [T.i64])).toBe('max<i64>');
    expect(readableInstanceName('Pair.swap', [T.i64, array(T.text)])).toBe('Pair.swap<i64, [text]>');
    expect(readableInstanceName('add', [])).toBe('add');
  });

  it('normalizes any spelling to the mangled form', () => {
    expect(normalizeSymbolName('max<i64>')).toBe('max$i64');
    expect(normalizeSymbolName('Stack.push<i64>')).toBe('Stack.push$i64');
    expect(normalizeSymbolName('Pair<i64, text>')).toBe('Pair$i64$text');
    expect(normalizeSymbolName('Stack.push<Pair<i64, text>>')).toBe('Stack.push$Pair<i64,text>');
    expect(normalizeSymbolName('Stack< Pair< i64 ,text > > ')).toBe('Stack$Pair<i64,text>');
    expect(normalizeSymbolName('max$i64')).toBe('max$i64');
    expect(normalizeSymbolName('Stack$Pair<i64, text>')).toBe('Stack$Pair<i64,text>');
    expect(normalizeSymbolName('add')).toBe('add');
    expect(normalizeSymbolName('Pair.swap')).toBe('Pair.swap');
    expect(normalizeSymbolName('max<T>', { params: new Set(['T']) })).toBe('max$T');
  });

  it('rejects malformed readable names with offsets', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['max<i64', 7, /expected '>'/],
      ['max<>', 4, /expected a type/],
      ['<i64>', 0, /expected a name/],
      ['max<i64 text>', 8, /expected end of input/],
      ['max<i64>>', 7, /expected end of input/],
      ['Stack<i64>.push', 15, /expected '>'/],
      ['a-b', 1, /not allowed/],
      ['', 0, /expected a name/],
    ];
    for (const [symbol, offset, reason] of cases) {
      const e = manglingError(() => normalizeSymbolName(symbol));
      expect(e.offset, symbol).toBe(offset);
      expect(e.reason, symbol).toMatch(reason);
    }
  });

  it('readable and mangled forms convert into each other', () => {
    fc.assert(
      fc.property(symbolBase, fc.array(typeArb({ fns: true }), { maxLength: 3 }), (base, args) => {
        const mangled = mangle(base, args);
        const readable = readableName(mangled);
        expect(readable).toBe(readableInstanceName(base, args));
        expect(normalizeSymbolName(readable)).toBe(mangled);
        expect(normalizeSymbolName(mangled)).toBe(mangled);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps types intact through the readable form', () => {
    const t = parseType('Stack<Pair<[i64], (text, f32x4)>>');
    expect(demangle(normalizeSymbolName(`peek<${'Stack<Pair<[i64], (text, f32x4)>>'}>`)).args).toEqual([t]);
  });
});

describe('symbolBase and isInstanceSymbol', () => {
  it('split a mangled name at its first $ without parsing the arguments', () => {
    expect(baseOf('max$i64')).toBe('max');
    expect(baseOf('Stack.push$Pair<i64,text>')).toBe('Stack.push');
    expect(baseOf('_h..lib$i64$text')).toBe('_h..lib');
    expect(baseOf('total')).toBe('total');
    expect(isInstanceSymbol('max$i64')).toBe(true);
    expect(isInstanceSymbol('Pair.swap')).toBe(false);
  });
});
