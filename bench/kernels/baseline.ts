/**
 * The same kernels in plain JavaScript, written as a JavaScript programmer would: typed arrays,
 * numbers for the integers of the sort (the generator keeps them below 2^31, exact in a double).
 */

export function sortJs(n: number): number {
  const xs = new Float64Array(n);
  let s = 42;
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    xs[i] = s;
  }
  const insertion = (lo: number, hi: number): void => {
    for (let i = lo + 1; i <= hi; i++) {
      const v = xs[i];
      let j = i - 1;
      while (j >= lo && xs[j] > v) {
        xs[j + 1] = xs[j];
        j--;
      }
      xs[j + 1] = v;
    }
  };
  const quicksort = (lo: number, hi: number): void => {
    if (hi - lo < 16) return insertion(lo, hi);
    const p = xs[Math.trunc((lo + hi) / 2)];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i] < p) i++;
      while (xs[j] > p) j--;
      if (i <= j) {
        const t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (lo < j) quicksort(lo, j);
    if (i < hi) quicksort(i, hi);
  };
  quicksort(0, n - 1);
  let ok = 0;
  for (let k = 1; k < n; k++) if (xs[k - 1] <= xs[k]) ok++;
  return ok + (xs[Math.trunc(n / 2)] % 1000);
}

export function matmulJs(n: number): number {
  const matrix = (seed: number): Float64Array => {
    const m = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) m[i] = ((i * 7 + 3) % 13) * seed;
    return m;
  };
  const a = matrix(0.5);
  const b = matrix(0.25);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  let sum = 0;
  for (let i = 0; i < n * n; i++) sum += c[i];
  return sum;
}

export function dotJs(n: number): number {
  const vector = (scale: number): Float32Array => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (i % 17) * scale;
    return v;
  };
  const a = vector(0.5);
  const b = vector(0.25);
  // Four f32 lane accumulators, as the SIMD version keeps.
  const f = Math.fround;
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  for (let i = 0; i < n; i += 4) {
    l0 = f(l0 + f(a[i] * b[i]));
    l1 = f(l1 + f(a[i + 1] * b[i + 1]));
    l2 = f(l2 + f(a[i + 2] * b[i + 2]));
    l3 = f(l3 + f(a[i + 3] * b[i + 3]));
  }
  return f(f(f(l0 + l1) + l2) + l3);
}

interface TreeNode {
  readonly left: TreeNode | null;
  readonly right: TreeNode | null;
}

/** Binary trees (the Benchmarks Game algorithm), as binarytrees.spl: the checksum of every tree. */
export function binaryTreesJs(n: number): number {
  const bottomUp = (depth: number): TreeNode =>
    depth === 0 ? { left: null, right: null } : { left: bottomUp(depth - 1), right: bottomUp(depth - 1) };
  const check = (t: TreeNode): number => (t.left === null ? 1 : 1 + check(t.left) + check(t.right!));
  const maxDepth = Math.max(6, n);
  let total = check(bottomUp(maxDepth + 1));
  const longLived = bottomUp(maxDepth);
  for (let depth = 4; depth <= maxDepth; depth += 2) {
    const iterations = 1 << (maxDepth - depth + 4);
    let sum = 0;
    for (let i = 0; i < iterations; i++) sum += check(bottomUp(depth));
    total += sum;
  }
  return total + check(longLived);
}
