// The Winograd F(m, r) matrices for a 1-D correlation of m outputs with an r-tap filter, from
// the modified Toom-Cook construction. Pure arithmetic: winograd-codegen.ts turns them into
// the straight-line transforms the training step runs (winograd.ts).

/** The Winograd F(m, r) matrices (rows as arrays): AT [m][alpha], G [alpha][r], BT [alpha][alpha]. */
export interface WinogradMatrices {
  m: number;
  r: number;
  alpha: number;
  AT: number[][];
  G: number[][];
  BT: number[][];
}

/** Interpolation points by alpha - 1: small magnitudes first (float32 error grows with them). */
const POINTS: Record<number, number[]> = {
  3: [0, 1],
  4: [0, 1, -1],
  5: [0, 1, -1, 2],
  6: [0, 1, -1, 2, -2],
  7: [0, 1, -1, 2, -2, 0.5],
  8: [0, 1, -1, 2, -2, 0.5, -0.5],
};

/** The most phases of any tile: F(m, r) exists for m + r - 1 up to this. */
export const MAX_WINOGRAD_ALPHA = Math.max(...Object.keys(POINTS).map(Number));

/** Whether winogradMatrices(m, r) exists (m >= 1, r >= 2, points for alpha = m + r - 1). */
export function hasWinogradPoints(m: number, r: number): boolean {
  return m >= 1 && r >= 2 && POINTS[m + r - 1] !== undefined;
}

function polyMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
  return out;
}

/**
 * F(m, r) for the correlation y[o] = sum_b g[b] d[o + b] (o < m, b < r), from the modified
 * Toom-Cook construction: transposing the polynomial-product algorithm (evaluate at the
 * points and at infinity, multiply, interpolate) gives y = AT [(G g) * (BT d)].
 */
export function winogradMatrices(m: number, r: number): WinogradMatrices {
  const alpha = m + r - 1;
  const pts = POINTS[alpha];
  if (!pts || m < 1 || r < 2) throw new Error(`no Winograd points for F(${m}, ${r})`);
  // AT: evaluation of the m-coefficient polynomial (transposed); last column = infinity.
  const AT = Array.from({ length: m }, (_, o) => [...pts.map((p) => p ** o), o === m - 1 ? 1 : 0]);
  // G: evaluation of the filter polynomial, scaled by the Lagrange denominators.
  const G = [
    ...pts.map((p, i) => {
      const f = pts.reduce((acc, q, j) => (j === i ? acc : acc * (p - q)), 1);
      return Array.from({ length: r }, (_, b) => p ** b / f);
    }),
    Array.from({ length: r }, (_, b) => (b === r - 1 ? 1 : 0)),
  ];
  // BT: Lagrange numerators prod_{j != i} (x - p_j), and prod_j (x - p_j) for infinity.
  const BT = pts.map((_, i) => {
    let poly = [1];
    pts.forEach((q, j) => {
      if (j !== i) poly = polyMul(poly, [-q, 1]);
    });
    return [...poly, 0];
  });
  let full = [1];
  for (const q of pts) full = polyMul(full, [-q, 1]);
  BT.push(full);
  return { m, r, alpha, AT, G, BT };
}
