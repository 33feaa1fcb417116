// The data-parallel step (a worker thread with its own wasm instance) gives the same
// parameters as the single-thread step, reports errors, and its workers exit.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config.ts';
import { ParallelTrainer, shardSizes } from './parallel.ts';
import { Trainer } from './train-step.ts';
import { randomArray, setBackend } from './test-util.ts';

const config = validateConfig({
  kernelSize: 3,
  padding: 4,
  activation: 'relu',
  pooling: 'avg',
  channels: [3, 4],
  features: 'power',
  inputShape: [10, 13],
});
const [H, W] = config.inputShape;
const N = 5;

describe('shardSizes', () => {
  it('splits evenly, never into empty shards', () => {
    expect(shardSizes(4, 2)).toEqual([2, 2]);
    expect(shardSizes(5, 2)).toEqual([3, 2]);
    expect(shardSizes(1, 3)).toEqual([1]);
  });
});

describe('ParallelTrainer', () => {
  const open: ParallelTrainer[] = [];
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  it('matches the single-thread trainer over three steps', async () => {
    await setBackend('wasm');
    const single = new Trainer(config, { seed: 7, lr: 1e-3 });
    const par = await ParallelTrainer.create(config, { seed: 7, lr: 1e-3, threads: 3 });
    open.push(par);
    for (let s = 0; s < 3; s++) {
      const x = tf.tensor4d(randomArray(N * H * W, 60 + s), [N, H, W, 1]);
      const y = tf.tensor1d(randomArray(N, 70 + s));
      const l1 = single.step(x, y);
      const l2 = await par.step(x, y);
      expect(Math.abs(l1 - l2)).toBeLessThan(1e-6 * Math.max(1, Math.abs(l1)));
      tf.dispose([x, y]);
    }
    // Same gradients up to summation order; Adam can amplify rounding only where g ~ 0.
    single.params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) expect(Math.abs(par.params[k][i] - p[i])).toBeLessThan(2e-5);
    });
  });

  it("passes a worker's error on, stays usable, and closes", async () => {
    await setBackend('wasm');
    const par = await ParallelTrainer.create(config, { threads: 2 });
    open.push(par);
    const bad = tf.zeros([2, H + 1, W, 1]) as tf.Tensor4D;
    await expect(par.step(bad, tf.zeros([2]))).rejects.toThrow(/gradient worker: input must be/);
    const x = tf.tensor4d(randomArray(2 * H * W, 80), [2, H, W, 1]);
    const loss = await par.step(x, tf.tensor1d([0.5, -0.5]));
    expect(Number.isFinite(loss)).toBe(true);
    await par.close();
    await expect(par.step(x, tf.tensor1d([0.5, -0.5]))).rejects.toThrow(/closed/);
    tf.dispose([bad, x]);
  });
});
