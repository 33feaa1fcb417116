// Runs the CNN on Mel spectrograms: valence (and arousal, for a two-output model) per
// spectrogram. Inputs are the row-major mels x frames arrays of Spectrogram.data; the model
// sees them as NHWC [batch, mels, frames, 1] (with one channel, NHWC is the same memory order).
//
// The forward pass is the training step's (train/train-step.ts), on the model's own weight
// tensors, not tf.LayersModel.predict: the layers model pads each block's input by 7 and
// convolves the padding too, while the step's convolution skips the output border that sees
// only padding (a third of the work) and, on wasm and cpu, runs blocks 2-4 as Winograd
// F(4, 5) along time with scratch arrays kept per model. Measured at batch 1 (seed model,
// wasm, 1 thread): 26 ms against 40 ms for LayersModel.predict (npm run bench prints both). On WebGL and
// WebGPU the Winograd transforms would read the tensors back to JS, so there the direct
// convolutions run, all on the GPU. The numbers are the layers model's to about 1e-7.
import * as tf from '@tensorflow/tfjs';
import { outputCount, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { forward as stepForward } from './train/train-step.ts';
import { WinogradWorkspace } from './train/winograd.ts';

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

/** What a model reads from each spectrogram; arousal is null for a one-output model. */
export interface Prediction {
  valence: Float32Array;
  arousal: Float32Array | null;
}

/** Scratch arrays of the Winograd forward, one set per model, for the live path's small batches. */
const workspaces = new WeakMap<tf.LayersModel, WinogradWorkspace>();
/** Larger batches (analyze, evaluate) take fresh arrays: a kept set would hold their size. */
const WORKSPACE_MAX_BATCH = 4;

/** Backends where the Winograd transforms run in JS on the tensors' values without a GPU read-back. */
const winogradBackend = () => {
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
};

/** The model's raw [batch, outputs] output (caller disposes it). */
function forward(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): tf.Tensor {
  const params = model.getWeights();
  const expected = 2 * config.channels.length + 2;
  if (params.length !== expected) throw new ModelError(`model has ${params.length} weight tensors, a ${config.channels.length}-block config needs ${expected}`);
  let workspace: WinogradWorkspace | undefined;
  const fast = winogradBackend();
  if (fast && features.length <= WORKSPACE_MAX_BATCH) {
    workspace = workspaces.get(model);
    if (!workspace) workspaces.set(model, (workspace = new WinogradWorkspace()));
  }
  return tf.tidy(() => {
    const t = stepForward(config, params, featuresToBatch(features, config), fast ? {} : { winograd: 0 }, workspace);
    const k = outputCount(config);
    if (t.size !== features.length * k) throw new ModelError(`model gives ${t.size / features.length} value(s) per input, its config says ${k}`);
    return t.reshape([-1]);
  });
}

/** Splits the flat [batch x outputs] values into the named outputs. */
function split(values: Float32Array, config: CnnConfig): Prediction {
  const k = outputCount(config);
  if (k === 1) return { valence: Float32Array.from(values), arousal: null };
  const n = values.length / k;
  const valence = new Float32Array(n);
  const arousal = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    valence[i] = values[i * k];
    arousal[i] = values[i * k + 1];
  }
  return { valence, arousal };
}

const EMPTY: Prediction = Object.freeze({ valence: new Float32Array(0), arousal: null });

/** Valence and arousal for each spectrogram (synchronous: blocks on the backend). */
export function predict(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Prediction {
  if (features.length === 0) return { ...EMPTY, arousal: outputCount(config) === 2 ? new Float32Array(0) : null };
  const out = forward(model, features, config);
  try {
    return split(out.dataSync() as Float32Array, config);
  } finally {
    out.dispose();
  }
}

/** Valence and arousal for each spectrogram, reading the result without blocking (for WebGL in a worker or page). */
export async function predictAsync(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Promise<Prediction> {
  if (features.length === 0) return { ...EMPTY, arousal: outputCount(config) === 2 ? new Float32Array(0) : null };
  const out = forward(model, features, config);
  try {
    return split((await out.data()) as Float32Array, config);
  } finally {
    out.dispose();
  }
}

/** Valence for each spectrogram (synchronous: blocks on the backend). */
export function predictValence(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Float32Array {
  return predict(model, features, config).valence;
}

/** Valence for each spectrogram, without blocking. */
export async function predictValenceAsync(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Promise<Float32Array> {
  return (await predictAsync(model, features, config)).valence;
}
