// The evaluate CLI as a user runs it: tiny RAVDESS-style corpora and manifests written
// here, random-weights models saved here; the --json contract, the report's-rule scoring
// (same numbers as clipFeatures + predict + the metrics in this process), one row per corpus
// and the pooled line, arousal for a two-output model, the training-speaker warning, skipped
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
import { predict, predictValence } from '../src/model/predict.ts';
import { allMetrics, knownMetrics, type ValenceMetrics } from '../src/training/metrics.ts';
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

/** A test tone with some noise, k picking its pitch, length and noise. */
function tone(k: number): Float32Array {
  const r = createRng(k + 1);
  const ints = Array.from({ length: 8000 + 2000 * k }, (_, i) =>
    Math.round(6000 * Math.sin((2 * Math.PI * (150 + 120 * k) * i) / 16000) + 2000 * (r() * 2 - 1)),
  );
  return Float32Array.from(ints, (v) => v / 32768);
}

/** Writes samples as a 16 kHz 16-bit WAV, creating its folder. */
function writeWav(path: string, samples: Float32Array): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const ints = Array.from(samples, (v) => Math.round(v * 32768));
  writeFileSync(path, wavBytes({ rate: 16000, bits: 16, frames: ints.map((v) => [v]) }));
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
  const clips: TestClip[] = names.map(([name, valence], k) => ({ path: join(data, name), valence, samples: tone(k) }));
  /** The same model with a card in the bundled models' legacy words: trained on RAVDESS, actors 17-20 held out. */
  const legacyDir = join(root, 'legacy');
  let expected: ReturnType<typeof allMetrics>;

  beforeAll(async () => {
    clips.forEach((c) => writeWav(c.path, c.samples));
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 3 });
    await saveModelDir(modelDir, model, config, { name: 'evaluate test (random weights)' });
    await saveModelDir(legacyDir, model, config, {
      name: 'evaluate test (legacy card)',
      data: { source: `RAVDESS-layout folder ${data}`, split: 'validation speakers 17-20' },
    });
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
    expect(r.stderr).not.toMatch(/warning/); // the card names no training data
  });

  it("warns about the training speakers of a legacy RAVDESS card, and scores them", () => {
    const r = evaluate('--model', legacyDir, '--data', data, '--json', '--cache-dir', cacheDir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: corpus ravdess: the model's card lists speaker\(s\) 01, 02 as training speakers; they are scored/);
    expect(r.stderr).toMatch(/--speakers ravdess=17-20 scores its held-out speakers only/);
    const out = JSON.parse(lastLine(r.stdout)) as Record<string, number>;
    expect(out.n).toBe(4);
    expect(out.ccc).toBeCloseTo(expected.ccc, 6);
  });

  it('prints a table by default, reads the cache on a second run, and can score some speakers only', () => {
    const r = evaluate('--model', modelDir, '--data', data, '--cache-dir', cacheDir, '--speakers', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].split(/\s+/).filter(Boolean)).toEqual(['corpus', 'n', 'mse', 'ccc', 'pearson', 'sign_acc', 'a_n', 'a_mse', 'a_ccc', 'a_pearson', 'a_sign_acc']);
    expect(lines).toHaveLength(3); // one corpus: no pooled row
    expect(lines[2].trim().split(/\s+/).slice(0, 2)).toEqual(['ravdess', '2']);
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
    expect(evaluate('--model', modelDir, '--data', data, '--manifest', 'x.csv').stderr).toMatch(/no such manifest: x\.csv/);
    expect(evaluate('--model', modelDir, '--data', data, '--data', join(root, 'cache'), '--speakers', '2').stderr).toMatch(
      /with several corpora, say which one, e\.g\. --speakers ravdess=2/,
    );
    expect(evaluate('--model', modelDir, '--data', join(root, 'none')).stderr).toMatch(/no such folder/);
  });
});

describe('npm run evaluate on several corpora with a two-output model', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-evaluate-multi-'));
  const cacheDir = join(root, 'cache');
  const modelDir = join(root, 'model');
  const config: CnnConfig = { ...SEED_PRESET, features: 'db', outputs: 2 };
  interface Labelled {
    path: string;
    corpus: string;
    valence: number | null;
    arousal: number | null;
    samples: Float32Array;
  }
  // SPEC section 3 by hand: angry strong (actor 1), calm strong (actor 1), sad normal (x0.75, actor 2).
  const ravdess: [string, number, number][] = [
    ['Actor_01/03-01-05-02-01-01-01.wav', -0.7, 0.8],
    ['Actor_01/03-01-02-02-01-01-01.wav', 0.3, -0.6],
    ['Actor_02/03-01-04-01-01-01-02.wav', -0.6 * 0.75, -0.5 * 0.75],
  ];
  // The manifest: b1 has no valence label, b2 no arousal label.
  const manifest: [string, string, number | null, number | null][] = [
    ['a1.wav', 'ann', 0.5, 0.2],
    ['a2.wav', 'ann', -0.3, -0.4],
    ['b1.wav', 'bob', null, 0.6],
    ['b2.wav', 'bob', 0.1, null],
  ];
  const clips: Labelled[] = [
    ...ravdess.map(([name, valence, arousal], k) => ({ path: join(root, 'ravdess', name), corpus: 'ravdess', valence, arousal, samples: tone(k) })),
    ...manifest.map(([name, , valence, arousal], k) => ({ path: join(root, 'clips', name), corpus: 'arousal-clips', valence, arousal, samples: tone(k + 3) })),
  ];
  const csv = join(root, 'arousal-clips.csv');
  let pred: { valence: Float32Array; arousal: Float32Array };

  /** The metrics of the clips `keep` picks, from this process's predictions. */
  const metricsOf = (keep: (c: Labelled) => boolean) => {
    const at = clips.flatMap((c, i) => (keep(c) ? [i] : []));
    const dim = (d: 'valence' | 'arousal') => knownMetrics(at.map((i) => pred[d][i]), at.map((i) => clips[i][d]));
    return { valence: dim('valence')!, arousal: dim('arousal')! };
  };
  const expectClose = (got: Record<string, unknown>, want: ValenceMetrics, digits = 6) => {
    expect(got.n).toBe(want.n);
    for (const k of ['mse', 'ccc', 'pearson', 'sign_acc'] as const) expect(got[k] as number).toBeCloseTo(want[k], digits);
  };

  beforeAll(async () => {
    clips.forEach((c) => writeWav(c.path, c.samples));
    const cell = (v: number | null) => (v === null ? '' : String(v));
    writeFileSync(csv, ['path,valence,speaker,arousal', ...manifest.map(([name, sp, v, a]) => `clips/${name},${cell(v)},${sp},${cell(a)}`)].join('\n'));
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 1 });
    const corpus = (name: string, layout: string, train: string[], val: string[]) =>
      ({ name, layout, source: `test ${name}`, clips: 3, speakers: 2, trainSpeakers: train, valSpeakers: val, heldOut: false });
    await saveModelDir(modelDir, model, config, {
      name: 'evaluate test (two outputs, random weights)',
      data: { corpora: [corpus('ravdess', 'ravdess', ['01'], ['02']), corpus('arousal-clips', 'manifest', ['ann'], ['bob'])] },
    });
    const out = predict(model, clips.map((c) => clipFeatures(c.samples, 16000, 'db').data), config);
    pred = { valence: out.valence, arousal: out.arousal! };
    model.dispose();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--json: pooled valence at the top level, arousal, and each corpus apart; warns about training speakers', () => {
    const r = evaluate('--model', modelDir, '--data', join(root, 'ravdess'), '--manifest', csv, '--json', '--cache-dir', cacheDir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(lastLine(r.stdout)) as Record<string, unknown> & { arousal: Record<string, unknown>; corpora: Record<string, Record<string, unknown>> };
    expect(Object.keys(out)).toEqual(['n', 'mse', 'ccc', 'pearson', 'sign_acc', 'arousal', 'corpora']);
    const pooled = metricsOf(() => true);
    expect(pooled.valence.n).toBe(6); // b1's empty valence takes no part
    expect(pooled.arousal.n).toBe(6); // b2's empty arousal takes no part
    expectClose(out, pooled.valence);
    expectClose(out.arousal, pooled.arousal);
    expect(Object.keys(out.corpora)).toEqual(['ravdess', 'arousal-clips']);
    for (const name of ['ravdess', 'arousal-clips']) {
      const want = metricsOf((c) => c.corpus === name);
      expectClose(out.corpora[name], want.valence);
      expectClose(out.corpora[name].arousal as Record<string, unknown>, want.arousal);
    }
    expect(out.corpora['arousal-clips'].n).toBe(3);
    expect((out.corpora['arousal-clips'].arousal as Record<string, unknown>).n).toBe(3);
    expect(r.stderr).toMatch(/warning: corpus ravdess: the model's card lists speaker\(s\) 01 as training speakers/);
    expect(r.stderr).toMatch(/warning: corpus arousal-clips: the model's card lists speaker\(s\) ann as training speakers/);
    expect(r.stderr).toMatch(/7 clip\(s\) of 4 speaker\(s\) in 2 corpora/);
  });

  it('the table: a row per corpus and a pooled row; --speakers NAME=LIST restricts one corpus', () => {
    const r = evaluate('--model', modelDir, '--manifest', csv, '--data', join(root, 'ravdess'), '--speakers', 'ravdess=2', '--cache-dir', cacheDir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/corpus ravdess: the model's card/); // actor 02 was held out
    expect(r.stderr).toMatch(/corpus arousal-clips: the model's card lists speaker\(s\) ann/);
    const lines = r.stdout.trim().split('\n');
    const rows = lines.slice(2).map((l) => l.split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual(['arousal-clips', 'ravdess', 'all (pooled)']);
    const groups = [
      metricsOf((c) => c.corpus === 'arousal-clips'),
      metricsOf((c) => c.corpus === 'ravdess' && c.path.includes('Actor_02')),
      metricsOf((c) => c.corpus === 'arousal-clips' || c.path.includes('Actor_02')),
    ];
    rows.forEach((row, i) => {
      const { valence, arousal } = groups[i];
      const cells = (m: ValenceMetrics) => [m.n, m.mse, m.ccc, m.pearson, m.sign_acc];
      [...cells(valence), ...cells(arousal)].forEach((want, j) => {
        const got = row[1 + j];
        if (Number.isNaN(want)) expect(got).toBe('n/a');
        else expect(Number(got)).toBeCloseTo(want, 3);
      });
    });
  });
});
