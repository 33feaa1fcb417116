// The report's rule for whole clips: zero-pad at the end, or keep the first n samples.
import { WINDOW_LENGTH } from './params.ts';
import { SignalError } from './validate.ts';

/** A new array of exactly `n` samples: x's first n, zero-padded at the end if short. */
export function fixLength(x: Float32Array, n: number = WINDOW_LENGTH): Float32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new SignalError(`target length must be a whole number >= 0, got ${n}`);
  }
  const out = new Float32Array(n);
  out.set(x.length > n ? x.subarray(0, n) : x);
  return out;
}
