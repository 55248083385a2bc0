/**
 * The seed of a randomised test: `FUZZ_SEED` from the environment when set (to replay a
 * failure), else `fallback`. Every failure message names the seed it ran with.
 */
export function fuzzSeed(fallback: number): number {
  const s = process.env.FUZZ_SEED;
  return s === undefined || s === '' ? fallback : Number(s);
}
