import type { Rand } from '../rand.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Type strings nested far past any parser's depth bound. */
const DEEP_TYPES = [
  '['.repeat(20_000) + 'i64' + ']'.repeat(20_000),
  'Pair<'.repeat(20_000) + 'i64' + '>'.repeat(20_000),
  '('.repeat(20_000) + 'i64, i64' + ')'.repeat(20_000),
  'fn() -> '.repeat(20_000) + 'i64',
];

/** Replacement values at the edges of what a reader might assume about a field. */
function edgeValue(r: Rand, strings: readonly string[]): Json {
  switch (r.int(14)) {
    case 0: return -1;
    case 1: return 0;
    case 2: return r.pick([2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, Number.MAX_SAFE_INTEGER + 2]);
    case 3: return r.pick([1.5, -0.5, 1e308, -1e308]);
    case 4: return null;
    case 5: return r.chance(0.5);
    case 6: return '';
    case 7: return 'x'.repeat(r.pick([1, 200, 70_000]));
    case 8: return [];
    case 9: return {};
    case 10: return strings.length > 0 ? r.pick(strings) : 'T';
    case 11: return r.pick(['i64', 'T', 'Pair<T, T>', '[T]', 'fn(i64) -> i64', '<', '$', '__proto__', 'constructor', '\u0000', 'é', ...DEEP_TYPES]);
    case 12: {
      let v: Json = 1;
      for (let i = r.int(3000); i > 0; i--) v = [v];
      return v;
    }
    default: return r.int(1000);
  }
}

interface Slot {
  parent: Json[] | { [k: string]: Json };
  key: number | string;
}

/** Every field and element of `root` (iteratively: a mutated document may be deeply nested). */
function slots(root: Json, out: Slot[], strings: string[]): void {
  const todo: Json[] = [root];
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (typeof v === 'string') strings.push(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        todo.push(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ parent: v, key: k });
        todo.push(v[k]);
      }
    }
  }
}

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key];
const set = (s: Slot, v: Json): void => {
  (s.parent as Record<string | number, Json>)[s.key] = v;
};

/**
 * Structure-aware damage to a JSON document: a field replaced by an edge value or by another
 * field's value, deleted, duplicated, or a string's characters changed. Text that does not
 * parse as JSON is returned with a byte changed.
 */
export function mutateJson(text: string, r: Rand): string {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return text.slice(0, r.int(text.length + 1)) + '}' + text.slice(r.int(text.length + 1));
  }
  const steps = 1 + r.int(3);
  for (let i = 0; i < steps; i++) {
    const all: Slot[] = [];
    const strings: string[] = [];
    slots(doc, all, strings);
    if (all.length === 0) return JSON.stringify(edgeValue(r, strings));
    const s = r.pick(all);
    const old = get(s);
    switch (r.int(6)) {
      case 0:
      case 1:
        set(s, edgeValue(r, strings));
        break;
      case 2:
        set(s, structuredClone(get(r.pick(all))));
        break;
      case 3:
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete s.parent[s.key as string];
        break;
      case 4:
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, ...Array.from({ length: 1 + r.int(3) }, () => structuredClone(old)));
        else s.parent[`${s.key}${r.int(3)}`] = structuredClone(old);
        break;
      default:
        if (typeof old === 'string' && old.length > 0) {
          const at = r.int(old.length);
          set(s, old.slice(0, at) + r.pick(['<', '>', ',', '$', '(', ')', '[', ']', ' ', '', 'T', '0']) + old.slice(at + r.int(2)));
        } else if (typeof old === 'number') set(s, old + r.pick([-1, 1, 2 ** 16, -(2 ** 16)]));
        else set(s, edgeValue(r, strings));
    }
  }
  try {
    return JSON.stringify(doc);
  } catch {
    // Deep values copied into deep values can nest past what JSON.stringify recurses through:
    // such a document is given as one deep array, still past every reader's depth bound.
    return '['.repeat(20_000) + ']'.repeat(20_000);
  }
}
