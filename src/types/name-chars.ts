/**
 * The characters of names in type syntax and symbols: a name starts with a letter or `_` and
 * goes on with letters, digits and `_` (Unicode letters and numbers included). ASCII — nearly
 * every name — is told by its code unit: a regular expression with a Unicode property class
 * costs ~0.3 ms to build on its first use, and a process's first load-time instantiation used
 * to build three of them (a fifth of its time).
 */
// Made on first use: even making one (as a module's top level would, at every import) costs
// ~0.25 ms, and most processes never see a name that is not ASCII.
let unicodeLetter: RegExp | undefined;
let unicodeLetterOrNumber: RegExp | undefined;

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** The length (1 or 2 code units) of the character at `i` when it can start a name, else 0. */
export function nameStartAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) ? 1 : 0;
  const cp = text.codePointAt(i);
  if (cp === undefined) return 0;
  const ch = String.fromCodePoint(cp);
  return (unicodeLetter ??= /\p{L}/u).test(ch) ? ch.length : 0;
}

/** The length of the character at `i` when it can go on a name (a letter, digit or `_`), else 0. */
export function namePartAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) || (c >= 48 && c <= 57) ? 1 : 0;
  const cp = text.codePointAt(i);
  if (cp === undefined) return 0;
  const ch = String.fromCodePoint(cp);
  return (unicodeLetterOrNumber ??= /[\p{L}\p{N}]/u).test(ch) ? ch.length : 0;
}

/** Where the name starting at `from` ends (`from` when none starts there), scanning no further than `limit`. */
export function nameEnd(text: string, from: number, limit = text.length): number {
  const first = from < limit ? nameStartAt(text, from) : 0;
  if (first === 0) return from;
  let i = from + first;
  for (let n; i < limit && (n = namePartAt(text, i)) > 0; ) i += n;
  return i;
}
