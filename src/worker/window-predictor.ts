// The model as the analysis loop calls it: one window's features in, valence and arousal
// out of one forward pass (arousal null for a one-output model). Synchronous for the CLI
// in Node (wasm / cpu: nothing to wait for); asynchronous in the worker, where WebGL's
// read-back must not block.
import type * as tf from '@tensorflow/tfjs';
import { predict, predictAsync, type Prediction } from '../model/predict.ts';
import type { CnnConfig } from '../model/config.ts';
import type { WindowPrediction } from './analysis-loop.ts';

const first = (p: Prediction): WindowPrediction => ({ valence: p.valence[0], arousal: p.arousal ? p.arousal[0] : null });

/** `model` (built for `config`) on one window, blocking on the backend. */
export function windowPredictor(model: tf.LayersModel, config: CnnConfig): (features: Float32Array) => WindowPrediction {
  return (features) => first(predict(model, [features], config));
}

/** `model` (built for `config`) on one window, reading the result back without blocking. */
export function windowPredictorAsync(model: tf.LayersModel, config: CnnConfig): (features: Float32Array) => Promise<WindowPrediction> {
  return async (features) => first(await predictAsync(model, [features], config));
}
