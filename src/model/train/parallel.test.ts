// The data-parallel step (a worker thread with its own wasm instance) gives the same
// parameters as the single-thread step, with one output or two and unknown labels, reports
// errors, and its workers exit.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config.ts';
import { ParallelTrainer, shardSizes } from './parallel.ts';
import { Trainer } from './train-step.ts';
import { randomArray, setBackend } from './test-support.ts';

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

  it('resumes from a saved state exactly like the uninterrupted run', async () => {
    await setBackend('wasm');
    const batches = [0, 1, 2, 3].map((s) => ({ xs: randomArray(N * H * W, 90 + s), ys: randomArray(N, 95 + s) }));
    const stepOn = (t: ParallelTrainer, b: { xs: Float32Array; ys: Float32Array }) => {
      const x = tf.tensor4d(b.xs, [N, H, W, 1]);
      const y = tf.tensor1d(b.ys);
      return t.step(x, y).finally(() => tf.dispose([x, y]));
    };
    const whole = await ParallelTrainer.create(config, { seed: 3, lr: 1e-3, threads: 2 });
    open.push(whole);
    const wholeLosses: number[] = [];
    for (const b of batches) wholeLosses.push(await stepOn(whole, b));

    const first = await ParallelTrainer.create(config, { seed: 3, lr: 1e-3, threads: 2 });
    open.push(first);
    const losses = [await stepOn(first, batches[0]), await stepOn(first, batches[1])];
    const saved = first.state();
    await first.close();
    // Resume into a parallel trainer and, as a cross-check, a single-thread one.
    const resumed = await ParallelTrainer.create(config, { state: saved, lr: 1e-3, threads: 2 });
    open.push(resumed);
    for (const b of batches.slice(2)) losses.push(await stepOn(resumed, b));
    expect(losses).toEqual(wholeLosses);
    const end = resumed.state();
    const ref = whole.state();
    expect(end.step).toBe(4);
    for (const key of ['params', 'm', 'v'] as const) {
      end[key].forEach((a, i) => expect(Array.from(a), `${key}[${i}]`).toEqual(Array.from(ref[key][i])));
    }
    const single = Trainer.fromState(config, saved, { lr: 1e-3 });
    for (const b of batches.slice(2)) tf.tidy(() => single.step(tf.tensor4d(b.xs, [N, H, W, 1]), tf.tensor1d(b.ys)));
    single.params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) expect(Math.abs(end.params[k][i] - p[i])).toBeLessThan(2e-5);
    });
  });

  it('matches the single-thread trainer with two outputs and unknown labels, a shard without labels too', async () => {
    await setBackend('wasm');
    const two = validateConfig({ ...config, outputs: 2 });
    const single = new Trainer(two, { seed: 5, lr: 1e-3 });
    const par = await ParallelTrainer.create(two, { seed: 5, lr: 1e-3, threads: 2 });
    open.push(par);
    const n = 4; // shards of 2 and 2 samples
    const batches: number[][] = [
      [0.5, NaN, -0.2, 0.7, NaN, NaN, 0.9, -0.4], // both shards have labels
      [NaN, NaN, NaN, NaN, 0.3, -0.8, NaN, 0.1], // the first shard has none
      [0.6, -0.1, 0.2, NaN, NaN, NaN, NaN, NaN], // the second shard has none
      new Array<number>(2 * n).fill(NaN), // no label at all: a zero-gradient step on both
    ];
    const grads: Float32Array[][] = [];
    for (const [s, labels] of batches.entries()) {
      const x = tf.tensor4d(randomArray(n * H * W, 100 + s), [n, H, W, 1]);
      const y = tf.tensor2d(labels, [n, 2]);
      if (s < 3) grads.push(single.gradients(x, y).grads.map((g) => g.slice()));
      const l1 = single.step(x, y);
      const l2 = await par.step(x, y);
      expect(Math.abs(l1 - l2), `loss ${s}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(l1)));
      if (s === 3) expect(l2).toBe(0);
      tf.dispose([x, y]);
    }
    expect(par.state().step).toBe(4);
    // Same gradients up to summation order. Where a gradient is at rounding level (here as
    // small as 1e-9 of the largest) its sign may differ between the two sums, and Adam's
    // first steps move such a weight by about lr * sign(g): those are compared to within
    // 2 lr per step, as in train-step.test.ts. (The last batch's gradients are exactly 0 on
    // both: it is left out of this test for rounding-level values.)
    let strict = 0;
    single.params.forEach((p, k) => {
      const gMax = Math.max(...grads.flatMap((gs) => Array.from(gs[k], Math.abs)));
      for (let i = 0; i < p.length; i++) {
        const tiny = grads.some((gs) => Math.abs(gs[k][i]) < 1e-3 * gMax);
        const d = Math.abs(par.params[k][i] - p[i]);
        expect(d, `param ${k}[${i}]`).toBeLessThan(tiny ? 2 * 1e-3 * batches.length : 2e-5);
        if (!tiny) strict++;
      }
    });
    // Most weights take the strict comparison.
    expect(strict).toBeGreaterThan(0.5 * single.params.reduce((a, p) => a + p.length, 0));
    // A two-output model's targets are [N, 2]: a flat [N] is refused before any work.
    const x = tf.tensor4d(randomArray(2 * H * W, 110), [2, H, W, 1]);
    await expect(par.step(x, tf.tensor1d([0.1, 0.2]))).rejects.toThrow(/expected targets \[2, 2\]/);
    expect(par.state().step).toBe(4);
    tf.dispose(x);
  });

  it('rejects steps after a worker crashes, with the reason, and still closes', async () => {
    await setBackend('wasm');
    const par = await ParallelTrainer.create(config, { threads: 2 });
    open.push(par);
    const x = tf.tensor4d(randomArray(2 * H * W, 81), [2, H, W, 1]);
    const y = tf.tensor1d([0.5, -0.5]);
    const before = par.state();
    par.crashWorkerForTest(1, 7);
    // The crash is noticed either while the step is pending or before it is sent.
    await expect(par.step(x, y)).rejects.toThrow(/gradient worker exited \(code 7\)/);
    await expect(par.step(x, y)).rejects.toThrow(/gradient worker exited \(code 7\)/);
    // Nothing was updated.
    expect(par.state()).toEqual(before);
    await par.close();
    await par.close();
    await expect(par.step(x, y)).rejects.toThrow(/ParallelTrainer is closed/);
    tf.dispose([x, y]);
  });

  it('handles a batch smaller than the number of workers', async () => {
    await setBackend('wasm');
    const single = new Trainer(config, { seed: 8, lr: 1e-3 });
    const par = await ParallelTrainer.create(config, { seed: 8, lr: 1e-3, threads: 2 });
    open.push(par);
    for (const n of [2, 1, 1]) {
      const x = tf.tensor4d(randomArray(n * H * W, 40 + n), [n, H, W, 1]);
      const y = tf.tensor1d(randomArray(n, 45 + n));
      expect(await par.step(x, y)).toBeCloseTo(single.step(x, y), 6);
      tf.dispose([x, y]);
    }
    single.params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) expect(Math.abs(par.params[k][i] - p[i])).toBeLessThan(2e-5);
    });
    await par.close();
  });

  it('refuses a step while one is in flight', async () => {
    await setBackend('wasm');
    const par = await ParallelTrainer.create(config, { threads: 2 });
    open.push(par);
    const x = tf.tensor4d(randomArray(2 * H * W, 82), [2, H, W, 1]);
    const y = tf.tensor1d([0.5, -0.5]);
    const first = par.step(x, y);
    await expect(par.step(x, y)).rejects.toThrow(/previous step has not finished/);
    expect(() => par.state()).toThrow(/during a step/);
    expect(Number.isFinite(await first)).toBe(true);
    expect(par.state().step).toBe(1);
    await par.close();
    tf.dispose([x, y]);
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
