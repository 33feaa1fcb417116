// Batched prediction: one number per spectrogram, the same whether batched or not, sync or
// async; bad input refused; no tensors left behind.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './backend.ts';
import { buildCnn } from './cnn.ts';
import { ModelError } from './errors.ts';
import { featuresToBatch, predictValence, predictValenceAsync } from './predict.ts';
import { importTorchWeights } from './torch-weights.ts';
import { maxAbsDiff } from '../dsp/compare.ts';
import { expectNoLeak, modelCases, type LoadedModelCase } from './test-support.ts';

/** The first fixture case, loaded in beforeAll: a missing fixture set fails the tests with the reason. */
let fx: LoadedModelCase;

describe('predictValence', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    fx = modelCases()[0];
    await initNodeBackend('wasm');
    model = buildCnn(fx.config);
    importTorchWeights(model, fx.config, fx.tensors);
  });
  afterAll(() => model.dispose());

  const allInputs = () => modelCases().flatMap((c) => c.inputs);
  const allExpected = () => Float32Array.from(modelCases().flatMap((c) => Array.from(c.expected)));

  it('returns one reading per spectrogram: a batch of all fixture inputs matches PyTorch', async () => {
    const inputs = allInputs();
    const got = await expectNoLeak(() => predictValence(model, inputs, fx.config));
    expect(got.length).toBe(inputs.length);
    // All fixture cases share one weights file in the reference set; skip otherwise.
    if (modelCases().every((c) => c.case.weights === fx.case.weights)) {
      expect(maxAbsDiff(got, allExpected())).toBeLessThanOrEqual(1e-4);
    }
  });

  it('gives the same readings batched (4) as one at a time', async () => {
    const inputs = [...allInputs(), ...allInputs()].slice(0, 4);
    const batched = await expectNoLeak(() => predictValence(model, inputs, fx.config));
    const single = Float32Array.from(inputs.map((x) => predictValence(model, [x], fx.config)[0]));
    expect(maxAbsDiff(batched, single)).toBeLessThanOrEqual(1e-6);
  });

  it('async and sync agree exactly', async () => {
    const inputs = allInputs();
    const a = await expectNoLeak(() => predictValenceAsync(model, inputs, fx.config));
    expect(Array.from(a)).toEqual(Array.from(predictValence(model, inputs, fx.config)));
  });

  it('returns an empty array for no input', async () => {
    expect((await expectNoLeak(() => predictValence(model, [], fx.config))).length).toBe(0);
    expect((await predictValenceAsync(model, [], fx.config)).length).toBe(0);
  });

  it('refuses a spectrogram of the wrong size or with a NaN, leaking nothing', async () => {
    const [mels, frames] = fx.config.inputShape;
    await expectNoLeak(() => {
      expect(() => predictValence(model, [new Float32Array(mels * frames - 1)], fx.config)).toThrow(ModelError);
      expect(() => predictValence(model, [fx.inputs[0], new Float32Array(10)], fx.config)).toThrow(
        new RegExp(`input 1 has 10 values, the model needs ${mels} x ${frames}`),
      );
      const nan = Float32Array.from(fx.inputs[0]);
      nan[123] = NaN;
      expect(() => predictValence(model, [nan], fx.config)).toThrow(/input 0 has a non-finite value \(NaN\) at index 123/);
    });
    await expect(predictValenceAsync(model, [new Float32Array(3)], fx.config)).rejects.toThrow(ModelError);
  });

  it('lays a mels x frames spectrogram out as NHWC [batch, mels, frames, 1]', async () => {
    const [mels, frames] = fx.config.inputShape;
    const x = Float32Array.from({ length: mels * frames }, (_, i) => i);
    await expectNoLeak(() => {
      const t = featuresToBatch([x, x], fx.config);
      expect(t.shape).toEqual([2, mels, frames, 1]);
      // Row m, column f of the spectrogram is element [b, m, f, 0].
      const m = 5;
      const f = 7;
      expect(tf.tidy(() => t.slice([1, m, f, 0], [1, 1, 1, 1]).dataSync()[0])).toBe(m * frames + f);
      t.dispose();
    });
  });
});
