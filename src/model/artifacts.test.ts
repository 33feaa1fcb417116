// TF.js model.json + weights: an exact round trip carrying our config and card (one output
// or two), the standard loader reading the same files, and refusal of corrupt or
// mismatched artifacts (a wrong output count among them).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleOfLoadedModel,
  METADATA_FORMAT,
  modelFromArtifacts,
  modelToArtifacts,
  WEIGHTS_FILE,
  type ModelArtifactsPair,
} from './artifacts.ts';
import { initNodeBackend } from './backend.ts';
import { buildCnn } from './cnn.ts';
import { SEED_PRESET, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { predict, predictValence } from './predict.ts';
import { exportTorchWeights, importTorchWeights } from './torch-weights.ts';
import { maxAbsDiff } from '../dsp/compare.ts';
import { expectNoLeak, firstBitDifference, modelCases, type LoadedModelCase } from './test-support.ts';

/** The first fixture case, loaded in beforeAll: a missing fixture set fails the tests with the reason. */
let fx: LoadedModelCase;
const card = { name: 'seed (PyTorch fixture weights)', trainedOn: null, metrics: { mse: 0.5 }, tags: ['test'] };

describe('model artifacts', () => {
  let model: tf.LayersModel;
  let saved: ModelArtifactsPair;
  beforeAll(async () => {
    fx = modelCases()[0];
    await initNodeBackend('wasm');
    model = buildCnn(fx.config);
    importTorchWeights(model, fx.config, fx.tensors);
    saved = await modelToArtifacts(model, fx.config, card);
  });
  afterAll(() => model.dispose());

  /** A deep copy of model.json (as if re-read from disk) with an edit applied. */
  const jsonWith = (edit: (j: Record<string, unknown> & { userDefinedMetadata: Record<string, unknown> }) => void) => {
    const j = JSON.parse(JSON.stringify(saved.modelJson)) as Record<string, unknown> & {
      userDefinedMetadata: Record<string, unknown>;
    };
    edit(j);
    return j;
  };

  it('writes a standard layers-model model.json with our metadata and one weights file', () => {
    const j = saved.modelJson;
    expect(j.format).toBe('layers-model');
    expect(j.weightsManifest).toHaveLength(1);
    expect(j.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);
    const meta = j.userDefinedMetadata as Record<string, unknown>;
    expect(meta.format).toBe(METADATA_FORMAT);
    expect(meta.config).toEqual(fx.config);
    expect(meta.card).toEqual(card);
    expect(saved.weights.byteLength).toBe(model.countParams() * 4);
  });

  it('loads back with identical weights, predictions, config and card; no leaks', async () => {
    const start = tf.memory().numTensors;
    // JSON text round trip, as from a file.
    const loaded = await modelFromArtifacts(JSON.parse(JSON.stringify(saved.modelJson)), saved.weights);
    expect(loaded.config).toEqual(fx.config);
    expect(loaded.card).toEqual(card);
    const a = exportTorchWeights(model, fx.config);
    const b = exportTorchWeights(loaded.model, loaded.config);
    for (const [name, t] of a) expect(firstBitDifference(b.get(name)!.data, t.data)).toBe(-1);
    const pa = predictValence(model, fx.inputs, fx.config);
    const pb = predictValence(loaded.model, fx.inputs, loaded.config);
    expect(firstBitDifference(pa, pb)).toBe(-1);
    expect(maxAbsDiff(pb, fx.expected)).toBeLessThanOrEqual(1e-4);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("is what tf.loadLayersModel reads (the browser's path), with our metadata available", async () => {
    // TF.js's own model.json reader, as its http loader uses it (the file's JSON text, re-parsed).
    const modelJson = JSON.parse(JSON.stringify(saved.modelJson)) as tf.io.ModelJSON;
    const handler: tf.io.IOHandler = {
      load: () =>
        tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [manifest.flatMap((g) => g.weights), saved.weights]),
    };
    const loaded = await tf.loadLayersModel(handler);
    const bundle = bundleOfLoadedModel(loaded);
    expect(bundle.config).toEqual(fx.config);
    expect(firstBitDifference(predictValence(loaded, fx.inputs, fx.config), predictValence(model, fx.inputs, fx.config))).toBe(-1);
    loaded.dispose();
  });

  it('exports a non-seed model too (kernel 3, sigmoid, max pooling)', async () => {
    const config: CnnConfig = { ...SEED_PRESET, channels: [4, 8], kernelSize: 3, activation: 'sigmoid', pooling: 'max' };
    await expectNoLeak(async () => {
      const m = buildCnn(config, { seed: 5 });
      const art = await modelToArtifacts(m, config, {});
      const back = await modelFromArtifacts(art.modelJson, art.weights);
      expect(back.config).toEqual(config);
      expect(firstBitDifference(predictValence(back.model, fx.inputs, config), predictValence(m, fx.inputs, config))).toBe(-1);
      m.dispose();
      back.model.dispose();
    });
  });

  it('round-trips a two-output model (valence, arousal): both outputs bit-identical', async () => {
    const config: CnnConfig = { ...SEED_PRESET, channels: [4, 8], outputs: 2 };
    await expectNoLeak(async () => {
      const m = buildCnn(config, { seed: 6 });
      const art = await modelToArtifacts(m, config, {});
      const back = await modelFromArtifacts(JSON.parse(JSON.stringify(art.modelJson)), art.weights);
      expect(back.config).toEqual(config);
      const a = predict(m, fx.inputs, config);
      const b = predict(back.model, fx.inputs, back.config);
      expect(firstBitDifference(b.valence, a.valence)).toBe(-1);
      expect(firstBitDifference(b.arousal!, a.arousal!)).toBe(-1);
      m.dispose();
      back.model.dispose();
    });
  });

  it('refuses to save a model under a config it was not built for, or a card that is not an object', async () => {
    await expect(modelToArtifacts(model, { ...fx.config, activation: 'sigmoid' })).rejects.toThrow(ModelError);
    await expect(modelToArtifacts(model, fx.config, [] as unknown as Record<string, unknown>)).rejects.toThrow(
      /card must be a JSON object/,
    );
  });

  const corrupt: [string, () => [unknown, ArrayBuffer | Uint8Array], RegExp][] = [
    ['model.json that is not an object', () => [null, saved.weights], /not a JSON object/],
    ['another format', () => [jsonWith((j) => (j.format = 'graph-model')), saved.weights], /format "graph-model"/],
    ['no topology', () => [jsonWith((j) => delete j.modelTopology), saved.weights], /no modelTopology/],
    ['no Valence Monitor metadata', () => [jsonWith((j) => Reflect.deleteProperty(j, 'userDefinedMetadata')), saved.weights], /no Valence Monitor metadata/],
    [
      'an invalid config',
      () => [jsonWith((j) => (j.userDefinedMetadata.config = { ...fx.config, pooling: 'median' })), saved.weights],
      /model.json: model config: pooling must be/,
    ],
    [
      'a config that does not match the topology',
      () => [jsonWith((j) => (j.userDefinedMetadata.config = { ...fx.config, activation: 'sigmoid' })), saved.weights],
      /activation "relu", the config needs "sigmoid"/,
    ],
    [
      'a config asking for 3 outputs',
      () => [jsonWith((j) => (j.userDefinedMetadata.config = { ...fx.config, outputs: 3 })), saved.weights],
      /model.json: model config: outputs must be 1 \(valence\) or 2 \(valence, arousal\), got 3/,
    ],
    [
      'a two-output config on a one-output model',
      () => [jsonWith((j) => (j.userDefinedMetadata.config = { ...fx.config, outputs: 2 })), saved.weights],
      /the last layer \("fc"\) gives 1 output\(s\), its config says 2$/,
    ],
    [
      'a last layer with 3 outputs',
      () => [
        jsonWith((j) => {
          for (const w of (j.weightsManifest as { weights: { name: string; shape: number[] }[] }[])[0].weights) {
            if (w.name === 'fc/kernel') w.shape = [w.shape[0], 3];
            if (w.name === 'fc/bias') w.shape = [3];
          }
        }),
        saved.weights,
      ],
      /gives 3 output\(s\), its config says 1; a model gives 1 output \(valence\) or 2 \(valence, arousal\)/,
    ],
    ['a missing checksum', () => [jsonWith((j) => delete j.userDefinedMetadata.weightsCrc32), saved.weights], /weightsCrc32 is missing/],
    ['truncated weights', () => [saved.modelJson, saved.weights.slice(0, saved.weights.byteLength - 4)], /weights are \d+ bytes, model.json describes \d+/],
    [
      'one flipped byte in the weights',
      () => {
        const w = new Uint8Array(saved.weights.slice(0));
        w[1000] ^= 0x40;
        return [saved.modelJson, w];
      },
      /weights checksum .* does not match/,
    ],
    [
      'quantized weights',
      () => [jsonWith((j) => ((j.weightsManifest as { weights: { dtype: string }[] }[])[0].weights[0].dtype = 'int32')), saved.weights],
      /not plain float32/,
    ],
    [
      'a garbled topology',
      () => [jsonWith((j) => (j.modelTopology = { class_name: 'Nonsense', config: {} })), saved.weights],
      /cannot be loaded by TF.js/,
    ],
  ];
  for (const [what, make, message] of corrupt) {
    it(`refuses ${what}, leaking nothing`, async () => {
      const [json, weights] = make();
      await expectNoLeak(async () => {
        await expect(modelFromArtifacts(json, weights)).rejects.toThrow(ModelError);
        await expect(modelFromArtifacts(json, weights)).rejects.toThrow(message);
      });
    });
  }

  it('refuses NaN weights even when the checksum matches', async () => {
    const m = buildCnn(fx.config, { seed: 1 });
    const art = await modelToArtifacts(m, fx.config);
    m.dispose();
    const w = new Uint8Array(art.weights);
    new DataView(w.buffer).setFloat32(8, NaN, true);
    const { crc32Hex } = await import('./crc32.ts');
    const json = JSON.parse(JSON.stringify(art.modelJson)) as { userDefinedMetadata: Record<string, unknown> };
    json.userDefinedMetadata.weightsCrc32 = crc32Hex(w);
    await expect(modelFromArtifacts(json, w)).rejects.toThrow(/non-finite value \(NaN\) at index 2/);
  });
});
