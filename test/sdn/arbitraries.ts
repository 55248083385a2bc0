import fc from 'fast-check';
import type { SdnDict, SdnTable, SdnValue } from '../../src/sdn/index.js';

/** Strings that stress quoting: keywords, separators, escapes, lone surrogates, astral characters. */
const tricky = fc.constantFrom(
  'true', 'false', 'null', 'nil', 'table', 'a:b', 'a:', '-x', '- x', '#', '# END_NOTE', '"', '\\', '\n', '\r\n',
  '\t', '\u0000', '\u007f', '\ud800', '\udc00x', '😀', 'app.spl:10:5', 'Pair<i64, text>, i64', ' lead', 'trail ',
  'x/y.z-w_1', '1', '-1', '0x1', '', ',', '|', '[', '{', '(',
);
export const sdnString = fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), fc.string({ maxLength: 6 }), tricky);
export const sdnKey = fc.oneof(fc.constantFrom('a', 'b_c', 'x.y-z', 'true', '__proto__', 'constructor', 'id'), sdnString);

const safeMax = 2n ** 53n - 1n;
const sdnNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 53, -(2 ** 53), 1e21, 2 ** 60, -0, 0.1, 5e-324, Number.MAX_VALUE),
);
const sdnBigint = fc
  .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
  .filter((b) => b > safeMax || b < -safeMax);
export const sdnScalar: fc.Arbitrary<SdnValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  sdnNumber,
  sdnBigint,
  sdnString,
);
const columnType = fc.constantFrom('i32', 'text', 'Map<text, i32>', '[i64]', 'Option<(i32, f64)>', 'f64?');

function dictOf(value: fc.Arbitrary<SdnValue>): fc.Arbitrary<SdnDict> {
  return fc
    .uniqueArray(fc.tuple(sdnKey, value), { selector: (e) => e[0], maxLength: 4 })
    .map((entries) => new Map(entries));
}

/**
 * Random documents covering every construct: tables appear only as dict entries (the one place
 * SDN allows them), but dicts holding tables may sit inside arrays.
 */
export const sdnDocument: fc.Arbitrary<SdnDict> = fc.letrec<{
  inline: SdnValue;
  item: SdnValue;
  value: SdnValue;
  dict: SdnDict;
  table: SdnTable;
}>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small' },
    sdnScalar,
    fc.array(tie('inline'), { maxLength: 4 }),
    dictOf(tie('inline')),
  ),
  item: fc.oneof({ depthSize: 'small' }, tie('inline'), tie('dict'), fc.array(tie('item'), { maxLength: 3 })),
  value: fc.oneof(
    { depthSize: 'small' },
    sdnScalar,
    tie('table'),
    tie('dict'),
    fc.array(tie('item'), { maxLength: 4 }),
  ),
  dict: dictOf(tie('value')),
  table: fc.integer({ min: 1, max: 3 }).chain((w) =>
    fc
      .record({
        fields: fc.uniqueArray(sdnKey, { minLength: w, maxLength: w }),
        typed: fc.boolean(),
        named: fc.boolean(),
        types: fc.array(columnType, { minLength: w, maxLength: w }),
        rows: fc.array(fc.array(tie('inline'), { minLength: w, maxLength: w }), { maxLength: 4 }),
      })
      .map((r): SdnTable =>
        r.typed ? { fields: r.named ? r.fields : [], types: r.types, rows: r.rows } : { fields: r.fields, rows: r.rows },
      ),
  ),
})).dict;
