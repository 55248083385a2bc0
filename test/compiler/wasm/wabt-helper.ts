// Shared by the wasm encoder tests: wabt as an independent reference assembler/disassembler.
type Wabt = Awaited<ReturnType<typeof import('wabt')>>;

let wabtPromise: Promise<Wabt> | undefined;

export function getWabt(): Promise<Wabt> {
  wabtPromise ??= import('wabt').then((m) => m.default());
  return wabtPromise;
}

export const features = {
  simd: true,
  sat_float_to_int: true,
  sign_extension: true,
  mutable_globals: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  tail_call: true,
  threads: true,
};

export async function wat2wasm(text: string, writeDebugNames = false): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await getWabt();
  const m = wabt.parseWat('test.wat', text, features);
  try {
    return new Uint8Array(m.toBinary({ write_debug_names: writeDebugNames, canonicalize_lebs: true }).buffer);
  } finally {
    m.destroy();
  }
}

/** Readable text of a binary, for failure messages. */
export async function wasm2wat(bytes: Uint8Array): Promise<string> {
  const wabt = await getWabt();
  try {
    const m = wabt.readWasm(bytes, { readDebugNames: true, check: false, ...features });
    try {
      return m.toText({ foldExprs: false, inlineExport: false });
    } finally {
      m.destroy();
    }
  } catch (e) {
    return `<wabt could not read the module: ${String(e)}>`;
  }
}

function readU32(bytes: Uint8Array, pos: { p: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos.p++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
  }
}

/** Sections of a module as [id, payload] pairs, in file order. */
export function sections(bytes: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  const pos = { p: 8 };
  while (pos.p < bytes.length) {
    const id = bytes[pos.p++];
    const size = readU32(bytes, pos);
    out.push([id, bytes.subarray(pos.p, pos.p + size)]);
    pos.p += size;
  }
  return out;
}

/** Each function body (locals + code + end, no size prefix) of a module's code section. */
export function codeBodies(bytes: Uint8Array): Uint8Array[] {
  const code = sections(bytes).find(([id]) => id === 10);
  if (!code) return [];
  const payload = code[1];
  const pos = { p: 0 };
  const n = readU32(payload, pos);
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const size = readU32(payload, pos);
    bodies.push(payload.subarray(pos.p, pos.p + size));
    pos.p += size;
  }
  return bodies;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Validate with the engine and, on failure, include wabt's text in the assertion message. */
export async function expectValid(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  if (WebAssembly.validate(bytes)) return;
  let reason = '';
  try {
    new WebAssembly.Module(bytes);
  } catch (e) {
    reason = String(e);
  }
  throw new Error(`module does not validate: ${reason}\n${await wasm2wat(bytes)}`);
}

export function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}
