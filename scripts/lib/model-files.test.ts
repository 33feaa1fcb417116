// Model folders on disk: save -> load gives the same predictions (one output or two), an
// overwrite leaves no temporary files, and missing, corrupt or mixed-up files are refused
// with clear messages.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/model/backend.ts';
import { buildCnn } from '../../src/model/cnn.ts';
import { ModelError } from '../../src/model/errors.ts';
import { predict, predictValence } from '../../src/model/predict.ts';
import { SEED_PRESET, type CnnConfig } from '../../src/model/config.ts';
import { importTorchWeights } from '../../src/model/torch-weights.ts';
import { maxAbsDiff } from '../../src/dsp/compare.ts';
import { firstBitDifference, modelCases } from '../../src/model/test-support.ts';
import { CARD_FILE, loadModelDir, saveModelDir } from './model-files.ts';

const fx = modelCases()[0];
const card = { name: 'fixture seed', note: 'PyTorch random weights' };

describe('model folders', () => {
  let root: string;
  let model: tf.LayersModel;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    root = mkdtempSync(join(tmpdir(), 'vm-model-'));
    model = buildCnn(fx.config);
    importTorchWeights(model, fx.config, fx.tensors);
  });
  afterAll(() => {
    model.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('saves model.json, weights.bin and card.json, and loads back identical predictions', async () => {
    const dir = join(root, 'seed', 'nested');
    await saveModelDir(dir, model, fx.config, card);
    expect(readdirSync(dir).sort()).toEqual(['card.json', 'model.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(dir, CARD_FILE), 'utf8'))).toEqual(card);
    const before = tf.memory().numTensors;
    const loaded = await loadModelDir(dir);
    expect(loaded.config).toEqual(fx.config);
    expect(loaded.card).toEqual(card);
    const p = predictValence(loaded.model, fx.inputs, loaded.config);
    expect(firstBitDifference(p, predictValence(model, fx.inputs, fx.config))).toBe(-1);
    expect(maxAbsDiff(p, fx.expected)).toBeLessThanOrEqual(1e-4);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('saves and loads a two-output model (valence, arousal) with both outputs identical', async () => {
    const config: CnnConfig = { ...SEED_PRESET, features: 'db', channels: [4], outputs: 2 };
    const two = buildCnn(config, { seed: 9 });
    const dir = join(root, 'two-outputs');
    await saveModelDir(dir, two, config, card);
    const loaded = await loadModelDir(dir);
    expect(loaded.config).toEqual(config);
    const a = predict(two, fx.inputs, config);
    const b = predict(loaded.model, fx.inputs, loaded.config);
    expect(firstBitDifference(b.valence, a.valence)).toBe(-1);
    expect(firstBitDifference(b.arousal!, a.arousal!)).toBe(-1);
    two.dispose();
    loaded.model.dispose();
  });

  it('overwrites an existing model in place, leaving no temporary files', async () => {
    const dir = join(root, 'overwrite');
    const other = buildCnn(fx.config, { seed: 8 });
    await saveModelDir(dir, other, fx.config, { v: 1 });
    other.dispose();
    await saveModelDir(dir, model, fx.config, { v: 2 });
    expect(readdirSync(dir).sort()).toEqual(['card.json', 'model.json', 'weights.bin']);
    const loaded = await loadModelDir(dir);
    expect(loaded.card).toEqual({ v: 2 });
    expect(firstBitDifference(predictValence(loaded.model, fx.inputs, fx.config), predictValence(model, fx.inputs, fx.config))).toBe(-1);
    loaded.model.dispose();
  });

  it('leaves an existing model untouched when a save is refused', async () => {
    const dir = join(root, 'kept');
    await saveModelDir(dir, model, fx.config, card);
    await expect(saveModelDir(dir, model, { ...fx.config, kernelSize: 3 }, card)).rejects.toThrow(ModelError);
    expect(readdirSync(dir).sort()).toEqual(['card.json', 'model.json', 'weights.bin']);
    const loaded = await loadModelDir(dir);
    expect(loaded.card).toEqual(card);
    loaded.model.dispose();
  });

  describe('refuses broken folders', () => {
    let good: string;
    beforeAll(async () => {
      good = join(root, 'good');
      await saveModelDir(good, model, fx.config, card);
    });

    /** A copy of the good folder with one change. */
    const brokenCopy = (name: string, change: (dir: string) => void): string => {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const f of readdirSync(good)) copyFileSync(join(good, f), join(dir, f));
      change(dir);
      return dir;
    };

    const cases: [string, (dir: string) => void, RegExp][] = [
      ['a missing model.json', (d) => rmSync(join(d, 'model.json')), /missing model.json/],
      ['a missing weights file', (d) => rmSync(join(d, 'weights.bin')), /missing weights file weights.bin/],
      ['a model.json that is not JSON', (d) => writeFileSync(join(d, 'model.json'), '{"format": "layers-mo'), /model.json is not valid JSON/],
      ['truncated weights', (d) => truncateSync(join(d, 'weights.bin'), 1000), /weights are 1000 bytes, model.json describes \d+/],
      [
        'weights from another save of the same architecture',
        (d) => {
          const w = readFileSync(join(d, 'weights.bin'));
          w.writeFloatLE(w.readFloatLE(400) + 0.5, 400);
          writeFileSync(join(d, 'weights.bin'), w);
        },
        /weights checksum .* does not match/,
      ],
      [
        'a weights path that leaves the folder',
        (d) => {
          const j = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
          j.weightsManifest[0].paths = ['../good/weights.bin'];
          writeFileSync(join(d, 'model.json'), JSON.stringify(j));
        },
        /must be a plain file name/,
      ],
    ];
    cases.forEach(([what, change, message], i) => {
      it(`refuses ${what}`, async () => {
        const dir = brokenCopy(`broken${i}`, change);
        const before = tf.memory().numTensors;
        await expect(loadModelDir(dir)).rejects.toThrow(ModelError);
        await expect(loadModelDir(dir)).rejects.toThrow(message);
        expect(tf.memory().numTensors).toBe(before);
      });
    });

    it('refuses a folder that does not exist, naming it', async () => {
      await expect(loadModelDir(join(root, 'nope'))).rejects.toThrow(/no model folder at .*nope/);
    });
  });
});
