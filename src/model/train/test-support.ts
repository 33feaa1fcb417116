// Helpers for the training tests: seeded data, running a computation on a chosen backend
// and reading its results back, and a plain reference model built from stock TF.js ops
// whose gradients come from tf.grads (the cpu backend's kernels).
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../config.ts';
import { useWasmBackend } from '../backend.ts';

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // xorshift32: independent of the trainer's own PRNG.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const r = seededRandom(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * r() - 1) * scale;
  return a;
}

export async function setBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm') await useWasmBackend();
  else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
}

/** Runs fn on a backend and returns copies of its outputs' values; disposes everything. */
export async function runOn(name: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await setBackend(name);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}

/** The CNN with stock ops: explicit tf.pad, conv2d, activation, pool, flatten (NHWC), dense. */
export function referenceForward(config: CnnConfig, params: tf.Tensor[], x: tf.Tensor4D): tf.Tensor2D {
  const p = config.padding;
  let h = x;
  config.channels.forEach((_, i) => {
    const padded = tf.pad(h, [[0, 0], [p, p], [p, p], [0, 0]]);
    const z = tf.add(tf.conv2d(padded, params[2 * i] as tf.Tensor4D, 1, 'valid'), params[2 * i + 1]) as tf.Tensor4D;
    const a = config.activation === 'relu' ? tf.relu(z) : tf.sigmoid(z);
    h = config.pooling === 'avg' ? tf.avgPool(a, 2, 2, 'valid') : tf.maxPool(a, 2, 2, 'valid');
  });
  const nb = config.channels.length;
  // The 'time-mean' head as TF.js's own mean; its gradient comes from tf.grads.
  const pooled = config.head === 'time-mean' ? tf.mean(h, 2, true) : h;
  const flat = tf.reshape(pooled, [x.shape[0], -1]) as tf.Tensor2D;
  return tf.add(tf.matMul(flat, params[2 * nb] as tf.Tensor2D), params[2 * nb + 1]) as tf.Tensor2D;
}

/** MSE loss and its gradients (tf.grads) of referenceForward. */
export function referenceGradients(config: CnnConfig, params: tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor): tf.Tensor[] {
  const n = x.shape[0];
  const f = (...ps: tf.Tensor[]) => tf.mean(tf.square(tf.sub(referenceForward(config, ps, x), tf.reshape(y, [n, 1])))) as tf.Scalar;
  const { value, grads } = tf.valueAndGrads(f)(params);
  return [value, ...grads];
}

/**
 * The masked loss of a one- or two-output model with stock ops, and its gradients (tf.grads):
 * sum of squared errors over the labels that are not NaN / their count, the unknown ones
 * dropped by tf.where (not by a 0 / 1 mask, as the fast path does). y is [n, K].
 */
export function referenceMaskedGradients(config: CnnConfig, params: tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D): tf.Tensor[] {
  const known = tf.logicalNot(tf.isNaN(y));
  const count = tf.sum(tf.cast(known, 'float32'));
  const f = (...ps: tf.Tensor[]) => {
    const out = referenceForward(config, ps, x);
    const err = tf.where(known, tf.sub(out, y), tf.zerosLike(out));
    return tf.div(tf.sum(tf.square(err)), count) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(params);
  return [value, ...grads];
}
