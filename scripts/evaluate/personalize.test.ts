// npm run evaluate -- --personalize K as a user runs it, on a manifest of synthesised WAVs
// (two speakers) and a small random-weights model: the --json line's exact structure, its
// "before" equal to plain evaluate's scores of each speaker's remaining clips (a separate
// run), the fine-tune changing the scores, and clear refusals. planSpeakers and parseRecipe
// directly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../../src/audio/test-support.ts';
import { initNodeBackend } from '../../src/model/backend.ts';
import { buildCnn } from '../../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../../src/model/config.ts';
import { createRng } from '../../src/training/random.ts';
import type { Clip } from '../../src/training/corpus.ts';
import { PERSONAL_AUGMENTATIONS } from '../../src/training/personalize/recipe.ts';
import { saveModelDir } from '../lib/model-files.ts';
import { runScript } from '../lib/test-support.ts';
import { parseRecipe } from '../../src/training/personalize/recipe-text.ts';
import { planSpeakers } from './personalize.ts';

const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';

/** 1.5 s of a tone in noise at 16 kHz, k picking pitch and level. */
function tone(k: number): number[] {
  const r = createRng(k + 1);
  return Array.from({ length: 24000 }, (_, i) => Math.round((1500 + 400 * k) * Math.sin((2 * Math.PI * (120 + 35 * k) * i) / 16000) + 800 * (r() * 2 - 1)));
}

describe('npm run evaluate -- --personalize K', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-personalize-'));
  const modelDir = join(root, 'model');
  const cacheDir = join(root, 'cache');
  const config: CnnConfig = { ...SEED_PRESET, channels: [2, 3], features: 'db' };
  const labels = [-0.5, -0.5, 0, 0, 0.5, 0.5];
  /** Manifest order: speaker ann's six clips, then bob's. */
  const clips: Clip[] = ['ann', 'bob'].flatMap((speaker, s) =>
    labels.map((valence, i) => ({ path: join(root, 'wav', `${speaker}-${i}.wav`), valence, arousal: null, speaker, corpus: 'clips' })),
  );
  const manifest = join(root, 'clips.csv');

  beforeAll(async () => {
    mkdirSync(join(root, 'wav'), { recursive: true });
    clips.forEach((c, k) => writeFileSync(c.path, wavBytes({ rate: 16000, bits: 16, frames: tone(k).map((v) => [v]) })));
    writeFileSync(manifest, ['path,valence,speaker', ...clips.map((c) => `${c.path},${c.valence},${c.speaker}`)].join('\n'));
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 5 });
    await saveModelDir(modelDir, model, config, { name: 'personalize test (random weights)' });
    model.dispose();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints {k, speakers, before, after}; before is plain evaluate on each speaker\'s remaining clips', () => {
    const args = ['--model', modelDir, '--manifest', manifest, '--cache-dir', cacheDir, '--json'];
    const r = runScript('scripts/evaluate.ts', [...args, '--personalize', '3', '--personalize-recipe', 'steps=3,lr=0.01,batch=2'], 300_000);
    expect(r.stderr).toMatch(/clips\/ann: valence CCC/);
    expect(r.status).toBe(0);
    const out = JSON.parse(lastLine(r.stdout)) as Record<string, Record<string, number>>;
    expect(Object.keys(out)).toEqual(['k', 'speakers', 'before', 'after']);
    expect(out.k).toBe(3);
    expect(out.speakers).toBe(2);
    expect(Object.keys(out.before)).toEqual(['ccc', 'mse', 'sign_acc']);
    expect(Object.keys(out.after)).toEqual(['ccc', 'mse', 'sign_acc']);

    // The remaining clips, one manifest per speaker, scored by plain evaluate.
    const plans = planSpeakers(clips.map((clip) => ({ clip, value: new Float32Array(0) })), 3, 0);
    expect(plans.map((p) => p.rest.length)).toEqual([3, 3]);
    const restArgs = plans.flatMap((p, s) => {
      const file = join(root, `rest-${s}.csv`);
      writeFileSync(file, ['path,valence', ...p.rest.map((i) => `${p.items[i].clip.path},${p.items[i].clip.valence}`)].join('\n'));
      return ['--manifest', file];
    });
    const plain = runScript('scripts/evaluate.ts', ['--model', modelDir, '--cache-dir', cacheDir, '--json', ...restArgs], 300_000);
    expect(plain.status).toBe(0);
    const corpora = (JSON.parse(lastLine(plain.stdout)) as { corpora: Record<string, Record<string, number>> }).corpora;
    for (const key of ['ccc', 'mse', 'sign_acc'] as const) {
      expect(out.before[key]).toBeCloseTo((corpora['rest-0'][key] + corpora['rest-1'][key]) / 2, 6);
    }
    expect(out.after.mse).not.toBeCloseTo(out.before.mse, 6);
  });

  it('with a two-output model and arousal labels, adds arousal: plain evaluate\'s on the remaining clips before', async () => {
    const dir2 = join(root, 'model2');
    const config2: CnnConfig = { ...config, outputs: 2 };
    const model = buildCnn(config2, { seed: 6 });
    await saveModelDir(dir2, model, config2, { name: 'personalize test (two outputs, random weights)' });
    model.dispose();
    const arousal = [0.6, -0.4, 0.2, -0.6, 0.5, 0.1];
    const file = join(root, 'clips-va.csv');
    writeFileSync(file, ['path,valence,speaker,arousal', ...clips.map((c, i) => `${c.path},${c.valence},${c.speaker},${arousal[i % 6]}`)].join('\n'));
    const r = runScript('scripts/evaluate.ts', ['--model', dir2, '--manifest', file, '--cache-dir', cacheDir, '--json', '--personalize', '3', '--personalize-recipe', 'steps=3,lr=0.01,batch=2'], 300_000);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/clips-va\/ann: valence CCC \S+ -> \S+ \(r \S+\); arousal CCC/);
    const out = JSON.parse(lastLine(r.stdout)) as { arousal: Record<'before' | 'after', Record<string, number>> };
    expect(Object.keys(out)).toEqual(['k', 'speakers', 'before', 'after', 'arousal']);
    expect(Object.keys(out.arousal.before)).toEqual(['ccc', 'mse', 'sign_acc']);

    // The manifest's name is the corpus, and a speaker's draw is seeded by corpus/speaker.
    const withArousal = clips.map((clip, i) => ({ clip: { ...clip, corpus: 'clips-va', arousal: arousal[i % 6] }, value: new Float32Array(0) }));
    const restArgs = planSpeakers(withArousal, 3, 0).flatMap((p, s) => {
      const rest = join(root, `rest-va-${s}.csv`);
      writeFileSync(rest, ['path,valence,speaker,arousal', ...p.rest.map((i) => `${p.items[i].clip.path},${p.items[i].clip.valence},x,${p.items[i].clip.arousal}`)].join('\n'));
      return ['--manifest', rest];
    });
    const plain = runScript('scripts/evaluate.ts', ['--model', dir2, '--cache-dir', cacheDir, '--json', ...restArgs], 300_000);
    expect(plain.status).toBe(0);
    const corpora = (JSON.parse(lastLine(plain.stdout)) as { corpora: Record<string, { arousal: Record<string, number> }> }).corpora;
    for (const key of ['ccc', 'mse', 'sign_acc'] as const) {
      expect(out.arousal.before[key]).toBeCloseTo((corpora['rest-va-0'].arousal[key] + corpora['rest-va-1'].arousal[key]) / 2, 6);
    }
    expect(out.arousal.after.mse).not.toBeCloseTo(out.arousal.before.mse, 6);
  });

  it('refuses a K that leaves a speaker nothing to score, naming the speaker', () => {
    const r = runScript('scripts/evaluate.ts', ['--model', modelDir, '--manifest', manifest, '--cache-dir', cacheDir, '--personalize', '6'], 300_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/speaker clips\/ann: K = 6 leaves none of the 6 clips to score/);
  });

  it('plans speakers by corpus and id, and refuses too few clips per label', () => {
    const items = clips.map((clip) => ({ clip, value: new Float32Array(0) }));
    expect(planSpeakers(items, 3, 0).map((p) => p.name)).toEqual(['clips/ann', 'clips/bob']);
    // A speaker's draw does not depend on who else is scored.
    expect(planSpeakers(items.slice(6), 3, 0)[0].train).toEqual(planSpeakers(items, 3, 0)[1].train);
    expect(() => planSpeakers(items, 2, 0)).toThrow(/speaker clips\/ann: K = 2 is fewer than the 3 distinct labels/);
  });

  it('reads --personalize-recipe over the defaults and names a bad entry', () => {
    const r = parseRecipe('layers=2, steps=40,lr=0.001,l2sp=0.01,augment=heavy,offset=mean');
    expect(r).toMatchObject({ layers: 2, steps: 40, lr: 0.001, l2sp: 0.01, offset: 'mean' });
    expect(r.augment).toBe(PERSONAL_AUGMENTATIONS.heavy);
    expect(parseRecipe('layers=all').layers).toBe('all');
    expect(() => parseRecipe('steps')).toThrow(/"steps" is not key=value/);
    expect(() => parseRecipe('depth=3')).toThrow(/unknown key "depth"/);
    expect(() => parseRecipe('lr=fast')).toThrow(/lr must be a number, got "fast"/);
    expect(() => parseRecipe('augment=wild')).toThrow(/augment must be none, live, heavy/);
  });
});
