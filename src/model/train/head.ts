// The head between the last convolution block and the linear layer, forward and backward,
// for the training step: 'flatten' passes the map on; 'time-mean' averages it over time
// (cnn.ts's "timepool" layer), so its gradient spreads evenly back over the time axis.
import * as tf from '@tensorflow/tfjs-core';
import { headOf, type CnnConfig } from '../config.ts';

/** The map [N, H, W, C] the linear layer reads (flattened): itself, or its mean over W [N, H, 1, C]. */
export function headForward(config: CnnConfig, h: tf.Tensor4D): tf.Tensor4D {
  return headOf(config) === 'time-mean' ? tf.mean(h, 2, true) : h;
}

/** The gradient at the last map, from the gradient at headForward's output (shape of `out`). */
export function headBackward(config: CnnConfig, dOut: tf.Tensor4D, h: tf.Tensor4D): tf.Tensor4D {
  if (headOf(config) !== 'time-mean') return dOut;
  return tf.mul(tf.broadcastTo(dOut, h.shape), 1 / h.shape[2]) as tf.Tensor4D;
}
