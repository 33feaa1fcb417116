// Comparing a computed signal with a reference one (torchaudio / PyTorch fixtures, or
// another path through the port): the largest absolute difference and the largest value,
// the two numbers SPEC section 5's tolerances are stated in.

/**
 * max |a[i] - b[i]|; a NaN on either side counts as infinitely far, so it can never pass a
 * tolerance. Refuses arrays of different lengths (a length mismatch is never "close").
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cannot compare ${a.length} values with ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The largest value (-Infinity for an empty array), e.g. the scale of a relative error. */
export function maxValue(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}
