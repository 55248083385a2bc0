/** Stable codes of lexer diagnostics, for callers and tests that branch on them. */
export const LEX_CODES = {
  unexpectedChar: 'LEX_UNEXPECTED_CHAR',
  badNumber: 'LEX_BAD_NUMBER',
  unterminatedString: 'LEX_UNTERMINATED_STRING',
  badEscape: 'LEX_BAD_ESCAPE',
  strayBrace: 'LEX_STRAY_BRACE',
  tabIndent: 'LEX_TAB_INDENT',
  badDedent: 'LEX_BAD_DEDENT',
} as const;
