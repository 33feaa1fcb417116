// The evaluate CLI as a user runs it: a tiny RAVDESS-style corpus and a manifest written
// here, a random-weights model saved here; the --json contract, the report's-rule scoring
// (same numbers as clipFeatures + predictValence + allMetrics in this process), skipped
// files, the cache, and clear errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../src/audio/test-support.ts';
import { clipFeatures } from '../src/dsp/pipeline.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { predictValence } from '../src/model/predict.ts';
import { allMetrics } from '../src/training/metrics.ts';
import { createRng } from '../src/training/random.ts';
import { saveModelDir } from './lib/model-files.ts';
import { runScript } from './lib/test-support.ts';

function evaluate(...args: string[]) {
  const r = runScript('scripts/evaluate.ts', args, 120_000);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastLine = (s: string) => s.trim().split('\n').pop()!;

interface TestClip {
  path: string;
  valence: number;
  samples: Float32Array;
}

describe('npm run evaluate', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-evaluate-'));
  const data = join(root, 'ravdess');
  const modelDir = join(root, 'model');
  const cacheDir = join(root, 'cache');
  const config: CnnConfig = { ...SEED_PRESET, features: 'db' };
  // angry strong (actor 1), happy normal (actor 1), calm strong (actor 2), sad normal (actor 2).
  const names: [string, number][] = [
    ['Actor_01/03-01-05-02-01-01-01.wav', -0.7],
    ['Actor_01/03-01-03-01-01-01-01.wav', 0.8 * 0.75],
    ['Actor_02/03-01-02-02-01-01-02.wav', 0.3],
    ['Actor_02/03-01-04-01-01-01-02.wav', -0.6 * 0.75],
  ];
  const clips: TestClip[] = names.map(([name, valence], k) => {
    const r = createRng(k + 1);
    const ints = Array.from({ length: 8000 + 2000 * k }, (_, i) =>
      Math.round(6000 * Math.sin((2 * Math.PI * (150 + 120 * k) * i) / 16000) + 2000 * (r() * 2 - 1)),
    );
    return { path: join(data, name), valence, samples: Float32Array.from(ints, (v) => v / 32768) };
  });
  let expected: ReturnType<typeof allMetrics>;

  beforeAll(async () => {
    names.forEach(([name], k) => {
      mkdirSync(join(data, name, '..'), { recursive: true });
      const ints = Array.from(clips[k].samples, (v) => Math.round(v * 32768));
      writeFileSync(clips[k].path, wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }));
    });
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 3 });
    await saveModelDir(modelDir, model, config, { name: 'evaluate test (random weights)' });
    const pred = predictValence(model, clips.map((c) => clipFeatures(c.samples, 16000, 'db').data), config);
    expected = allMetrics(pred, clips.map((c) => c.valence));
    model.dispose();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--json prints one object with exactly n, mse, ccc, pearson, sign_acc, scored by the report rule', () => {
    const r = evaluate('--model', modelDir, '--data', data, '--json', '--cache-dir', cacheDir);
    expect(r.code).toBe(0);
    const out = JSON.parse(lastLine(r.stdout)) as Record<string, number>;
    expect(Object.keys(out)).toEqual(['n', 'mse', 'ccc', 'pearson', 'sign_acc']);
    expect(out.n).toBe(4);
    for (const key of ['mse', 'ccc', 'pearson', 'sign_acc'] as const) expect(out[key]).toBeCloseTo(expected[key], 6);
    expect(r.stderr).toMatch(/4 clip\(s\) of 2 speaker\(s\) \(features: 0 from cache/);
  });

  it('prints a table by default, reads the cache on a second run, and can score some speakers only', () => {
    const r = evaluate('--model', modelDir, '--data', data, '--cache-dir', cacheDir, '--speakers', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].split(/\s+/).filter(Boolean)).toEqual(['n', 'mse', 'ccc', 'pearson', 'sign_acc']);
    expect(lines[2].trim().split(/\s+/)[0]).toBe('2');
    expect(r.stderr).toMatch(/2 clip\(s\) of 1 speaker\(s\) \(features: 2 from cache/);
  });

  it('takes a manifest; files that cannot be read are listed and skipped', () => {
    const csv = join(root, 'clips.csv');
    writeFileSync(join(root, 'broken.wav'), 'RIFF\x10\x00\x00\x00WAVEjunkjunk');
    const rows = clips.map((c) => `${c.path},${c.valence}`);
    writeFileSync(csv, ['path,valence', ...rows, 'broken.wav,0.5', 'missing.wav,-0.5'].join('\n'));
    const r = evaluate('--model', modelDir, '--manifest', csv, '--json', '--cache-dir', cacheDir);
    expect(r.code).toBe(0);
    const out = JSON.parse(lastLine(r.stdout)) as Record<string, number>;
    expect(out.n).toBe(4);
    expect(out.mse).toBeCloseTo(expected.mse, 6);
    expect(r.stderr).toMatch(/skipped .*broken\.wav: broken WAV file/);
    expect(r.stderr).toMatch(/skipped .*missing\.wav: no such file/);
    expect(r.stderr).toMatch(/note: 6 row\(s\) .* no speaker column/);
    expect(r.stderr).toMatch(/4 clip\(s\) of 2 speaker\(s\), 2 skipped/);
  });

  it('explains bad options, a missing model and an empty selection with exit code 2', () => {
    const noCorpus = evaluate('--model', modelDir);
    expect(noCorpus.code).toBe(2);
    expect(noCorpus.stderr).toMatch(/give the clips with --data DIR or --manifest FILE\.csv/);
    const noModel = evaluate('--model', join(root, 'nope'), '--data', data, '--cache-dir', cacheDir);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/cannot load the model: no model folder/);
    const noSpeaker = evaluate('--model', modelDir, '--data', data, '--speakers', '17-20');
    expect(noSpeaker.code).toBe(2);
    expect(noSpeaker.stderr).toMatch(/no clips of speakers "17-20" \(the corpus has: 01, 02\)/);
    expect(evaluate('--model', modelDir, '--data', data, '--manifest', 'x.csv').stderr).toMatch(/exclude each other/);
    expect(evaluate('--model', modelDir, '--data', join(root, 'none')).stderr).toMatch(/no such folder/);
  });
});
