export { tokenize } from './lexer.js';
export type { LexResult } from './lexer.js';
export { LEX_CODES } from './codes.js';
export { KEYWORDS, PUNCTUATORS, describeToken, isKeyword } from './token.js';
export type {
  FloatToken,
  IntToken,
  Keyword,
  PlainToken,
  Punct,
  StrInterpPart,
  StrTextPart,
  StrToken,
  StrTokenPart,
  Token,
  TokenKind,
} from './token.js';
