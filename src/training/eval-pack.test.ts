// Scores from packed sets' outputs (the gradient workers' forward pass): each set's rows of
// the outputs, scored per dimension over its known labels, equal knownMetrics of that set's
// own predict() outputs.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildCnn } from '../model/cnn.ts';
import { validateConfig, type CnnConfig } from '../model/config.ts';
import { predict } from '../model/predict.ts';
import { createRng } from './random.ts';
import { packEvalSets, scorePrediction, setPrediction } from './eval-pack.ts';
import type { EvalSet } from './score.ts';
import { knownMetrics } from './metrics.ts';
import type * as tfTypes from '@tensorflow/tfjs';

/** The reference: predict() on one set, metrics over its known labels. */
function reference(model: tfTypes.LayersModel, config: CnnConfig, s: EvalSet) {
  const p = predict(model, s.features, config);
  return {
    corpus: s.corpus,
    clips: s.labels.length,
    valence: knownMetrics(p.valence, s.labels.map((l) => l.valence)),
    arousal: p.arousal ? knownMetrics(p.arousal, s.labels.map((l) => l.arousal)) : null,
  };
}

const base = { kernelSize: 3, padding: 1, activation: 'relu', pooling: 'avg', channels: [2], features: 'db', inputShape: [4, 6] } as const;
const PER = 24;

function set(corpus: string, n: number, seed: number, arousal: boolean): EvalSet {
  const r = createRng(seed);
  return {
    corpus,
    features: Array.from({ length: n }, () => Float32Array.from({ length: PER }, () => 2 * r() - 1)),
    labels: Array.from({ length: n }, (_, i) => ({ valence: i % 5 === 4 ? null : 2 * r() - 1, arousal: arousal ? 2 * r() - 1 : null })),
  };
}

describe('packEvalSets / setPrediction / scorePrediction', () => {
  for (const outputs of [1, 2] as const) {
    it(`give the reference scores from the packed outputs (${outputs} output${outputs === 1 ? '' : 's'})`, async () => {
      await tf.setBackend('cpu');
      const config: CnnConfig = validateConfig({ ...base, channels: [2], outputs });
      const model = buildCnn(config);
      const sets = [set('a', 7, 1, outputs === 2), set('b', 0, 2, false), set('c', 5, 3, outputs === 2)];
      const pack = packEvalSets(sets, PER);
      expect(pack.n).toBe(12);
      expect(pack.x.buffer).toBeInstanceOf(SharedArrayBuffer);
      // The outputs the workers would return: predict() of the packed rows, [n, outputs].
      const p = predict(model, sets.flatMap((s) => s.features), config);
      const flat = new Float32Array(pack.n * outputs);
      for (let i = 0; i < pack.n; i++) {
        flat[i * outputs] = p.valence[i];
        if (p.arousal) flat[i * outputs + 1] = p.arousal[i];
      }
      sets.forEach((s, i) => {
        if (s.features.length === 0) return;
        expect(scorePrediction(s, setPrediction(pack, i, flat, outputs))).toEqual(reference(model, config, s));
      });
      model.dispose();
    });
  }

  it('refuses features of the wrong size or with a non-finite value, naming the corpus', () => {
    const s = set('a', 2, 4, false);
    expect(() => packEvalSets([s], PER + 1)).toThrow(/a: input 0 has 24 values/);
    s.features[1][3] = NaN;
    expect(() => packEvalSets([s], PER)).toThrow(/a: input 1 has a non-finite value \(NaN\) at index 3/);
  });
});
