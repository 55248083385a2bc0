/**
 * The WebAssembly engine's implementation limits (V8's, which Node runs), checked on a module
 * before anyone hands it to the engine, so that a program over one gets a diagnostic at its
 * source instead of "WebAssembly.Module(): … exceeds internal limit" from the engine.
 *
 * Only what the compiler can produce is checked: parameters and results of a function type,
 * locals of a body (its parameters included, as the engine counts them), the size of a body,
 * and the numbers of types, imports, functions and exports.
 */

export const ENGINE_LIMITS = Object.freeze({
  params: 1000,
  results: 1000,
  /** Parameters plus declared locals of one function. */
  locals: 50_000,
  /** Bytes of one function body (its locals declaration included). */
  functionSize: 7_654_321,
  types: 1_000_000,
  imports: 100_000,
  functions: 1_000_000,
  exports: 100_000,
});

/** Where a violation is: a function (imported or defined, by its index among those), or the module. */
export type LimitSubject = { readonly kind: 'import'; readonly index: number; readonly field: string } | { readonly kind: 'defined'; readonly index: number } | { readonly kind: 'module' };

export interface LimitViolation {
  readonly subject: LimitSubject;
  /** What is over which limit, without the function's name (the caller knows it). */
  readonly message: string;
}

class Cursor {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  u8(): number {
    if (this.at >= this.bytes.length) throw new RangeError('truncated');
    return this.bytes[this.at++];
  }
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new RangeError('bad LEB128');
  }
  skip(n: number): void {
    this.at += n;
  }
  /** A value type: one byte, or a reference type with its heap type. */
  valType(): void {
    const t = this.u8();
    if (t === 0x63 || t === 0x64) this.s33();
  }
  s33(): void {
    while (this.u8() & 0x80);
  }
  limits(): void {
    const flags = this.u8();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/**
 * The engine limits `wasm` (a module this compiler encoded) is over; empty when the engine will
 * accept it as far as these limits go.
 */
export function engineLimitViolations(wasm: Uint8Array): LimitViolation[] {
  const L = ENGINE_LIMITS;
  const out: LimitViolation[] = [];
  const over = (subject: LimitSubject, message: string): void => {
    out.push({ subject, message });
  };
  const c = new Cursor(wasm);
  c.skip(8);
  const types: Array<{ params: number; results: number }> = [];
  const importedTypes: Array<{ field: string; type: number }> = [];
  const definedTypes: number[] = [];
  while (c.at < wasm.length) {
    const id = c.u8();
    const size = c.u32();
    const end = c.at + size;
    if (id === 1) {
      const n = c.u32();
      if (n > L.types) over({ kind: 'module' }, `${n} function types, over the engine's limit of ${L.types}`);
      for (let i = 0; i < n; i++) {
        c.u8(); // 0x60
        const params = c.u32();
        for (let k = 0; k < params; k++) c.valType();
        const results = c.u32();
        for (let k = 0; k < results; k++) c.valType();
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = c.u32();
      if (n > L.imports) over({ kind: 'module' }, `${n} imports, over the engine's limit of ${L.imports}`);
      const text = new TextDecoder();
      for (let i = 0; i < n; i++) {
        c.skip(c.u32());
        const len = c.u32();
        const field = text.decode(wasm.subarray(c.at, c.at + len));
        c.skip(len);
        const kind = c.u8();
        if (kind === 0) importedTypes.push({ field, type: c.u32() });
        else if (kind === 1) {
          c.valType();
          c.limits();
        } else if (kind === 2) c.limits();
        else if (kind === 3) {
          c.valType();
          c.u8();
        } else c.u32();
      }
    } else if (id === 3) {
      const n = c.u32();
      if (n > L.functions) over({ kind: 'module' }, `${n} functions, over the engine's limit of ${L.functions}`);
      for (let i = 0; i < n; i++) definedTypes.push(c.u32());
    } else if (id === 7) {
      const n = c.u32();
      if (n > L.exports) over({ kind: 'module' }, `${n} exports, over the engine's limit of ${L.exports}`);
    } else if (id === 10) {
      const n = c.u32();
      for (let i = 0; i < n; i++) {
        const bodySize = c.u32();
        const bodyEnd = c.at + bodySize;
        const subject: LimitSubject = { kind: 'defined', index: i };
        if (bodySize > L.functionSize) {
          over(subject, `its code is ${bodySize} bytes, over the engine's limit of ${L.functionSize} bytes for one function; split it into smaller functions`);
        }
        let locals = types[definedTypes[i]]?.params ?? 0;
        const groups = c.u32();
        for (let g = 0; g < groups; g++) {
          locals += c.u32();
          c.valType();
        }
        if (locals > L.locals) {
          over(subject, `it needs ${locals} locals (parameters and the compiler's temporaries included), over the engine's limit of ${L.locals}; split it into smaller functions`);
        }
        c.at = bodyEnd;
      }
    }
    c.at = end;
  }
  const signature = (subject: LimitSubject, type: number): void => {
    const t = types[type];
    if (!t) return;
    if (t.params > L.params) over(subject, `it has ${t.params} parameters in WebAssembly, over the engine's limit of ${L.params}`);
    if (t.results > L.results) over(subject, `it has ${t.results} results in WebAssembly, over the engine's limit of ${L.results}`);
  };
  importedTypes.forEach((imp, index) => signature({ kind: 'import', index, field: imp.field }, imp.type));
  definedTypes.forEach((type, index) => signature({ kind: 'defined', index }, type));
  // A type no function has is that of an indirect call: the call is what the engine refuses.
  const ofFunctions = new Set([...importedTypes.map((i) => i.type), ...definedTypes]);
  types.forEach((t, index) => {
    if (ofFunctions.has(index) || (t.params <= L.params && t.results <= L.results)) return;
    over({ kind: 'module' }, `a call to a function of ${t.params} parameters and ${t.results} results, over the engine's limit of ${L.params} of each`);
  });
  return out;
}
