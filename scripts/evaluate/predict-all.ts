// A model's readings of many clips' features, a batch at a time (evaluate's scoring).
import type * as tf from '@tensorflow/tfjs';
import { outputCount, type CnnConfig } from '../../src/model/config.ts';
import { predict, type Prediction } from '../../src/model/predict.ts';

/** Spectrograms per model call. */
const BATCH = 16;

/** Valence (and arousal for a two-output model) of each of `features`, in order. */
export function predictAll(model: tf.LayersModel, features: readonly Float32Array[], config: CnnConfig): Prediction {
  const valence = new Float32Array(features.length);
  const arousal = outputCount(config) === 2 ? new Float32Array(features.length) : null;
  for (let start = 0; start < features.length; start += BATCH) {
    const out = predict(model, features.slice(start, start + BATCH), config);
    valence.set(out.valence, start);
    if (arousal && out.arousal) arousal.set(out.arousal, start);
  }
  return { valence, arousal };
}
