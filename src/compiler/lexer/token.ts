import type { Span } from '../source.js';

export const KEYWORDS = [
  'fn', 'me', 'static', 'struct', 'impl', 'extern', 'use',
  'val', 'var', 'if', 'elif', 'else', 'while', 'for', 'in',
  'return', 'break', 'continue', 'and', 'or', 'not', 'true', 'false', 'as', 'self',
] as const;

export type Keyword = (typeof KEYWORDS)[number];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

export function isKeyword(word: string): word is Keyword {
  return KEYWORD_SET.has(word);
}

/** Ordered longest first, so the scanner can take the first one that matches. */
export const PUNCTUATORS = [
  '..=',
  '..', '->', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=',
  '+', '-', '*', '/', '%', '=', '<', '>', '&', '|', '^',
  '(', ')', '[', ']', '{', '}', ',', ':', '.', '\\', '?',
] as const;

export type Punct = (typeof PUNCTUATORS)[number];

/**
 * Keywords and punctuators are their own kinds (their spelling), so the parser can write
 * `at('if')` or `at('->')`. The capitalised kinds carry a payload or are layout tokens.
 */
export type TokenKind =
  | 'Ident' | 'Int' | 'Float' | 'Str'
  | 'Newline' | 'Indent' | 'Dedent' | 'EOF'
  | Keyword | Punct;

interface TokenBase {
  readonly span: Span;
  /** The exact source text of the token; empty for layout tokens. */
  readonly text: string;
}

export interface IntToken extends TokenBase {
  readonly kind: 'Int';
  readonly value: bigint;
}

export interface FloatToken extends TokenBase {
  readonly kind: 'Float';
  readonly value: number;
}

export interface StrTextPart {
  readonly kind: 'text';
  /** The text with escapes already decoded. */
  readonly value: string;
  readonly span: Span;
}

export interface StrInterpPart {
  readonly kind: 'interp';
  /** The tokens between the braces; the parser reads them as one expression. */
  readonly tokens: readonly Token[];
  /** From the opening `{` to the closing `}` inclusive. */
  readonly span: Span;
}

export type StrTokenPart = StrTextPart | StrInterpPart;

export interface StrToken extends TokenBase {
  readonly kind: 'Str';
  readonly parts: readonly StrTokenPart[];
}

export interface PlainToken extends TokenBase {
  readonly kind: Exclude<TokenKind, 'Int' | 'Float' | 'Str'>;
}

export type Token = IntToken | FloatToken | StrToken | PlainToken;

/** How a token is named in "expected X, found Y" messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'Ident':
      return `identifier '${t.text}'`;
    case 'Int':
    case 'Float':
      return `number '${t.text}'`;
    case 'Str':
      return 'string literal';
    case 'Newline':
      return 'end of line';
    case 'Indent':
      return 'indent';
    case 'Dedent':
      return 'end of the indented block';
    case 'EOF':
      // Interpolation sub-streams end in an EOF spelled '}' so messages point at the brace.
      return t.text === '' ? 'end of file' : `'${t.text}'`;
    default:
      return `'${t.kind}'`;
  }
}
