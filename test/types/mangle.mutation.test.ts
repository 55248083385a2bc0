// Tests written against surviving mutants of src/types/mangle.ts (docs/testing.md): the cheap
// mangled-form test, the base of a name, malformed hand-built types.
import { describe, expect, it } from 'vitest';
import { ManglingError, T, isMangledForm, mangle, named, normalizeSymbolName, symbolBase, tuple } from '../../src/types/index.js';
import type { Type } from '../../src/types/index.js';

describe('isMangledForm', () => {
  it('plain names are; empty, readable and spaced names are not', () => {
    expect(isMangledForm('add')).toBe(true);
    expect(isMangledForm('Stack.push')).toBe(true);
    expect(isMangledForm('')).toBe(false);
    expect(isMangledForm('max<i64>')).toBe(false);
    expect(isMangledForm('<')).toBe(false);
    expect(isMangledForm('a>b')).toBe(false);
    expect(isMangledForm('>')).toBe(false);
    expect(isMangledForm('a b')).toBe(false);
    expect(isMangledForm(' ')).toBe(false);
  });
  it('a name with `$` is, unless a `<` comes before the first `$`', () => {
    expect(isMangledForm('max$i64')).toBe(true);
    expect(isMangledForm('Pair$Box<i64>$text')).toBe(true);
    expect(isMangledForm('$i64')).toBe(true);
    expect(isMangledForm('max<i64>$x')).toBe(false);
    expect(isMangledForm('<$')).toBe(false);
  });
  it('agrees with normalizeSymbolName on the names it accepts', () => {
    for (const s of ['add', 'max$i64', 'Pair$Box<i64>$text', 'Stack.push$f64']) {
      expect(isMangledForm(s)).toBe(true);
      expect(normalizeSymbolName(s)).toBe(s);
    }
    for (const s of ['max<i64>', 'Pair<i64, text>']) {
      expect(isMangledForm(s)).toBe(false);
      expect(normalizeSymbolName(s)).not.toBe(s);
    }
  });
});

describe('symbolBase', () => {
  it('is what comes before the first `$`, the whole name without one', () => {
    expect(symbolBase('max$i64$f64')).toBe('max');
    expect(symbolBase('$i64')).toBe('');
    expect(symbolBase('max')).toBe('max');
  });
});

describe('mangle refuses a malformed hand-built argument', () => {
  const invalid = (name: string): Type => ({ kind: 'param', name });
  it('a type parameter with an invalid name', () => {
    expect(() => mangle('f', [invalid('1x')])).toThrow(ManglingError);
    expect(() => mangle('f', [invalid('1x')])).toThrow('type argument 1x contains the invalid name "1x" at offset 1 in symbol "f"');
  });
  it('names the first malformed part', () => {
    const both = tuple([named('1a', []), named('2b', [])]);
    expect(() => mangle('f', [both])).toThrow('contains the invalid name "1a"');
  });
  it('no arguments: the base itself', () => {
    expect(mangle('Stack.push', [])).toBe('Stack.push');
    expect(mangle('max', [T.i64, T.text])).toBe('max$i64$text');
  });
});
