// The training targets of a batch: one row per sample, one column per model output
// (valence, then arousal: outputCount(config)), NaN where a label is unknown. An unknown
// label takes no part in the loss (SPEC section 3), so the loss divides by the number of
// known labels, not of samples.
import type * as tf from '@tensorflow/tfjs';

/** A batch's labels, row-major [rows, outputs], with how many of them are known. */
export interface Targets {
  values: Float32Array;
  rows: number;
  outputs: number;
  /** Labels that are not NaN. */
  known: number;
}

/** How many values are known (not NaN). */
export function countKnown(values: ArrayLike<number>): number {
  let known = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) known++;
  return known;
}

/**
 * Checks the shape of y against n samples and k outputs ([n, k]; a one-output model also
 * takes [n]) and reads its values (synchronously: they are few).
 */
export function readTargets(y: tf.Tensor, n: number, k: number): Targets {
  const ok = (y.rank === 2 && y.shape[0] === n && y.shape[1] === k) || (k === 1 && y.rank === 1 && y.shape[0] === n);
  if (!ok) {
    const want = k === 1 ? `[${n}] or [${n}, 1]` : `[${n}, ${k}]`;
    throw new Error(`expected targets ${want} (${n} samples, ${k} output${k === 1 ? '' : 's'}), got [${y.shape.join(', ')}]`);
  }
  const values = y.dataSync() as Float32Array;
  return { values, rows: n, outputs: k, known: countKnown(values) };
}

/** The labels with unknown ones set to 0, and a 0 / 1 mask of the known ones (same layout). */
export function maskUnknown(values: Float32Array): { filled: Float32Array; mask: Float32Array } {
  const filled = new Float32Array(values.length);
  const mask = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    filled[i] = values[i];
    mask[i] = 1;
  }
  return { filled, mask };
}
