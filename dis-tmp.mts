import { SmfReader } from './src/smf/reader.ts';
const r = SmfReader.openSync(process.argv[2]);
const wabt = await (await import('wabt')).default();
function strip(d: Uint8Array): Uint8Array {
  const out: number[] = [...d.subarray(0, 8)]; let p = 8;
  const leb = () => { let v = 0, s = 0, b; do { b = d[p++]; v |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return v; };
  while (p < d.length) { const st = p; const id = d[p++]; const n = leb(); const end = p + n; if (id !== 0) out.push(...d.subarray(st, end)); p = end; }
  return new Uint8Array(out);
}
r.sections.forEach((s: any, i: number) => {
  const d = r.sectionData(i);
  if (d[0] === 0 && d[1] === 0x61) {
    const m = wabt.readWasm(strip(d), { readDebugNames: false, features: { simd: true, threads: true, tail_call: true, multi_value: true, bulk_memory: true, reference_types: true, sat_float_to_int: true, sign_extension: true } as any });
    m.generateNames(); m.applyNames();
    console.log(m.toText({}));
  }
});
