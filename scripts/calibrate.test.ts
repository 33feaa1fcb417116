// npm run calibrate as a user runs it, on a manifest of synthesised WAVs (one speaker, four
// tones) and a small random-weights model: the folder it writes loads as a model, with the
// personal card; its "before" score is plain evaluate's on the same clips (a separate run);
// and bad options or clips are refused, naming the problem, before TF.js loads.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../src/audio/test-support.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';
import { createRng } from '../src/training/random.ts';
import { DEFAULT_FOLDS } from '../src/training/personalize/folds.ts';
import { loadModelDir, saveModelDir } from './lib/model-files.ts';
import { runScript, runScriptWithoutTf } from './lib/test-support.ts';

const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';

function tone(k: number): number[] {
  const r = createRng(k + 3);
  return Array.from({ length: 20000 }, (_, i) => Math.round((1200 + 300 * k) * Math.sin((2 * Math.PI * (110 + 30 * k) * i) / 16000) + 700 * (r() * 2 - 1)));
}

describe('npm run calibrate', () => {
  const root = mkdtempSync(join(tmpdir(), 'vm-calibrate-'));
  const modelDir = join(root, 'model');
  const config: CnnConfig = { ...SEED_PRESET, channels: [2, 3], features: 'db' };
  const labels = [0, 0, 0.8, 0.8, -0.6, -0.6, -0.7, -0.7];
  const manifest = join(root, 'clips', 'manifest.csv');

  beforeAll(async () => {
    mkdirSync(join(root, 'clips'), { recursive: true });
    labels.forEach((_, k) => writeFileSync(join(root, 'clips', `c${k}.wav`), wavBytes({ rate: 16000, bits: 16, frames: tone(k).map((v) => [v]) })));
    writeFileSync(manifest, ['path,valence,speaker', ...labels.map((v, k) => `c${k}.wav,${v},me`)].join('\n') + '\n');
    await initNodeBackend('wasm');
    const model = buildCnn(config, { seed: 9 });
    await saveModelDir(modelDir, model, config, { name: 'calibrate test (random weights)' });
    model.dispose();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a personal model folder; its before score is evaluate\'s on the same clips', async () => {
    const out = join(root, 'personal');
    const r = runScript('scripts/calibrate.ts', ['--manifest', manifest, '--model', modelDir, '--out', out, '--recipe', 'steps=2,batch=2,lr=0.01', '--no-cache', '--json'], 300_000);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(lastLine(r.stdout)) as { clips: number; folds: number; before: { valence: Record<string, number> }; after: { valence: Record<string, number> } };
    expect(report).toMatchObject({ clips: 8, folds: DEFAULT_FOLDS });
    for (const f of ['model.json', 'weights.bin', 'model.safetensors', 'card.json']) expect(existsSync(join(out, f))).toBe(true);
    const personal = await loadModelDir(out);
    expect(personal.card.name).toBe('calibrate test (random weights) (personal)');
    expect((personal.card.personal as { before: unknown }).before).toEqual(report.before);
    personal.model.dispose();

    const e = runScript('scripts/evaluate.ts', ['--model', modelDir, '--manifest', manifest, '--no-cache', '--json'], 300_000);
    expect(e.status, e.stderr).toBe(0);
    const plain = JSON.parse(lastLine(e.stdout)) as Record<string, number>;
    // The same readings but for float32 rounding: calibrate reads the clips with the training
    // step's forward pass (Winograd convolutions after the first block), evaluate with TF.js's
    // LayersModel; both match PyTorch to SPEC's tolerances (train-step and check-reference tests).
    expect(report.before.valence.n).toBe(plain.n);
    expect(report.before.valence.sign_acc).toBe(plain.sign_acc);
    for (const key of ['mse', 'ccc', 'pearson']) expect(Math.abs(report.before.valence[key] - plain[key])).toBeLessThan(1e-5);

    // The folder is not overwritten.
    const again = runScriptWithoutTf('scripts/calibrate.ts', ['--manifest', manifest, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${out} already holds a model (model.json): choose another --out`);
  });

  it('refuses bad options and clips that cannot calibrate, naming the problem', () => {
    const refuse = (args: string[], message: string) => {
      const r = runScriptWithoutTf('scripts/calibrate.ts', args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    };
    refuse(['--out', join(root, 'x')], 'give the clips with --manifest FILE.csv');
    refuse(['--manifest', manifest, '--out', join(root, 'x'), '--folds', '1'], '--folds must be a whole number >= 2, got "1"');
    refuse(['--manifest', manifest, '--out', join(root, 'x'), '--recipe', 'steps=many'], '--recipe: steps must be a number, got "many"');
    const few = join(root, 'clips', 'few.csv');
    writeFileSync(few, 'path,valence,speaker\nc0.wav,0,me\nc2.wav,0.8,me\n');
    refuse(['--manifest', few, '--out', join(root, 'x')], `Calibration needs at least ${2 * DEFAULT_FOLDS} clips; there are 2.`);
    const two = join(root, 'clips', 'two.csv');
    writeFileSync(two, ['path,valence,speaker', ...labels.map((v, k) => `c${k}.wav,${v},${k < 4 ? 'ann' : 'bob'}`)].join('\n'));
    refuse(['--manifest', two, '--out', join(root, 'x')], 'holds 2 speakers (ann, bob)');
  });
});
