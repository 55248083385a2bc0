import { describe, expect, it } from 'vitest';
import { formatSdnKey, formatSdnString, parseSdn, quoteSdnString, stringifySdn } from '../../src/sdn/index.js';

// Quoting at the edges of each character range, and when keys and strings may stay bare,
// written where mutation testing (docs/testing.md) found the suite silent.

describe('quoteSdnString', () => {
  it('escapes control characters up to U+001F and U+007F, nothing around them', () => {
    expect(quoteSdnString('\u0000\u001f \u007e\u007f\u0080')).toBe('"\\u{0}\\u{1F} \u007e\\u{7F}\u0080"');
    expect(quoteSdnString('\u000b\u000c')).toBe('"\\u{B}\\u{C}"');
  });

  it('keeps surrogate pairs and escapes lone surrogates at each end of their ranges', () => {
    expect(quoteSdnString('\ud7ff\ue000')).toBe('"\ud7ff\ue000"');
    expect(quoteSdnString('\udbff\udfff')).toBe('"\udbff\udfff"');
    expect(quoteSdnString('\ud800\udc00x')).toBe('"\ud800\udc00x"');
    expect(quoteSdnString('a\udc00b')).toBe('"a\\u{DC00}b"');
    expect(quoteSdnString('\udfff')).toBe('"\\u{DFFF}"');
    expect(quoteSdnString('\udbffz')).toBe('"\\u{DBFF}z"');
    expect(quoteSdnString('z\ud800')).toBe('"z\\u{D800}"');
    expect(quoteSdnString('\ud800\ud800\udc00')).toBe('"\\u{D800}\ud800\udc00"');
    expect(quoteSdnString('\ud800\ue000')).toBe('"\\u{D800}\ue000"');
  });

  it('keeps the text between and after escapes', () => {
    expect(quoteSdnString('ab"cd\\ef')).toBe('"ab\\"cd\\\\ef"');
    expect(quoteSdnString('')).toBe('""');
  });

  it('reads every quoted form back to the same string', () => {
    const s = '\u0000\u001f\u007f\ud800x\udfff\ud83d\ude00"\\\n\r\t';
    expect(parseSdn(`s: ${quoteSdnString(s)}`).get('s')).toBe(s);
  });
});

describe('bare or quoted', () => {
  it('writes keys bare exactly when the key syntax reads them back', () => {
    expect(formatSdnKey('a.b-c_9')).toBe('a.b-c_9');
    expect(formatSdnKey('_')).toBe('_');
    expect(formatSdnKey('true')).toBe('true');
    expect(formatSdnKey('')).toBe('""');
    expect(formatSdnKey('a b')).toBe('"a b"');
    expect(formatSdnKey('a:b')).toBe('"a:b"');
    expect(formatSdnKey('a/b')).toBe('"a/b"');
    expect(formatSdnKey('9a')).toBe('"9a"');
    expect(formatSdnKey('-a')).toBe('"-a"');
    expect(formatSdnKey('ab ')).toBe('"ab "');
  });

  it('writes strings bare only without a colon and when no keyword', () => {
    expect(formatSdnString('x/y.z-w_1')).toBe('x/y.z-w_1');
    expect(formatSdnString('a:b')).toBe('"a:b"');
    expect(formatSdnString('null')).toBe('"null"');
    expect(formatSdnString('nil')).toBe('"nil"');
    expect(formatSdnString('false')).toBe('"false"');
    expect(formatSdnString('')).toBe('""');
    expect(formatSdnString('9')).toBe('"9"');
    expect(formatSdnString(' a')).toBe('" a"');
    expect(formatSdnString('a ')).toBe('"a "');
    expect(formatSdnString('.a')).toBe('".a"');
  });

  it('round-trips keys and values that must be quoted', () => {
    const doc = new Map<string, string>([
      ['a:b', 'c:d'],
      ['', 'nil'],
      ['x y', '9'],
    ]);
    expect(parseSdn(stringifySdn(doc))).toEqual(doc);
  });
});
