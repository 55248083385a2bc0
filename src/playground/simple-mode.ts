/** Syntax colouring for Simple in the editor: a small stream tokenizer (keywords, literals, comments). */
import { StreamLanguage } from '@codemirror/language';
import type { StringStream } from '@codemirror/language';

const KEYWORDS = new Set(['fn', 'me', 'static', 'struct', 'impl', 'trait', 'enum', 'use', 'extern', 'val', 'var', 'if', 'elif', 'else', 'while', 'for', 'in', 'return', 'break', 'continue', 'match', 'and', 'or', 'not', 'true', 'false', 'self', 'pub']);

export const simpleLanguage = StreamLanguage.define<{ inString: boolean }>({
  startState: () => ({ inString: false }),
  token(stream: StringStream, state) {
    if (state.inString) {
      while (!stream.eol()) {
        const ch = stream.next();
        if (ch === '\\') stream.next();
        else if (ch === '"') {
          state.inString = false;
          break;
        }
      }
      return 'string';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('"')) {
      state.inString = true;
      return 'string';
    }
    if (stream.match(/^\d[\d_]*(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
    const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null;
    if (word) return KEYWORDS.has(word[0]) ? 'keyword' : /^[A-Z]/.test(word[0]) ? 'typeName' : null;
    stream.next();
    return null;
  },
});
