import type { Rand } from '../rand.js';

/** Fragments of SDN syntax and of note.sdn content that a damaged note might hold. */
const FRAGMENTS = [
  '|', ',', ':', '"', '\\', '\\u', '\\u{', '{', '}', '[', ']', '\t', '    ', '\n', '#', '=', ' ', '""', '"\\n"', 'null', 'true', '-1',
  '99999999999999999999', '1e400', '0x', 'instantiations', 'possible', 'dependencies', 'circular_errors', 'type_inferences',
  'max$i64', 'Pair<T, T>', 'compiled', 'deferred', '# END_NOTE', '\u0000', '\ud800', 'é', '__proto__',
];

const TABLE_ROWS = [
  'instantiations |id, template, type_args, mangled_name, from_file, from_loc, to_obj, status|',
  'possible |id, template, type_args, mangled_name, required_by, can_defer|',
  'dependencies |from_inst, to_inst, dep_kind|',
  '    "a$i64", "b$i64", "call"',
  '    "b$i64", "a$i64", "call"',
  '    0, "max", "i64", "max$i64", "x.spl", "x.spl:1:1", "x.smf", "compiled"',
  '    1, "max", "Pair<i64, i64>", "max$Pair$i64$i64$", "m", "true"',
  'circular_errors |id, cycle_path, error_code|',
  '    0, "a -> b -> a", "E0420"',
  'extra:',
  '    key: [1, 2, {a: 3}]',
];

/**
 * Damage to SDN text that keeps much of its line structure: lines deleted, duplicated, swapped,
 * re-indented or inserted (table rows, headers), fragments of syntax inserted, truncation, and
 * now and then deep nesting or a long line.
 */
export function mutateSdn(text: string, r: Rand): string {
  const lines = text.split('\n');
  const steps = 1 + r.int(4);
  for (let i = 0; i < steps; i++) {
    const at = r.int(lines.length + 1);
    switch (r.int(9)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        // Many copies only of short lines: the text stays near the parser's 16 MiB input limit,
        // not hundreds of MiB that take longer to copy to the worker than to refuse.
        if (at < lines.length) lines.splice(at, 0, ...Array.from({ length: 1 + r.int(r.chance(0.1) && lines[at].length < 1000 ? 2000 : 3) }, () => lines[at]));
        break;
      case 2: {
        const b = r.int(lines.length);
        if (at < lines.length) [lines[at], lines[b]] = [lines[b], lines[at]];
        break;
      }
      case 3:
        if (at < lines.length) lines[at] = ' '.repeat(r.pick([0, 1, 2, 4, 8, 12])) + lines[at].trimStart();
        break;
      case 4:
        lines.splice(at, 0, r.pick(TABLE_ROWS));
        break;
      case 5:
      case 6: {
        if (at >= lines.length) break;
        const line = lines[at];
        const p = r.int(line.length + 1);
        lines[at] = line.slice(0, p) + r.pick(FRAGMENTS) + line.slice(p + r.int(3));
        break;
      }
      case 7: {
        const depth = r.pick([10, 49, 50, 51, 200, 1001]);
        const open = r.chance(0.5) ? '[' : '{a: ';
        const close = open === '[' ? ']' : '}';
        lines.splice(at, 0, `deep: ${open.repeat(depth)}1${close.repeat(depth)}`);
        break;
      }
      default:
        if (r.chance(0.5)) return lines.join('\n').slice(0, r.int(text.length + 1));
        lines.splice(at, 0, `long: "${'z'.repeat(r.pick([1000, 100_000]))}"`);
    }
  }
  const out = lines.join('\n');
  return out.length > MAX_TEXT ? out.slice(0, MAX_TEXT) : out;
}

/** Just over the SDN parser's default input limit (16 MiB), so that limit is met but not dwarfed. */
const MAX_TEXT = 17 * 1024 * 1024;
