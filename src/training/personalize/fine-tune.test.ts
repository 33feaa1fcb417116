// Personal fine-tuning on a small CNN (cpu backend): frozen layers stay exactly as they
// were, a seed reproduces the weights, the offsets do what they say on the clips' own
// readings, cancel and progress work, and no tensor is left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_PRESET, type CnnConfig } from '../../model/config.ts';
import { initParams } from '../../model/train/params.ts';
import { setBackend } from '../../model/train/test-support.ts';
import { DEFAULT_NORMALISATION } from '../../dsp/loudness.ts';
import { createRng } from '../random.ts';
import { fineTune, predictClips, type FineTuneInput, type PersonalClip } from './fine-tune.ts';
import { NO_AUGMENTATION } from '../augment.ts';
import { DEFAULT_PERSONALIZE, type PersonalizeRecipe } from './recipe.ts';

/** The seed CNN's layout, small: 3x3 kernels, two blocks of 2 and 3 channels, two outputs. */
const config: CnnConfig = { ...SEED_PRESET, kernelSize: 3, padding: 1, channels: [2, 3], features: 'db', outputs: 2 };

/** A second of a tone in noise (8 kHz), its pitch and level by clip. */
function clip(i: number, valence: number | null, arousal: number | null): PersonalClip {
  const r = createRng(i + 1);
  const signal = Float32Array.from({ length: 8000 }, (_, t) => 0.05 * (1 + i) * Math.sin((2 * Math.PI * (150 + 40 * i) * t) / 8000) + 0.01 * (r() - 0.5));
  return { signal, valence, arousal };
}

const clips = [clip(0, 0, 0), clip(1, 0.8, 0.5), clip(2, -0.6, null), clip(3, 0, 0), clip(4, -0.7, 0.8)];
const input: FineTuneInput = { config, weights: initParams(config, 3), normalisation: DEFAULT_NORMALISATION, clips };
const quick: PersonalizeRecipe = { ...DEFAULT_PERSONALIZE, steps: 3, lr: 1e-2, batchSize: 2, l2sp: 0.1, offset: 'none', scale: 1 };

beforeAll(async () => {
  await setBackend('cpu');
});

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('fineTune', () => {
  it('trains only the chosen last layers, leaves the base weights alone and disposes every tensor', async () => {
    const before = tf.memory().numTensors;
    const keep = input.weights.map((w) => w.slice());
    const r = await fineTune(input, { ...quick, layers: 2 });
    expect(tf.memory().numTensors).toBe(before);
    input.weights.forEach((w, t) => expect(same(w, keep[t])).toBe(true));
    // layers 2 = the output layer and the last block: tensors 2..5 of [conv1 k, b, conv2 k, b, fc k, b]
    expect(r.weights.map((w, t) => same(w, keep[t]))).toEqual([true, true, false, false, false, false]);
    expect(r.losses).toHaveLength(3);
    expect(r.offset).toBeNull();
  });

  it('gives the same weights for the same seed, others for another', async () => {
    const a = await fineTune(input, quick);
    const b = await fineTune(input, quick);
    const c = await fineTune(input, { ...quick, seed: 1 });
    a.weights.forEach((w, t) => expect(same(w, b.weights[t])).toBe(true));
    expect(a.weights.every((w, t) => same(w, c.weights[t]))).toBe(false);
  });

  it('a pool of one window per clip gives the new-window path its exact weights where windows do not vary', async () => {
    // Without augmentation every window of a clip is the same: the pool only moves the frozen
    // blocks' forward pass out of the steps (layers 2: block 1 frozen; all: the features).
    const fixed = { ...quick, augment: NO_AUGMENTATION, l2sp: 0, pool: 0 };
    for (const layers of [2, 'all'] as const) {
      const before = tf.memory().numTensors;
      const fresh = await fineTune(input, { ...fixed, layers });
      const pooled = await fineTune(input, { ...fixed, layers, pool: 1 });
      pooled.weights.forEach((w, t) => expect(same(w, fresh.weights[t]), `layers ${layers} tensor ${t}`).toBe(true));
      expect(tf.memory().numTensors).toBe(before);
    }
    // With augmentation, P variants differ from new windows, but train the same layers only.
    const r = await fineTune(input, { ...quick, layers: 2, pool: 3 });
    expect(r.weights.slice(0, 2).every((w, t) => same(w, input.weights[t]))).toBe(true);
    expect(r.weights.slice(2).some((w, t) => !same(w, input.weights[t + 2]))).toBe(true);
  });

  it('with no steps and no offset returns the base weights', async () => {
    const r = await fineTune(input, { ...quick, steps: 0, offset: 'none' });
    r.weights.forEach((w, t) => expect(same(w, input.weights[t])).toBe(true));
  });

  it("'neutral' makes the neutral clips' mean reading zero; 'mean' the mean error over all clips", async () => {
    const before = tf.memory().numTensors;
    const neutral = await fineTune(input, { ...quick, offset: 'neutral' });
    let p = predictClips(input, neutral.weights);
    // clips 0 and 3 are neutral (valence 0, arousal 0)
    expect((p[0] + p[6]) / 2).toBeCloseTo(0, 5);
    expect((p[1] + p[7]) / 2).toBeCloseTo(0, 5);
    const mean = await fineTune(input, { ...quick, steps: 0, offset: 'mean' });
    p = predictClips(input, mean.weights);
    const valenceError = [0, 1, 2, 3, 4].reduce((s, i) => s + p[2 * i] - (clips[i].valence ?? 0), 0) / 5;
    // arousal known on clips 0, 1, 3, 4
    const arousalError = [0, 1, 3, 4].reduce((s, i) => s + p[2 * i + 1] - (clips[i].arousal ?? 0), 0) / 4;
    expect(valenceError).toBeCloseTo(0, 5);
    expect(arousalError).toBeCloseTo(0, 5);
    expect(mean.offset).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scale widens the readings about their mean over the clips, after the offset, and keeps their order', async () => {
    const plain = await fineTune(input, { ...quick, offset: 'mean' });
    const wide = await fineTune(input, { ...quick, offset: 'mean', scale: 2 });
    expect(plain.scale).toBeNull();
    expect(wide.scale).toEqual([2, 2]);
    const p = predictClips(input, plain.weights);
    const q = predictClips(input, wide.weights);
    const meanOf = (v: Float32Array, d: number, idx: number[]) => idx.reduce((s, i) => s + v[2 * i + d], 0) / idx.length;
    // valence: centred over all five clips; arousal over the four that have it (clip 2 has none)
    for (const [d, idx] of [[0, [0, 1, 2, 3, 4]], [1, [0, 1, 3, 4]]] as const) {
      const c = meanOf(p, d, [...idx]);
      expect(meanOf(q, d, [...idx])).toBeCloseTo(c, 5);
      for (let i = 0; i < 5; i++) expect(q[2 * i + d]).toBeCloseTo(c + 2 * (p[2 * i + d] - c), 4);
    }
    await expect(fineTune(input, { ...quick, scale: 0 })).rejects.toThrow(/scale must be "fit" or a number > 0/);
  });

  it('reports progress and stops when cancelled, with no tensor left', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const run = fineTune(input, { ...quick, steps: 50 }, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.step);
        expect(p.steps).toBe(50);
        expect(Number.isFinite(p.loss)).toBe(true);
        if (p.step === 2) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort|cancel/i);
    expect(seen).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a bad recipe or clips, naming the problem', async () => {
    await expect(fineTune(input, { ...quick, layers: 4 })).rejects.toThrow(/layers must be "all" or a whole number from 1 \(the output layer\) to 3/);
    await expect(fineTune(input, { ...quick, lr: 0 })).rejects.toThrow(/lr must be a number > 0/);
    await expect(fineTune({ ...input, clips: [] }, quick)).rejects.toThrow(/no clips/);
    await expect(fineTune({ ...input, clips: [{ signal: new Float32Array(8), valence: null, arousal: null }] }, quick)).rejects.toThrow(/no clip has a label/);
  });
});
