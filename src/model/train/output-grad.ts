// The last layer of the training step (dense: flat [n, F] -> out [n, K] = flat W + b), the
// squared-error loss over the known labels, and its hand-written backward. K = 1 (valence)
// or 2 (valence, arousal); unknown labels (NaN, see targets.ts) are masked out.
import * as tf from '@tensorflow/tfjs-core';
import { maskUnknown, type Targets } from './targets.ts';

export interface OutputGradients {
  /** Sum of squared errors over the known labels, divided by labelTotal. */
  loss: tf.Scalar;
  /** dLoss / dW [F, K] and dLoss / db [K]. */
  dw: tf.Tensor2D;
  db: tf.Tensor1D;
  /** dLoss / dflat [n, F]. */
  dFlat: tf.Tensor2D;
}

/**
 * Forward, loss and backward of the dense layer. labelTotal is the number of known labels in
 * the whole batch, so that shards' losses and gradients add up to the batch's. Call inside
 * tf.tidy. A batch with every label known takes no masking op at all: with one output its
 * step stays exactly what it was before masks existed (the seed preset's reproducibility).
 */
export function outputLossAndGradients(
  flat: tf.Tensor2D,
  wFc: tf.Tensor2D,
  bFc: tf.Tensor,
  targets: Targets,
  labelTotal: number,
): OutputGradients {
  const { rows: n, outputs: k } = targets;
  const out = tf.add(tf.matMul(flat, wFc), bFc);
  let diff: tf.Tensor;
  if (targets.known === targets.values.length) {
    diff = tf.sub(out, tf.tensor2d(targets.values, [n, k]));
  } else {
    // (out - 0) * 0 for an unknown label: it adds nothing to the loss or any gradient.
    const { filled, mask } = maskUnknown(targets.values);
    diff = tf.mul(tf.sub(out, tf.tensor2d(filled, [n, k])), tf.tensor2d(mask, [n, k]));
  }
  const loss = tf.div(tf.sum(tf.square(diff)), labelTotal) as tf.Scalar;
  const dOut = tf.mul(diff, 2 / labelTotal) as tf.Tensor2D; // [n, K]
  // matMul with transposeA takes a slow path on wasm; transposing first is cheap here.
  const dw = tf.matMul(tf.transpose(flat), dOut) as tf.Tensor2D;
  const db = tf.sum(dOut, 0) as tf.Tensor1D;
  return { loss, dw, db, dFlat: inputGradient(dOut, wFc) };
}

/**
 * dOut W^T [n, F] as broadcast products, one per output, summed (with one output: an outer
 * product, its inner size is 1). Not a matMul: wasm caches its XNNPACK matMul operator by
 * the B tensor's data, and a reshape of W shares W's data, so the forward's cached [F, K]
 * operator would be reused (NaNs). The per-output rows come from a transposed copy of W.
 */
function inputGradient(dOut: tf.Tensor2D, wFc: tf.Tensor2D): tf.Tensor2D {
  const [f, k] = wFc.shape;
  if (k === 1) return tf.mul(dOut, tf.reshape(wFc, [1, -1])) as tf.Tensor2D;
  const n = dOut.shape[0];
  const wT = tf.transpose(wFc); // [K, F]
  let sum: tf.Tensor | null = null;
  for (let j = 0; j < k; j++) {
    const term = tf.mul(tf.slice(dOut, [0, j], [n, 1]), tf.slice(wT, [j, 0], [1, f]));
    sum = sum === null ? term : tf.add(sum, term);
  }
  return sum as tf.Tensor2D;
}
