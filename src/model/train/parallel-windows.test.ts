// Batches the gradient workers build themselves from shared signals (stepWindows) train
// exactly like the same batches built on the main thread with the same window seeds
// (train-windows.ts) and passed to step(): bit-for-bit the same parameters and moments.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION } from '../../dsp/loudness.ts';
import { WINDOW_FRAMES } from '../../dsp/params.ts';
import { DEFAULT_AUGMENTATION } from '../../training/augment.ts';
import { DEFAULT_SPEC_MASK } from '../../training/spec-mask.ts';
import { buildWindow, packSignals, windowSeed, type WindowPlan } from '../../training/train-windows.ts';
import { validateConfig } from '../config.ts';
import { ParallelTrainer } from './parallel.ts';
import type { PartnerRow } from './protocol.ts';
import { randomArray, setBackend } from './test-support.ts';

const config = validateConfig({
  kernelSize: 5,
  padding: 7,
  activation: 'relu',
  pooling: 'avg',
  channels: [2, 3],
  features: 'db',
  inputShape: [64, WINDOW_FRAMES],
  outputs: 2,
});
const [H, W] = config.inputShape;
const plan: WindowPlan = {
  augment: { ...DEFAULT_AUGMENTATION, speed: [0.9, 1.1] },
  normalisation: DEFAULT_NORMALISATION,
  features: config.features,
  specMask: DEFAULT_SPEC_MASK,
  inputShape: [H, W],
};
// Shorter and longer than the 61500-sample window.
const signals = [20_000, 70_000, 35_000, 50_000, 12_000].map((n, i) => randomArray(n, 200 + i, 0.2));

describe('ParallelTrainer.stepWindows', () => {
  const open: ParallelTrainer[] = [];
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  it('equals step() on the batch built on the main thread with the same seeds', async () => {
    await setBackend('wasm');
    const workers = await ParallelTrainer.create(config, { seed: 4, lr: 1e-3, threads: 2, windows: { signals: packSignals(signals), plan } });
    const main = await ParallelTrainer.create(config, { seed: 4, lr: 1e-3, threads: 2 });
    open.push(workers, main);
    // Batches of 3 (shards of 2 and 1) and 2, with an unknown label; the third has mixup
    // partners (train-windows.ts) on one row of each shard.
    const batches: { idx: number[]; y: number[]; mix?: (PartnerRow | null)[] }[] = [
      { idx: [3, 0, 4], y: [0.2, -0.5, NaN, 0.4, -0.7, 0.1] },
      { idx: [1, 2], y: [0.6, 0.3, -0.2, NaN] },
      { idx: [2, 4, 1], y: [0.1, 0.2, 0.3, 0.4, -0.5, NaN], mix: [{ signal: 0, seed: 77, lambda: 0.7 }, null, { signal: 3, seed: 5, lambda: 0.55 }] },
    ];
    for (const [s, { idx, y, mix }] of batches.entries()) {
      const seeds = idx.map((_, j) => windowSeed(9, 1, 3 * s + j));
      const x = new Float32Array(idx.length * H * W);
      idx.forEach((k, j) => {
        const m = mix?.[j];
        const partner = m ? { source: { signal: signals[m.signal] }, seed: m.seed, lambda: m.lambda } : undefined;
        buildWindow({ signal: signals[k] }, plan, seeds[j], x.subarray(j * H * W, (j + 1) * H * W), partner);
      });
      const xT = tf.tensor4d(x, [idx.length, H, W, 1]);
      const yT = tf.tensor2d(y, [idx.length, 2]);
      const want = await main.step(xT, yT);
      tf.dispose([xT, yT]);
      const rows = idx.map((k, j) => {
        const m = mix?.[j];
        return { signal: k, seed: seeds[j], ...(m ? { mix: m } : {}) };
      });
      const got = await workers.stepWindows(rows, Float32Array.from(y));
      expect(got, `loss ${s}`).toBe(want);
    }
    const a = workers.state();
    const b = main.state();
    expect(a.step).toBe(3);
    for (const key of ['params', 'm', 'v'] as const) {
      a[key].forEach((arr, i) => {
        for (let j = 0; j < arr.length; j++) if (arr[j] !== b[key][i][j]) expect.fail(`${key}[${i}][${j}]: ${arr[j]} vs ${b[key][i][j]}`);
      });
    }
  });

  it('needs the signals at create, and targets for every row', async () => {
    await setBackend('wasm');
    const plain = await ParallelTrainer.create(config, { threads: 1 });
    open.push(plain);
    await expect(plain.stepWindows([{ signal: 0, seed: 1 }], new Float32Array(2))).rejects.toThrow(/needs options.windows/);
    const withSignals = await ParallelTrainer.create(config, { threads: 1, windows: { signals: packSignals(signals), plan } });
    open.push(withSignals);
    await expect(withSignals.stepWindows([{ signal: 0, seed: 1 }], new Float32Array(1))).rejects.toThrow(/expected 2 targets/);
    await expect(withSignals.stepWindows([{ signal: 9, seed: 1 }], new Float32Array(2))).rejects.toThrow(/signal 9 is not in the pack/);
    expect(withSignals.state().step).toBe(0);
  });
});
