// The shared model checks (model-check.ts), on a model's declared input and on its output
// count (SPEC section 3). Input: a model.json whose topology reads [?, 32, 121, 1] while its
// config (and weights) say 64 x 121 is refused, by the checks themselves, by
// modelFromArtifacts (the CLI's and the worker's path) and by the page's import into the
// store, each naming the shape; so is a config made for 32 x 121. Outputs: a two-output
// model (valence, arousal) is accepted, directly and through an import into the store; a
// config asking for 3 outputs, or last-layer weights that do not match the config's output
// count, are refused with a message naming the problem.
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromArtifacts } from './artifacts.ts';
import { flatSize, SEED_PRESET, type CnnConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { checkModelJson, checkWeights, parseModelJson } from './model-check.ts';
import { openModelStore } from '../storage/model-store.ts';
import { makeModelFolder, pickedFiles, type ModelFolder } from '../storage/test-support.ts';

// A small CNN on the app's input: the checks do not depend on the block count.
const ONE: CnnConfig = { ...SEED_PRESET, features: 'db', channels: [4] };
const TWO: CnnConfig = { ...ONE, outputs: 2 };

/** The parts of model.json these tests edit. */
interface Json {
  modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
  userDefinedMetadata: { config: Record<string, unknown> & { inputShape: number[] } };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

let one: ModelFolder;
let two: ModelFolder;
beforeAll(async () => {
  one = await makeModelFolder('valence-only', 1, ONE);
  two = await makeModelFolder('valence-arousal', 2, TWO);
});

/** model.json of `folder` (parsed) with an edit applied. */
const edited = (folder: ModelFolder, edit: (j: Json) => void): Record<string, unknown> => {
  const j = parseModelJson(folder.modelJsonText);
  edit(j as unknown as Json);
  return j;
};
/** The ModelError checkModelJson throws for `json` (the test fails if it accepts it). */
const refusal = (json: Record<string, unknown>): Error => {
  try {
    checkModelJson(json);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as Error;
  }
  throw new Error('the model was accepted');
};

describe('model check: input shape (SPEC: 64 Mel bands x 121 frames)', () => {
  /** The one-output model's first layer with batch_input_shape `shape`, the rest of model.json untouched. */
  const withInput = (shape: (number | null)[]) =>
    edited(one, (j) => (j.modelTopology.config.layers[0].config.batch_input_shape = shape));

  it('accepts the model as saved: its first layer declares [null, 64, 121, 1]', () => {
    const json = parseModelJson(one.modelJsonText) as unknown as Json;
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 64, 121, 1]);
    const checked = checkModelJson(json as unknown as Record<string, unknown>);
    expect(checked.config.inputShape).toEqual([64, 121]);
    expect(() => checkWeights(json as unknown as Record<string, unknown>, one.weights, checked.weightsCrc32)).not.toThrow();
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
      edited(one, (j) => {
        j.userDefinedMetadata.config.inputShape = [32, 121];
        j.modelTopology.config.layers[0].config.batch_input_shape = [null, 32, 121, 1];
      }),
    );
    expect(e.message).toContain('the model reads 32 x 121 inputs; the app computes 64 Mel bands x 121 frames');
  });

  it('modelFromArtifacts (the CLI and the worker) refuses the [null, 32, 121, 1] model before TF.js builds it', async () => {
    const err = await modelFromArtifacts(withInput([null, 32, 121, 1]), one.weights).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toContain('[?, 32, 121, 1]');
    expect((err as Error).message).not.toMatch(/Shape mismatch/);
  });

  it("the page's import refuses it and keeps the store as it was", async () => {
    const store = await openModelStore(new IDBFactory());
    const good = await store.importModelFiles(pickedFiles('good', { 'model.json': one.modelJsonText, 'weights.bin': one.weights }));
    const before = await store.list();
    const bad = JSON.stringify(withInput([null, 32, 121, 1]));
    const err = await store.importModelFiles(pickedFiles('bad', { 'model.json': bad, 'weights.bin': one.weights })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^Model not imported: .*\[\?, 32, 121, 1\]/);
    expect(await store.list()).toEqual(before);
    expect(await store.activeId()).toBe(good.id);
  });
});

describe('model check: output count', () => {
  const setFc = (j: Json, k: number) => {
    for (const w of j.weightsManifest.flatMap((g) => g.weights)) {
      if (w.name === 'fc/kernel') w.shape = [w.shape[0], k];
      if (w.name === 'fc/bias') w.shape = [k];
    }
  };

  it('accepts a two-output model (valence, arousal) and its weights', () => {
    const json = parseModelJson(two.modelJsonText);
    const checked = checkModelJson(json, two.card);
    expect(checked.config.outputs).toBe(2);
    expect(() => checkWeights(json, two.weights.slice().buffer, checked.weightsCrc32)).not.toThrow();
  });

  it('accepts a one-output model as before (no outputs field in its config)', () => {
    const json = parseModelJson(one.modelJsonText);
    const checked = checkModelJson(json, one.card);
    expect('outputs' in checked.config).toBe(false);
    expect(() => checkWeights(json, one.weights.slice().buffer, checked.weightsCrc32)).not.toThrow();
  });

  it('refuses a config asking for 3 outputs', () => {
    const e = refusal(edited(two, (j) => (j.userDefinedMetadata.config.outputs = 3)));
    expect(e.message).toMatch(/outputs must be 1 \(valence\) or 2 \(valence, arousal\), got 3/);
  });

  it("refuses last-layer weights that do not match the config's output count, saying what the config needs", () => {
    const n = flatSize(ONE);
    // One-output weights under a two-output config.
    const e1 = refusal(edited(one, (j) => (j.userDefinedMetadata.config.outputs = 2)));
    expect(e1.message).toContain(`weight "fc/kernel" has shape [${n},1], the config needs [${n},2] (2 outputs: valence, arousal)`);
    // Three-output weights under a one-output config.
    const e3 = refusal(edited(one, (j) => setFc(j, 3)));
    expect(e3.message).toContain(`weight "fc/kernel" has shape [${n},3], the config needs [${n},1] (1 output: valence)`);
    // A two-output model whose bias alone is short.
    const eb = refusal(
      edited(two, (j) => {
        const bias = j.weightsManifest.flatMap((g) => g.weights).find((w) => w.name === 'fc/bias')!;
        bias.shape = [1];
      }),
    );
    expect(eb.message).toContain('weight "fc/bias" has shape [1], the config needs [2] (2 outputs: valence, arousal)');
  });

  it('imports a two-output folder into the store; refuses a three-output one and keeps the store as it was', async () => {
    const store = await openModelStore(new IDBFactory());
    const files = (folder: ModelFolder, modelJsonText = folder.modelJsonText) =>
      pickedFiles(String(folder.card.name), { 'model.json': modelJsonText, 'weights.bin': folder.weights, 'card.json': JSON.stringify(folder.card) });
    const imported = await store.importModelFiles(files(two));
    expect(imported.name).toBe('valence-arousal');
    const before = await store.list();
    const three = JSON.stringify(edited(two, (j) => (j.userDefinedMetadata.config.outputs = 3)));
    const err = await store.importModelFiles(files(two, three)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^Model not imported: .*outputs must be 1 \(valence\) or 2 \(valence, arousal\), got 3/);
    expect(await store.list()).toEqual(before);
    expect(await store.activeId()).toBe(imported.id);
  });
});
