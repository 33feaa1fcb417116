// The gradient workers' forward pass (ParallelTrainer.predict, used to score validation)
// gives what the main thread's predict() gives for a LayersModel with the same weights, for
// one and two outputs, over uneven shards and several forward batches, and refuses to run
// beside a step.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type CnnConfig } from '../config.ts';
import { buildCnn } from '../cnn.ts';
import { predict } from '../predict.ts';
import { ParallelTrainer } from './parallel.ts';
import { randomArray, setBackend } from './test-support.ts';

const configs: [string, CnnConfig][] = [
  ['k3 p4 relu avg, one output', validateConfig({ kernelSize: 3, padding: 4, activation: 'relu', pooling: 'avg', channels: [3, 4], features: 'power', inputShape: [10, 13] })],
  [
    'k5 p7 sigmoid max, two outputs',
    validateConfig({ kernelSize: 5, padding: 7, activation: 'sigmoid', pooling: 'max', channels: [2, 3, 4], features: 'db', inputShape: [16, 21], outputs: 2 }),
  ],
];

/** 37 inputs: shards of 19 and 18, each more than one forward batch. */
const N = 37;

describe('ParallelTrainer.predict', () => {
  const open: ParallelTrainer[] = [];
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  for (const [name, config] of configs) {
    it(`equals predict() of the model with the same weights: ${name}`, async () => {
      await setBackend('wasm');
      const [h, w] = config.inputShape;
      const k = config.outputs ?? 1;
      const par = await ParallelTrainer.create(config, { seed: 11, lr: 1e-2, threads: 2 });
      open.push(par);
      // One step first, so the workers read parameters that Adam changed in place.
      const x0 = tf.tensor4d(randomArray(4 * h * w, 12), [4, h, w, 1]);
      const y0 = k === 1 ? tf.tensor1d(randomArray(4, 13)) : tf.tensor2d(randomArray(8, 13), [4, 2]);
      await par.step(x0, y0);
      tf.dispose([x0, y0]);

      const features = Array.from({ length: N }, (_, i) => randomArray(h * w, 100 + i, 3));
      const model = buildCnn(config);
      const ws = par.weightTensors();
      model.setWeights(ws);
      tf.dispose(ws);
      const want = predict(model, features, config);
      model.dispose();

      const plain = new Float32Array(N * h * w);
      features.forEach((f, i) => plain.set(f, i * h * w));
      const shared = new Float32Array(new SharedArrayBuffer(plain.byteLength));
      shared.set(plain);
      for (const [what, x] of [['plain', plain], ['shared', shared]] as const) {
        const got = await par.predict(x, N);
        expect(got.length, what).toBe(N * k);
        for (let i = 0; i < N; i++) {
          expect(Math.abs(got[i * k] - want.valence[i]), `${what} valence ${i}`).toBeLessThan(1e-5);
          if (k === 2) expect(Math.abs(got[i * k + 1] - want.arousal![i]), `${what} arousal ${i}`).toBeLessThan(1e-5);
        }
      }
      expect(want.arousal === null).toBe(k === 1);
    });
  }

  it('checks its input and does not overlap a step', async () => {
    await setBackend('wasm');
    const config = configs[0][1];
    const [h, w] = config.inputShape;
    const par = await ParallelTrainer.create(config, { threads: 2 });
    open.push(par);
    await expect(par.predict(new Float32Array(3 * h * w - 1), 3)).rejects.toThrow(/are not 3 inputs/);
    const x = tf.tensor4d(randomArray(2 * h * w, 5), [2, h, w, 1]);
    const y = tf.tensor1d([0.1, -0.2]);
    const step = par.step(x, y);
    await expect(par.predict(new Float32Array(h * w), 1)).rejects.toThrow(/has not finished/);
    await step;
    expect((await par.predict(new Float32Array(h * w), 1)).length).toBe(1);
    expect((await par.predict(new Float32Array(0), 0)).length).toBe(0);
    tf.dispose([x, y]);
  });
});
