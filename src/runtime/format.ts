/**
 * Text forms of numbers, as `print` and string interpolation show them (LANGUAGE.md):
 * integers in decimal; floats in the shortest form that reads back to the same value of their
 * type, with `.0` when integral. Done on the host because JavaScript already computes the
 * shortest round-trip digits for f64 (ECMA-262 Number::toString); f32 searches the shortest
 * precision that survives a round trip through `Math.fround`.
 */

/** Formats an f64 value. */
export function formatF64(x: number): string {
  return normalize(x, String(x));
}

/** Formats a value that is exactly representable as an f32. */
export function formatF32(x: number): string {
  if (!Number.isFinite(x)) return normalize(x, String(x));
  let digits = String(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = x.toPrecision(p);
    if (Math.fround(Number(candidate)) === x) {
      // Re-print through Number so the layout (fixed or exponent) matches the f64 rules.
      digits = String(Number(candidate));
      break;
    }
  }
  return normalize(x, digits);
}

function normalize(x: number, digits: string): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  if (digits.includes('e')) {
    // 1e+21 → 1e21; a mantissa without a fraction keeps its form (1e21, 1.5e-7).
    return digits.replace('e+', 'e');
  }
  return digits.includes('.') ? digits : digits + '.0';
}
