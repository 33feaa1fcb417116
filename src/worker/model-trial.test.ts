// The worker's trial of a model before it becomes active: a one- and a two-output model
// pass with the outputs the app reads; a model the file checks pass but whose forward pass
// overflows, and one with a wrong declared input, are refused naming the problem; nothing
// is left allocated either way.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_PRESET, type CnnConfig } from '../model/config.ts';
import { crc32Hex } from '../model/crc32.ts';
import { ModelError } from '../model/errors.ts';
import { parseModelJson } from '../model/model-check.ts';
import { makeModelFolder, type ModelFolder } from '../storage/test-support.ts';
import { trialForwardPass } from './model-trial.ts';

const ONE: CnnConfig = { ...SEED_PRESET, features: 'db', channels: [4] };
const TWO: CnnConfig = { ...ONE, outputs: 2 };

const filesOf = (f: ModelFolder, modelJsonText = f.modelJsonText, weights: Uint8Array = f.weights) => ({
  name: String(f.card.name),
  modelJson: parseModelJson(modelJsonText),
  weights: weights.slice().buffer,
});

describe('trialForwardPass', () => {
  let one: ModelFolder;
  let two: ModelFolder;
  beforeAll(async () => {
    one = await makeModelFolder('trial-one', 7, ONE);
    two = await makeModelFolder('trial-two', 8, TWO);
  });

  it('passes a one-output model (arousal null) and a two-output one (both finite), leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const a = await trialForwardPass(filesOf(one));
    expect(Number.isFinite(a.valence)).toBe(true);
    expect(a.arousal).toBeNull();
    const b = await trialForwardPass(filesOf(two));
    expect(Number.isFinite(b.valence)).toBe(true);
    expect(Number.isFinite(b.arousal)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model whose forward pass overflows (finite weights, infinite valence)', async () => {
    // Every weight 3e38 (the largest float32 is 3.4e38): the first convolution already
    // overflows to Infinity, and the last layer's sum of infinities gives Infinity or NaN.
    const huge = new Float32Array(one.weights.byteLength / 4).fill(3e38);
    const bytes = new Uint8Array(huge.buffer);
    const json = JSON.parse(one.modelJsonText) as { userDefinedMetadata: { weightsCrc32: string } };
    json.userDefinedMetadata.weightsCrc32 = crc32Hex(bytes);
    const before = tf.memory().numTensors;
    const err = await trialForwardPass(filesOf(one, JSON.stringify(json), bytes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^model "trial-one": the trial forward pass gave valence (Infinity|-Infinity|NaN), not a finite number$/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a declared input of [null, 32, 121, 1], naming it', async () => {
    const json = JSON.parse(one.modelJsonText) as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } };
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 32, 121, 1];
    const err = await trialForwardPass(filesOf(one, JSON.stringify(json))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toContain('[?, 32, 121, 1]');
  });
});
