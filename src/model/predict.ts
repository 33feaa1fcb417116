// Runs the CNN on Mel spectrograms: one valence number per spectrogram. Inputs are the
// row-major mels x frames arrays of Spectrogram.data; the model sees them as NHWC
// [batch, mels, frames, 1] (with one channel, NHWC is the same memory order).
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';

/** Packs spectrograms into one [batch, mels, frames, 1] tensor (caller disposes it). */
export function featuresToBatch(features: readonly Float32Array[], config: CnnConfig): tf.Tensor4D {
  const [mels, frames] = config.inputShape;
  const size = mels * frames;
  const batch = new Float32Array(features.length * size);
  features.forEach((f, b) => {
    if (f.length !== size) {
      throw new ModelError(`input ${b} has ${f.length} values, the model needs ${mels} x ${frames} = ${size}`);
    }
    // A NaN would silently turn the reading into NaN: refuse it here, where it can be named.
    const bad = f.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ModelError(`input ${b} has a non-finite value (${f[bad]}) at index ${bad}`);
    batch.set(f, b * size);
  });
  return tf.tensor4d(batch, [features.length, mels, frames, 1]);
}

function forward(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): tf.Tensor {
  return tf.tidy(() => {
    const out = model.predict(featuresToBatch(features, config));
    if (Array.isArray(out)) throw new ModelError(`model has ${out.length} outputs, expected 1`);
    return (out as tf.Tensor).reshape([-1]);
  });
}

/** Valence for each spectrogram (synchronous: blocks on the backend). */
export function predictValence(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Float32Array {
  if (features.length === 0) return new Float32Array(0);
  const out = forward(model, features, config);
  try {
    return Float32Array.from(out.dataSync() as Float32Array);
  } finally {
    out.dispose();
  }
}

/** Valence for each spectrogram, reading the result without blocking (for WebGL in a worker or page). */
export async function predictValenceAsync(
  model: tf.LayersModel,
  features: readonly Float32Array[],
  config: CnnConfig,
): Promise<Float32Array> {
  if (features.length === 0) return new Float32Array(0);
  const out = forward(model, features, config);
  try {
    return Float32Array.from((await out.data()) as Float32Array);
  } finally {
    out.dispose();
  }
}
