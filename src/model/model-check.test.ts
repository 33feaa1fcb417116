// The shared model checks (model-check.ts) on a model's declared input: a model.json whose
// topology reads [?, 32, 121, 1] while its config (and weights) say 64 x 121 is refused, by
// the checks themselves, by modelFromArtifacts (the CLI's and the worker's path) and by the
// page's import into the store, each naming the shape; so is a config made for 32 x 121.
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromArtifacts } from './artifacts.ts';
import { SEED_PRESET, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { checkModelJson, checkWeights, parseModelJson } from './model-check.ts';
import { openModelStore } from '../storage/model-store.ts';
import { makeModelFolder, pickedFiles, type ModelFolder } from '../storage/test-support.ts';

const CONFIG: CnnConfig = { ...SEED_PRESET, features: 'db', channels: [4] };

interface Topology {
  config: { layers: { config: Record<string, unknown> }[] };
}
interface Json {
  modelTopology: Topology;
  userDefinedMetadata: { config: { inputShape: number[] } };
}

describe('model check: input shape (SPEC: 64 Mel bands x 121 frames)', () => {
  let folder: ModelFolder;
  beforeAll(async () => {
    folder = await makeModelFolder('input-check', 5, CONFIG);
  });

  const edited = (edit: (j: Json) => void): Record<string, unknown> => {
    const j = parseModelJson(folder.modelJsonText);
    edit(j as unknown as Json);
    return j;
  };
  /** The first layer's batch_input_shape set to `shape`, the rest of model.json untouched. */
  const withInput = (shape: (number | null)[]) =>
    edited((j) => (j.modelTopology.config.layers[0].config.batch_input_shape = shape));
  const refusal = (json: Record<string, unknown>): Error => {
    try {
      checkModelJson(json);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      return e as Error;
    }
    throw new Error('the model was accepted');
  };

  it('accepts the model as saved: its first layer declares [null, 64, 121, 1]', () => {
    const json = parseModelJson(folder.modelJsonText) as unknown as Json;
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 64, 121, 1]);
    const checked = checkModelJson(json as unknown as Record<string, unknown>);
    expect(checked.config.inputShape).toEqual([64, 121]);
    expect(() => checkWeights(json as unknown as Record<string, unknown>, folder.weights, checked.weightsCrc32)).not.toThrow();
  });

  it('refuses batch_input_shape [null, 32, 121, 1], naming the shape and what the app computes', () => {
    const e = refusal(withInput([null, 32, 121, 1]));
    expect(e.message).toContain('[?, 32, 121, 1]');
    expect(e.message).toContain('64 Mel bands x 121 frames');
  });

  it('refuses other wrong declared inputs: frames, channels, rank', () => {
    expect(refusal(withInput([null, 64, 120, 1])).message).toContain('[?, 64, 120, 1]');
    expect(refusal(withInput([null, 64, 121, 3])).message).toContain('[?, 64, 121, 3]');
    expect(refusal(withInput([null, 64, 121])).message).toContain('[?, 64, 121]');
  });

  it('refuses a config made for 32 x 121 inputs', () => {
    const e = refusal(
      edited((j) => {
        j.userDefinedMetadata.config.inputShape = [32, 121];
        j.modelTopology.config.layers[0].config.batch_input_shape = [null, 32, 121, 1];
      }),
    );
    expect(e.message).toContain('the model reads 32 x 121 inputs; the app computes 64 Mel bands x 121 frames');
  });

  it('modelFromArtifacts (the CLI and the worker) refuses the [null, 32, 121, 1] model before TF.js builds it', async () => {
    const err = await modelFromArtifacts(withInput([null, 32, 121, 1]), folder.weights).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toContain('[?, 32, 121, 1]');
    expect((err as Error).message).not.toMatch(/Shape mismatch/);
  });

  it("the page's import refuses it and keeps the store as it was", async () => {
    const store = await openModelStore(new IDBFactory());
    const good = await store.importModelFiles(pickedFiles('good', { 'model.json': folder.modelJsonText, 'weights.bin': folder.weights }));
    const before = await store.list();
    const bad = JSON.stringify(withInput([null, 32, 121, 1]));
    const err = await store.importModelFiles(pickedFiles('bad', { 'model.json': bad, 'weights.bin': folder.weights })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^Model not imported: .*\[\?, 32, 121, 1\]/);
    expect(await store.list()).toEqual(before);
    expect(await store.activeId()).toBe(good.id);
  });
});
