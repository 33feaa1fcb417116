// The page's model checks and output counts (SPEC section 3): a two-output model (valence,
// arousal) is accepted, directly and through an import into the store; a config asking
// for 3 outputs, or last-layer weights that do not match the config's output count, are
// refused with a message naming the problem.
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { flatSize, SEED_PRESET, type CnnConfig } from '../model/config.ts';
import { ModelError } from '../model/errors.ts';
import { checkModelJson, checkWeights, parseModelJson } from '../model/model-check.ts';
import { openModelStore } from './model-store.ts';
import { makeModelFolder, pickedFiles, type ModelFolder } from './test-support.ts';

// A small CNN on the app's input: the checks do not depend on the block count.
const ONE: CnnConfig = { ...SEED_PRESET, features: 'db', channels: [4] };
const TWO: CnnConfig = { ...ONE, outputs: 2 };

interface Json {
  userDefinedMetadata: { config: Record<string, unknown> };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

describe('model check: output count', () => {
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
  const refusal = (json: Record<string, unknown>): Error => {
    try {
      checkModelJson(json);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      return e as Error;
    }
    throw new Error('the model was accepted');
  };
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
