import { KEY_PATTERN, KEYWORDS } from './scalars.js';

const BARE_KEY = new RegExp(`^${KEY_PATTERN}$`);
/**
 * Values are written bare only when that cannot be misread: no `:`, so a bare item never looks
 * like a `key:` line (the reader's bare syntax also allows `:`).
 */
const SAFE_BARE_VALUE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/**
 * Double-quotes `s`. Besides the five escapes SDN readers know (`\\ \" \n \r \t`), other control
 * characters and unpaired surrogates become `\u{…}` so the text is valid UTF-8 and one line.
 */
export function quoteSdnString(s: string): string {
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === 0x0a) esc = '\\n';
    else if (c === 0x0d) esc = '\\r';
    else if (c === 0x09) esc = '\\t';
    else if (c < 0x20 || c === 0x7f) esc = unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else esc = unicodeEscape(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) esc = unicodeEscape(c);
    if (esc !== undefined) {
      out += s.slice(chunk, i) + esc;
      chunk = i + 1;
    }
  }
  return out + s.slice(chunk) + '"';
}

function unicodeEscape(c: number): string {
  return `\\u{${c.toString(16).toUpperCase()}}`;
}

/** A dict key or column name, bare when the key syntax allows it. */
export function formatSdnKey(k: string): string {
  return BARE_KEY.test(k) ? k : quoteSdnString(k);
}

/** A string value, bare when unambiguous and not a keyword. */
export function formatSdnString(s: string): string {
  return SAFE_BARE_VALUE.test(s) && !KEYWORDS.has(s) ? s : quoteSdnString(s);
}
