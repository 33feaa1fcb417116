// The calibration's honest score and personal model on a small CNN (cpu backend): folds
// stratified by label and dealt evenly, each clip's "after" reading equal to the reading of
// a fine-tune that never saw it (recomputed here from fineTune and predictClips directly),
// the personal model equal to a fine-tune on every clip, the metrics those of the
// readings, progress over all runs, cancel, refusals, and no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_PRESET, type CnnConfig } from '../../model/config.ts';
import { initParams } from '../../model/train/params.ts';
import { setBackend } from '../../model/train/test-support.ts';
import { allMetrics } from '../metrics.ts';
import { createRng } from '../random.ts';
import { assignFolds, calibrate, calibrateRuns, calibrationProblem, type RunsResult } from './calibrate.ts';
import { calibrationReport, dealRuns } from './calibration-report.ts';
import { fineTune, predictClips, windowPoolFor, type FineTuneInput, type PersonalClip } from './fine-tune.ts';
import { DEFAULT_PERSONALIZE, type PersonalizeRecipe } from './recipe.ts';

const config: CnnConfig = { ...SEED_PRESET, kernelSize: 3, padding: 1, channels: [2, 3], features: 'db', outputs: 2 };

function clip(i: number, valence: number | null, arousal: number | null): PersonalClip {
  const r = createRng(i + 11);
  const signal = Float32Array.from({ length: 6000 }, (_, t) => 0.04 * (1 + (i % 4)) * Math.sin((2 * Math.PI * (120 + 35 * i) * t) / 8000) + 0.01 * (r() - 0.5));
  return { signal, valence, arousal };
}

const labels: [number, number | null][] = [[0, 0], [0.8, 0.5], [-0.6, -0.4], [0, 0], [0.8, 0.5], [-0.6, null], [0, 0], [-0.7, 0.8]];
const clips = labels.map(([v, a], i) => clip(i, v, a));
const input: FineTuneInput = { config, weights: initParams(config, 5), normalisation: null, clips };
const quick: PersonalizeRecipe = { ...DEFAULT_PERSONALIZE, steps: 2, lr: 1e-2, batchSize: 2, pool: 0 };

beforeAll(async () => {
  await setBackend('cpu');
});

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('assignFolds', () => {
  it('deals each label across the folds and keeps the folds within one clip of each other', () => {
    const valence = [0, 0, 0, 0.8, 0.8, -0.6, -0.6, -0.6, -0.6, 0];
    const fold = assignFolds(valence, 3, 7);
    const sizes = [0, 1, 2].map((f) => fold.filter((x) => x === f).length);
    expect(sizes.sort()).toEqual([3, 3, 4]);
    // four neutral clips over three folds: every fold has one, one fold two
    const neutral = [0, 1, 2, 9].map((i) => fold[i]);
    expect(new Set(neutral).size).toBe(3);
    // the four sad clips likewise
    expect(new Set([5, 6, 7, 8].map((i) => fold[i])).size).toBe(3);
    expect(assignFolds(valence, 3, 7)).toEqual(fold);
  });

  it('refuses too few clips or folds', () => {
    expect(() => assignFolds([0, 1], 3, 0)).toThrow(/2 clips cannot make 3 folds/);
    expect(() => assignFolds([0, 1, 0], 1, 0)).toThrow(/folds must be a whole number >= 2/);
  });
});

describe('calibrationProblem', () => {
  it('asks for enough clips of at least two tones', () => {
    expect(calibrationProblem([0, 0.8, 0], 4)).toBe('Calibration needs at least 8 clips; there are 3.');
    expect(calibrationProblem(new Array(8).fill(0), 4)).toMatch(/at least two different tones/);
    expect(calibrationProblem(labels.map(([v]) => v), 4)).toBeNull();
  });
});

describe('calibrate', () => {
  it('reads each clip with a model that did not train on it, and makes the personal model from every clip', async () => {
    const tensors = tf.memory().numTensors;
    const folds = 4;
    const progress: number[] = [];
    const r = await calibrate(input, quick, folds, { onProgress: (p) => progress.push(p.done) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(progress).toEqual(Array.from({ length: (folds + 1) * quick.steps }, (_, i) => i + 1));

    const fold = assignFolds(labels.map(([v]) => v), folds, quick.seed);
    const after = new Float32Array(2 * clips.length);
    for (let f = 0; f < folds; f++) {
      const held = clips.map((_, i) => i).filter((i) => fold[i] === f);
      const tuned = await fineTune({ ...input, clips: clips.filter((_, i) => fold[i] !== f) }, quick);
      const read = predictClips({ ...input, clips: held.map((i) => clips[i]) }, tuned.weights);
      held.forEach((i, j) => after.set(read.subarray(2 * j, 2 * j + 2), 2 * i));
    }
    const before = predictClips(input, input.weights);
    const valence = labels.map(([v]) => v);
    expect(r.report.before.valence).toEqual(allMetrics(valence.map((_, i) => before[2 * i]), valence));
    expect(r.report.after.valence).toEqual(allMetrics(valence.map((_, i) => after[2 * i]), valence));
    // arousal: clip 5's is unknown and takes no part
    const known = labels.map((l, i) => i).filter((i) => labels[i][1] !== null);
    expect(r.report.after.arousal).toEqual(allMetrics(known.map((i) => after[2 * i + 1]), known.map((i) => labels[i][1] as number)));
    expect(r.report).toMatchObject({ clips: 8, folds: 4 });

    const personal = await fineTune(input, quick);
    r.weights.forEach((w, t) => expect(same(w, personal.weights[t])).toBe(true));
    expect(r.weights.some((w, t) => !same(w, input.weights[t]))).toBe(true);
  });

  it('with a window pool, builds it once and gives each run its clips\' rows', async () => {
    const pooled = { ...quick, pool: 2 };
    const r = await calibrate(input, pooled, 4);
    const fold = assignFolds(labels.map(([v]) => v), 4, pooled.seed);
    const pool = windowPoolFor(input, pooled);
    const after = new Float32Array(2 * clips.length);
    for (let f = 0; f < 4; f++) {
      const keep = (i: number) => fold[i] !== f;
      const held = clips.map((_, i) => i).filter((i) => !keep(i));
      const tuned = await fineTune({ ...input, clips: clips.filter((_, i) => keep(i)), pool: { ...pool, rows: pool.rows.filter((_, i) => keep(i)) } }, pooled);
      const read = predictClips({ ...input, clips: held.map((i) => clips[i]) }, tuned.weights);
      held.forEach((i, j) => after.set(read.subarray(2 * j, 2 * j + 2), 2 * i));
    }
    const valence = labels.map(([v]) => v);
    expect(r.report.after.valence).toEqual(allMetrics(valence.map((_, i) => after[2 * i]), valence));
    // The personal model's pool is the whole pool: what fineTune builds for every clip itself.
    const personal = await fineTune(input, pooled);
    r.weights.forEach((w, t) => expect(same(w, personal.weights[t])).toBe(true));
  });

  it('stops when cancelled and refuses clips that cannot be scored', async () => {
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    const run = calibrate(input, { ...quick, steps: 20 }, 4, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.run === 2 && p.step === 1) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort|cancel/i);
    expect(tf.memory().numTensors).toBe(tensors);
    await expect(calibrate({ ...input, clips: clips.slice(0, 5) }, quick, 4)).rejects.toThrow(/at least 8 clips; there are 5/);
  });

  it('gives the same report and personal model when its runs are shared out (as the app\'s workers do)', async () => {
    const pooled = { ...quick, pool: 2 };
    const whole = await calibrate(input, pooled, 4);
    const shares = dealRuns(4, 2);
    const parts: RunsResult[] = [];
    for (const [w, share] of shares.entries()) parts.push(await calibrateRuns(input, pooled, 4, share, { before: w === 0 }));
    expect(calibrationReport(clips, 2, 4, parts.map((p) => p.readings))).toEqual(whole.report);
    const personal = parts.find((p) => p.personal)!.personal!;
    whole.weights.forEach((w, t) => expect(same(w, personal.weights[t])).toBe(true));
    // A missing fold or a fold read twice is refused, not scored.
    expect(() => calibrationReport(clips, 2, 4, [parts[0].readings])).toThrow(/folds read/);
    expect(() => calibrationReport(clips, 2, 4, [parts[0].readings, parts[1].readings, parts[1].readings])).toThrow(/read twice/);
    expect(() => calibrationReport(clips, 2, 4, [parts[1].readings])).toThrow(/no share read the clips with the base model/);
    await expect(calibrateRuns(input, pooled, 4, [6], { before: false })).rejects.toThrow(/run 6 is not one of 1..5/);
  });
});

describe('dealRuns', () => {
  it('deals the k + 1 runs in turn, the personal model first, one worker per run at most', () => {
    expect(dealRuns(4, 2)).toEqual([[5, 2, 4], [1, 3]]);
    expect(dealRuns(4, 1)).toEqual([[5, 1, 2, 3, 4]]);
    expect(dealRuns(4, 9)).toEqual([[5], [1], [2], [3], [4]]);
    expect(dealRuns(3, 0)).toEqual([[4, 1, 2, 3]]);
  });
});
