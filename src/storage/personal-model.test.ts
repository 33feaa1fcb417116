// A personal model from calibration to storage and export, on fake-indexeddb: its folder
// parts (personal-model.ts) carry the calibrated weights, the personal card and the
// PyTorch weights; the store checks them, keeps them as the active model, and refuses
// parts that do not match (nothing stored); the export's four files load back as the same
// model; the card reads back in words.
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { personalSummary, personalText } from '../calibration/personal-card.ts';
import { personalModelFiles } from '../calibration/personal-export.ts';
import { modelFromArtifacts } from '../model/artifacts.ts';
import { parseSafetensors } from '../model/safetensors.ts';
import { exportTorchWeights } from '../model/torch-weights.ts';
import type { CalibrationResult } from '../training/personalize/calibrate.ts';
import { DEFAULT_PERSONALIZE } from '../training/personalize/recipe.ts';
import { personalModelParts } from '../training/personalize/personal-model.ts';
import { openModelStore } from './model-store.ts';
import { makeModelFolder, type ModelFolder } from './test-support.ts';

const metrics = (ccc: number) => ({ n: 8, mse: 0.2, ccc, pearson: 0.5, sign_acc: 0.6 });

describe('personal model', () => {
  let base: ModelFolder;
  beforeAll(async () => {
    base = await makeModelFolder('live-db', 3);
  });

  async function parts() {
    const bundle = await modelFromArtifacts(JSON.parse(base.modelJsonText), base.weights);
    const weights = bundle.model.getWeights().map((w) => Float32Array.from(w.dataSync(), (x) => x + 0.001));
    const result: CalibrationResult = {
      weights,
      offset: null,
      report: { clips: 14, folds: 4, before: { valence: metrics(0.03), arousal: null }, after: { valence: metrics(0.41), arousal: null } },
    };
    const origin = { baseId: 'bundled/live-db', baseName: 'live-db', createdAt: '2026-12-02T06:00:00.000Z' };
    const made = await personalModelParts(bundle, result, origin, DEFAULT_PERSONALIZE);
    const torch = exportTorchWeights(bundle.model, bundle.config);
    bundle.model.dispose();
    return { ...made, weights, torch };
  }

  it('is stored as the active model, with its card, and exports as a folder that loads back', async () => {
    const { parts: p, weights, torch } = await parts();
    const store = await openModelStore(new IDBFactory());
    const summary = await store.addPersonal({ modelJson: p.modelJson as unknown as Record<string, unknown>, weights: p.weights, safetensors: p.safetensors.buffer });
    expect(summary).toMatchObject({ source: 'personal', name: 'live-db (personal)' });
    expect(summary.id).toMatch(/^personal\/[0-9a-f]{16}$/);
    expect('safetensors' in summary).toBe(false);
    expect(await store.activeId()).toBe(summary.id);

    const record = (await store.get(summary.id))!;
    // The base's training and data description stay; its scores do not describe this model.
    expect(record.card.data).toEqual(base.card.data);
    expect(record.card.metrics).toBeUndefined();
    const s = personalSummary(record.card)!;
    expect(s).toEqual({ baseId: 'bundled/live-db', baseName: 'live-db', date: '2026-12-02', clips: 14, folds: 4, before: 0.03, after: 0.41 });
    expect(personalText(s)).toBe(
      'Fine-tuned from live-db on 14 of your clips on 2026-12-02. Valence on your clips: CCC 0.03 before, 0.41 after (4-fold: each clip read by a model that did not train on it).',
    );
    expect(personalSummary(base.card)).toBeNull();

    const files = personalModelFiles(record);
    expect(files.map((f) => f.name)).toEqual(['weights.bin', 'model.safetensors', 'card.json', 'model.json']);
    const bytes = (name: string) => files.find((f) => f.name === name)!.data;
    const back = await modelFromArtifacts(JSON.parse(bytes('model.json') as string), bytes('weights.bin') as Uint8Array);
    back.model.getWeights().forEach((w, i) => expect(Float32Array.from(w.dataSync())).toEqual(weights[i]));
    back.model.dispose();
    const st = parseSafetensors(bytes('model.safetensors') as Uint8Array);
    expect([...st.tensors.keys()]).toEqual([...torch.keys()]);
    for (const [name, t] of torch) expect(st.tensors.get(name)!.data).toEqual(t.data);
    expect(JSON.parse(bytes('card.json') as string)).toEqual(record.card);

    await store.remove(summary.id);
    expect(await store.get(summary.id)).toBeUndefined();
  });

  it('can be stored without becoming the active model (its score did not beat the base\'s)', async () => {
    const { parts: p } = await parts();
    const store = await openModelStore(new IDBFactory());
    const summary = await store.addPersonal({ modelJson: p.modelJson as unknown as Record<string, unknown>, weights: p.weights, safetensors: p.safetensors.buffer }, false);
    expect((await store.list()).map((m) => m.id)).toEqual([summary.id]);
    // Nothing was chosen, and no bundled model is stored here: no active model.
    expect(await store.activeId()).toBeUndefined();
  });

  it('refuses parts whose weights do not match their model.json, storing nothing', async () => {
    const { parts: p } = await parts();
    const store = await openModelStore(new IDBFactory());
    const weights = p.weights.slice(0);
    new Float32Array(weights)[0] += 1;
    await expect(store.addPersonal({ modelJson: p.modelJson as unknown as Record<string, unknown>, weights, safetensors: p.safetensors.buffer })).rejects.toThrow(/checksum|crc/i);
    expect(await store.list()).toEqual([]);
    expect(() => personalModelFiles({ name: 'x', modelJson: {}, weights: new ArrayBuffer(4), card: {} })).toThrow(/only personal models can be exported/);
  });
});
