// `npm run train` as a user runs it, on a few real RAVDESS clips through a CSV manifest:
// a tiny smoke run whose card agrees with `npm run evaluate`, and Ctrl-C + --resume giving
// the same run as that uninterrupted one. Each process costs seconds (TF.js, workers), so
// the smoke run's model is shared: the resume test compares with it, and the refusal and
// --overwrite tests reuse its folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './lib/repo-root.ts';
import { RAVDESS_DATA, runScript, runScriptWithoutTf, TSX_ARGS } from './lib/test-support.ts';

const DATA = RAVDESS_DATA;
const haveData = existsSync(DATA);

const tsx = (script: string, args: string[]) => runScript(script, args);

/** A manifest of 4 clips of actor 01 (train) and 4 of actor 17 (validation). */
function writeManifest(dir: string): string {
  const pick = (actor: string) =>
    readdirSync(join(DATA, `Actor_${actor}`))
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .filter((_, i) => i % 15 === 0)
      .slice(0, 4)
      .map((f) => {
        const emotion = Number(f.split('-')[2]);
        const valence = [0, 0, 0.3, 0.8, -0.6, -0.7, -0.6, -0.7, 0.2][emotion];
        return `${join(DATA, `Actor_${actor}`, f)},${valence},${actor}`;
      });
  const csv = join(dir, 'clips.csv');
  writeFileSync(csv, ['path,valence,speaker', ...pick('01'), ...pick('17')].join('\n') + '\n');
  return csv;
}

interface Card {
  metrics: { validation: { mse: number; ccc: number; n: number } };
  history: { epoch: number; trainLoss: number; val: { mse: number } }[];
  timing: { seconds: number; secondsPerEpoch: number };
}
const cardOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Card;

describe.skipIf(!haveData)('npm run train (smoke)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-train-'));
  const csv = haveData ? writeManifest(dir) : '';
  const tag = `${process.pid}-${Date.now()}`;
  /** The smoke run's arguments, also the uninterrupted run the resume test compares with. */
  const args = ['--manifest', csv, '--val-speakers', '17', '--epochs', '3', '--patience', '0', '--no-cache', '--threads', '1'];
  const smoke = join(dir, `smoke-${tag}`);

  it('trains from a manifest and writes a model that evaluate scores the same', () => {
    const out = smoke;
    const r = tsx('scripts/train.ts', [...args, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['model.json', 'weights.bin', 'card.json', 'README.md', 'model.safetensors']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const card = cardOf(out);
    expect(card.metrics.validation.n).toBe(4);
    // The mean epoch (validation included) is on the card, and in its README.
    expect(card.timing.secondsPerEpoch).toBeGreaterThan(0);
    expect(card.timing.secondsPerEpoch).toBeLessThan(card.timing.seconds);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/ms\/step on 1 threads, [\d.]+ min, [\d.]+ s\/epoch/);
    const e = tsx('scripts/evaluate.ts', ['--model', out, '--manifest', csv, '--speakers', '17', '--json', '--no-cache']);
    expect(e.status, e.stderr).toBe(0);
    const m = JSON.parse(e.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(Object.keys(m).sort()).toEqual(['ccc', 'mse', 'n', 'pearson', 'sign_acc']);
    expect(m.n).toBe(4);
    expect(m.mse).toBeCloseTo(card.metrics.validation.mse, 5);
  });

  it('Ctrl-C keeps a checkpoint, and --resume ends where an uninterrupted run ends', async () => {
    const straight = smoke; // the first test's run, with the same arguments
    expect(cardOf(straight).history.map((h) => h.epoch)).toEqual([1, 2, 3]);

    const resumed = join(dir, `resumed-${tag}`);
    const child = spawn(process.execPath, [...TSX_ARGS, join(REPO_ROOT, 'scripts/train.ts'), ...args, '--out', resumed], { cwd: REPO_ROOT });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/epoch 1\/3 .*val MSE/.test(err) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code, err).toBe(130);
    expect(err).toMatch(/--resume/);
    expect(existsSync(join(resumed, 'model.json'))).toBe(true); // the best epoch so far is usable
    expect(cardOf(resumed).history.length).toBeLessThan(3);

    const r = tsx('scripts/train.ts', [...args, '--out', resumed, '--resume']);
    expect(r.status, r.stderr).toBe(0);
    const a = cardOf(straight).history;
    const b = cardOf(resumed).history;
    expect(b.map((h) => h.epoch)).toEqual([1, 2, 3]);
    b.forEach((h, i) => {
      expect(h.trainLoss).toBeCloseTo(a[i].trainLoss, 6);
      expect(h.val.mse).toBeCloseTo(a[i].val.mse, 6);
    });
  });

  it('refuses to overwrite a model folder, and names a missing data folder, before loading TF.js', () => {
    const out = smoke;
    const r = runScriptWithoutTf('scripts/train.ts', ['--manifest', csv, '--epochs', '1', '--out', out]);
    expect(r.stderr).not.toMatch(/FORBIDDEN/);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already holds a model/);
    const m = runScriptWithoutTf('scripts/train.ts', ['--data', join(dir, 'no-such-folder'), '--epochs', '1', '--out', join(dir, 'x')]);
    expect(m.stderr).not.toMatch(/FORBIDDEN/);
    expect(m.status).not.toBe(0);
    expect(m.stderr).toMatch(/no-such-folder/);
  });

  it('--overwrite, which the refusal suggests, replaces the model (on the default 2 gradient threads)', () => {
    const out = smoke;
    const r = tsx('scripts/train.ts', ['--manifest', csv, '--val-speakers', '17', '--epochs', '1', '--seed', '1', '--out', out, '--no-cache', '--overwrite']);
    expect(r.status, r.stderr).toBe(0);
    // The first test trained this folder with the default seed 0.
    const card = JSON.parse(readFileSync(join(out, 'card.json'), 'utf8')) as { recipe: { seed: number } };
    expect(card.recipe.seed).toBe(1);
  });

  it('with one validation clip, CCC and r are n/a, no epoch is chosen on CCC and nothing is saved', () => {
    // 4 clips of actor 01 to train on, 1 of actor 17 to validate on.
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    const one = join(dir, 'one-val.csv');
    writeFileSync(one, [...lines.slice(0, 6)].join('\n') + '\n');
    expect(lines.slice(1, 6).map((l) => l.split(',')[2])).toEqual(['01', '01', '01', '01', '17']);
    const out = join(dir, `one-val-${tag}`);
    const r = tsx('scripts/train.ts', ['--manifest', one, '--val-speakers', '17', '--epochs', '2', '--patience', '0', '--no-cache', '--threads', '1', '--out', out]);
    expect(r.status).toBe(1);
    const epochs = r.stderr.split('\n').filter((l) => /^epoch \d\/2 /.test(l));
    expect(epochs).toHaveLength(2);
    for (const l of epochs) {
      expect(l).toMatch(/ CCC n\/a {2}r n\/a /);
      expect(l).not.toMatch(/best/);
    }
    expect(r.stderr).toMatch(/no epoch gave a usable validation ccc/);
    expect(r.stderr).toMatch(/train: no epoch gave a defined validation CCC \(CCC needs validation labels that vary.*--select mse\); nothing saved/);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
  });
});
