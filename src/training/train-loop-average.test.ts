// Weight averaging in a real run (trainRun, gradient workers): each epoch is scored with the
// mean of the last K epochs' raw weights (checked against predict() of a model given that
// mean, worked out here from the checkpoints' raw weights), the best epoch keeps those mean
// weights, and a run resumed from a checkpoint averages exactly as one that never stopped.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../model/config.ts';
import { buildCnn } from '../model/cnn.ts';
import { predict } from '../model/predict.ts';
import { randomArray, setBackend } from '../model/train/test-support.ts';
import { allMetrics } from './metrics.ts';
import { buildRecipe, recipeKey } from './recipe.ts';
import type { Checkpoint } from './run-state.ts';
import { trainRun, type RunControl, type RunInput } from './train-loop.ts';

const config = validateConfig({ kernelSize: 3, padding: 1, activation: 'relu', pooling: 'avg', channels: [3, 4], features: 'db', inputShape: [8, 12] });
const per = 8 * 12;
const labels = (n: number, seed: number) => Array.from(randomArray(n, seed, 1), (v) => ({ valence: v, arousal: null }));
const trainLabels = labels(10, 5);
const valLabels = labels(7, 6);
const input: RunInput = {
  train: trainLabels.map((l, i) => ({ ...l, corpus: 'c', features: randomArray(per, 20 + i, 2) })),
  val: [{ corpus: 'c', features: valLabels.map((_, i) => randomArray(per, 60 + i, 2)), labels: valLabels }],
};
// No augmentation: fixed features, so the test needs no signals.
const recipe = buildRecipe('live', { config: { features: 'db' }, augment: false, normalise: false, epochs: 4, lr: 1e-2, batchSize: 3, patience: 0, averageEpochs: 2 });

function control(checkpoints: Checkpoint[], resume: Checkpoint | null = null): RunControl {
  return {
    progress: { update: () => {}, line: () => {} },
    threads: 2,
    shouldStop: () => false,
    resume,
    recipeKey: recipeKey(recipe),
    onEpochEnd: (c) => checkpoints.push(structuredClone(c)),
  };
}

const mean = (a: readonly Float32Array[], b: readonly Float32Array[]) => a.map((x, p) => x.map((v, i) => (v + b[p][i]) / 2));

describe('trainRun with --average 2', () => {
  it('scores, chooses and keeps the mean of the last two epochs; a resumed run averages the same', async () => {
    await setBackend('wasm');
    const cps: Checkpoint[] = [];
    const run = await trainRun({ ...recipe, config }, input, control(cps));
    expect(run.history).toHaveLength(4);
    const raw = cps.map((c) => c.trainer.params);
    expect(cps.map((c) => c.recent?.length)).toEqual([1, 2, 2, 2]);

    const model = buildCnn(config);
    for (let e = 0; e < 4; e++) {
      // Epoch 1 has only itself to average; then the mean of epochs e-1 and e.
      const scored = e === 0 ? raw[0] : mean(raw[e - 1], raw[e]);
      const ws = scored.map((w, i) => tf.tensor(w, model.getWeights()[i].shape));
      model.setWeights(ws);
      tf.dispose(ws);
      const want = allMetrics(predict(model, input.val[0].features, config).valence, valLabels.map((l) => l.valence!));
      expect(run.history[e].val.ccc, `epoch ${e + 1} CCC`).toBeCloseTo(want.ccc, 5);
      expect(run.history[e].val.mse, `epoch ${e + 1} MSE`).toBeCloseTo(want.mse, 6);
      if (run.best!.epoch === e + 1) run.best!.weights.forEach((w, p) => expect(Array.from(w), `best weights ${p}`).toEqual(Array.from(scored[p])));
    }
    model.dispose();
    // Training goes on from the raw weights: the last epoch's own differ from the mean kept.
    expect(Array.from(raw[3][0])).not.toEqual(Array.from(mean(raw[2], raw[3])[0]));

    const resumedCps: Checkpoint[] = [];
    const resumed = await trainRun({ ...recipe, config }, input, control(resumedCps, cps[1]));
    expect(resumed.history.map((h) => h.val.ccc)).toEqual(run.history.map((h) => h.val.ccc));
    expect(Array.from(resumedCps.at(-1)!.recent![0][0])).toEqual(Array.from(cps.at(-1)!.recent![0][0]));
  });
});
