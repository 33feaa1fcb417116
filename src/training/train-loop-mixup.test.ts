// Mixup in a real run (trainRun): the epoch's partners come from the MIXUP_STREAM draw, each
// row's features and targets are blended by its λ, and the step is the trainer's on that
// batch, worked out here by hand from the same draws (one step of the whole set per epoch).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../model/config.ts';
import { ParallelTrainer } from '../model/train/parallel.ts';
import { randomArray, setBackend } from '../model/train/test-support.ts';
import { epochOrder } from './balance.ts';
import { drawMixes } from './mixup.ts';
import { createRng, deriveSeed } from './random.ts';
import { buildRecipe, recipeKey } from './recipe.ts';
import type { Checkpoint } from './run-state.ts';
import { MIXUP_STREAM, trainRun, type RunInput } from './train-loop.ts';

const config = validateConfig({ kernelSize: 3, padding: 1, activation: 'relu', pooling: 'avg', channels: [3, 4], features: 'db', inputShape: [8, 12], outputs: 2 });
const per = 8 * 12;
const n = 6;
const valence = Array.from(randomArray(n, 5, 1));
// One unknown arousal: a row mixed with it gets an unknown arousal target.
const arousal = [0.3, null, -0.4, 0.6, 0.1, -0.2];
const input: RunInput = {
  train: valence.map((v, i) => ({ valence: v, arousal: arousal[i], corpus: i < 4 ? 'a' : 'b', features: randomArray(per, 20 + i, 2) })),
  val: [{ corpus: 'a', features: [0, 1, 2].map((i) => randomArray(per, 60 + i, 2)), labels: [0.5, -0.5, 0.1].map((v) => ({ valence: v, arousal: null })) }],
};
const recipe = { ...buildRecipe('live', { augment: false, normalise: false, epochs: 1, lr: 1e-2, batchSize: n, patience: 0, mixup: 0.4, seed: 3 }), config };

describe('trainRun with --mixup', () => {
  it('steps on the blended batch and blended targets that its draws give', async () => {
    await setBackend('wasm');
    const cps: Checkpoint[] = [];
    await trainRun(recipe, input, {
      progress: { update: () => {}, line: () => {} },
      threads: 2,
      shouldStop: () => false,
      recipeKey: recipeKey(recipe),
      onEpochEnd: (c) => cps.push(structuredClone(c)),
    });

    const order = epochOrder(input.train.map((t) => t.corpus), recipe.balance, createRng(deriveSeed(recipe.seed, 1)));
    const mixes = drawMixes(order.length, order, 0.4, createRng(deriveSeed(recipe.seed, MIXUP_STREAM + 1)));
    const x = new Float32Array(n * per);
    const y = new Float32Array(n * 2);
    order.forEach((k, j) => {
      const { partner: p, lambda: l } = mixes[j];
      const own = input.train[k].features!;
      const other = input.train[p].features!;
      for (let i = 0; i < per; i++) x[j * per + i] = l * own[i] + (1 - l) * other[i];
      y[2 * j] = l * valence[k] + (1 - l) * valence[p];
      const a = arousal[k];
      const b = arousal[p];
      y[2 * j + 1] = a === null || b === null ? NaN : l * a + (1 - l) * b;
    });
    const trainer = await ParallelTrainer.create(config, { threads: 2, lr: recipe.lr, seed: recipe.seed + 1 });
    const xT = tf.tensor4d(x, [n, 8, 12, 1]);
    const yT = tf.tensor2d(y, [n, 2]);
    await trainer.step(xT, yT);
    tf.dispose([xT, yT]);
    const want = trainer.params;
    cps[0].trainer.params.forEach((got, p) => {
      for (let i = 0; i < got.length; i++) expect(got[i], `params[${p}][${i}]`).toBeCloseTo(want[p][i], 6);
    });
    await trainer.close();
  });
});
