import type { Rand } from '../rand.js';

/** Tokens of Simple, and some that are not. */
const TOKENS = [
  'fn', 'val', 'var', 'if', 'elif', 'else', 'while', 'for', 'in', 'return', 'break', 'continue', 'struct', 'impl', 'me', 'static',
  'extern', 'use', 'and', 'or', 'not', 'true', 'false', 'as', 'self', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '==',
  '!=', '<', '<=', '>', '>=', '=', '+=', '..', '..=', '(', ')', '[', ']', ':', ',', '.', '->', '0', '1', '-1', '0xff', '1e-3',
  '3.5', '9223372036854775808', '18446744073709551616', '"a{x}b"', '"{"', '"\\u"', 'i8', 'u64', 'f32', 'f32x4', 'text', 'T', 'Pair',
  'main', 'print', 'assert', 'len', 'push', 'pop', '\t', '\n', '    ', '_', '$', '@', '\u00e9', '\u0000',
];

const EDGE_NUMBERS = ['0', '1', '255', '256', '-128', '2147483647', '4294967296', '9223372036854775807', '0.0', '1e308', '100000'];

function classOf(p: string): string {
  if (/^[A-Za-z_]/.test(p)) return 'name';
  if (/^[0-9]/.test(p)) return 'number';
  if (p.startsWith('"')) return 'string';
  if (/^\s/.test(p)) return 'space';
  return 'operator';
}

/** Splits source into tokens and the space between them (joined back, the pieces give the text). */
function pieces(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]+)?(?:e-?[0-9]+)?|"(?:[^"\\\n]|\\.)*"|\n[ \t]*|[ \t]+|[<>=!+\-*/%&|^.:]=?|->|\.\.=?|[^]/g) ?? [];
}

/** Something deep or long that stresses the stages' depth and size limits. */
function stress(r: Rand): string {
  const n = r.pick([100, 255, 256, 257, 999, 1000, 1001, 3000]);
  switch (r.int(4)) {
    case 0: return '('.repeat(n) + '1' + ')'.repeat(n);
    case 1: return Array.from({ length: n }, () => '1').join(' + ');
    case 2: return '"' + '{1}'.repeat(n) + '"';
    default: return '-'.repeat(n) + '1';
  }
}

/**
 * Token-level damage to a Simple source: tokens deleted, duplicated, swapped or replaced, lines
 * duplicated, deleted or re-indented, lines spliced in from `donor`, and deep or long
 * expressions put in place of a token.
 */
export function mutateSource(text: string, r: Rand, donor: string): string {
  const steps = 1 + (r.chance(0.6) ? 0 : r.int(3));
  let out = text;
  for (let i = 0; i < steps; i++) {
    if (r.chance(0.3)) {
      const lines = out.split('\n');
      const at = r.int(lines.length);
      switch (r.int(4)) {
        case 0: lines.splice(at, 1); break;
        case 1: lines.splice(at, 0, lines[at]); break;
        case 2: lines[at] = ' '.repeat(r.pick([0, 1, 3, 4, 8])) + lines[at].trimStart(); break;
        default: {
          const d = donor.split('\n');
          const from = r.int(d.length);
          lines.splice(at, 0, ...d.slice(from, from + 1 + r.int(6)));
        }
      }
      out = lines.join('\n');
      continue;
    }
    const ps = pieces(out);
    if (ps.length === 0) return r.pick(TOKENS);
    const at = r.int(ps.length);
    switch (r.int(9)) {
      case 0: ps.splice(at, 1); break;
      case 1: ps.splice(at, 0, ps[at]); break;
      case 2: {
        const b = r.int(ps.length);
        [ps[at], ps[b]] = [ps[b], ps[at]];
        break;
      }
      case 3:
        ps[at] = r.chance(0.08) ? stress(r) : r.pick(TOKENS);
        break;
      case 4: ps.splice(at, 0, r.pick(TOKENS), ' '); break;
      case 5: ps[at] = r.pick(ps); break;
      default: {
        // Like for like (a name for a name, a number for a number, an operator for an
        // operator): such programs still parse, and reach the checker and the code generator.
        const kind = classOf(ps[at]);
        const same = ps.filter((p) => classOf(p) === kind);
        ps[at] = kind === 'number' && r.chance(0.5) ? r.pick(EDGE_NUMBERS) : r.pick(same);
      }
    }
    out = ps.join('');
  }
  return out;
}
