// The DistributedDataParallel trainer (scripts/torch/train_ddp.py) on a tiny two-corpus
// manifest set from ../shared/data: a 2-process CPU run (gloo) for one epoch; its first
// step's gradients against a 1-process run with the same global batch; its result imported
// by `npm run import-torch` (card found beside the weights) and read by `npm run analyze`
// and by PyTorch's forward pass. Runs where Debian's python3-torch is installed (.ci/run
// installs it). One torchrun run, shared by the tests, keeps this to seconds.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '../src/model/safetensors.ts';
import { listRavdess, listTurev, type Clip } from './lib/corpus.ts';
import { REPO_ROOT } from './lib/repo-root.ts';
import { hasPythonModules, RAVDESS_DATA, runScript } from './lib/test-support.ts';

const PYTHON = '/usr/bin/python3';
const hasTorch = hasPythonModules('torch', 'torchaudio'); // torch.distributed is part of torch
const TORCH = join(REPO_ROOT, 'scripts/torch');
const TUREV_DATA = join(REPO_ROOT, '../shared/data/turev-16k');
const TOL = 1e-4; // SPEC section 5's CNN tolerance

const dir = mkdtempSync(join(tmpdir(), 'vm-ddp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two clips of each of the first `speakers` speakers (in sorted order). */
function pick(clips: readonly Clip[], speakers: number): Clip[] {
  const ids = [...new Set(clips.map((c) => c.speaker))].sort().slice(0, speakers);
  return ids.flatMap((s) => clips.filter((c) => c.speaker === s).slice(0, 2));
}
const cell = (v: number | null) => (v === null ? '' : String(v));

function py(args: string[], timeout = 120_000) {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout, cwd: REPO_ROOT });
  if (r.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r;
}

/** A safetensors file's tensors, each flattened. */
const readTensors = (file: string): Record<string, Float32Array> =>
  Object.fromEntries([...parseSafetensors(new Uint8Array(readFileSync(file))).tensors].map(([k, t]) => [k, t.data]));

let manifests: string[] = [];
let valFiles: string[] = [];
const run2 = join(dir, 'ddp2');
const run1 = join(dir, 'ddp1');
const common = (epochs = 1) => [...manifests.flatMap((m) => ['--manifest', m]), '--epochs', String(epochs), '--outputs', '2', '--batch-size', '4', '--cache', join(dir, 'shards')];

beforeAll(() => {
  if (!hasTorch) return;
  // RAVDESS with valence only (arousal unknown: masked), TurEV-DB with both labels.
  const rav = pick(listRavdess(RAVDESS_DATA).clips, 3);
  const tur = pick(listTurev(TUREV_DATA).clips, 2);
  manifests = [join(dir, 'rav.csv'), join(dir, 'tur.csv')];
  writeFileSync(manifests[0], 'path,valence,speaker\n' + rav.map((c) => `${c.path},${cell(c.valence)},${c.speaker}`).join('\n') + '\n');
  writeFileSync(manifests[1], 'path,valence,speaker,arousal\n' + tur.map((c) => `${c.path},${cell(c.valence)},${c.speaker},${cell(c.arousal)}`).join('\n') + '\n');
  valFiles = [rav[rav.length - 1].path, tur[tur.length - 1].path, tur[0].path];
  py([join(TORCH, 'torchrun.py'), '--standalone', '--nproc_per_node', '2', join(TORCH, 'train_ddp.py'), ...common(), '--out', run2, '--dump-grads', join(dir, 'g2.safetensors')], 240_000);
  // with a DataLoader worker: the windows (augmentation included) must not depend on who builds them
  py([join(TORCH, 'train_ddp.py'), ...common(), '--workers', '1', '--max-steps', '1', '--out', run1, '--dump-grads', join(dir, 'g1.safetensors')]);
}, 300_000);

describe.skipIf(!hasTorch)('train_ddp.py under torchrun', () => {
  it('trains one epoch in 2 processes and writes the weights and a card with per-corpus metrics', () => {
    const card = JSON.parse(readFileSync(join(run2, 'card.json'), 'utf8'));
    expect(existsSync(join(run2, 'model.safetensors'))).toBe(true);
    expect(card.training).toMatchObject({ engine: 'pytorch-ddp', worldSize: 2, backend: 'gloo' });
    expect(card.history).toHaveLength(1);
    expect(card.config).toMatchObject({ features: 'db', outputs: 2 });
    expect(card.normalisation).toEqual({ kind: 'gated-rms', targetDb: -23, maxGainDb: 50 });
    // 6 RAVDESS clips of actors 01-03: actor 03 validates; TurEV-DB 2 speakers: the second validates
    expect(card.data.corpora.map((c: { name: string; valSpeakers: string[] }) => [c.name, c.valSpeakers.length])).toEqual([['rav', 1], ['tur', 1]]);
    const scores = card.metrics.corpora as { corpus: string; clips: number; valence: { n: number } | null; arousal: unknown }[];
    expect(scores.map((s) => [s.corpus, s.clips, s.valence?.n])).toEqual([['rav', 2, 2], ['tur', 2, 2]]);
    expect(scores[0].arousal).toBeNull(); // RAVDESS here has no arousal labels
    // actor 03's two clips are both neutral: constant labels, so CCC is undefined (null), as
    // src/training/metrics.ts has it, and no epoch is chosen by it
    expect(scores[0].valence).toMatchObject({ n: 2, ccc: null });
    expect(card.metrics.validation.epoch).toBeNull();
    expect(card.metrics.selection).toMatch(/no epoch gave a defined validation CCC/);
    expect(card.timing.secondsPerEpoch).toBeGreaterThan(0);
  });

  it("gives the first step's gradients of a 1-process run (with a loader worker) with the same global batch", () => {
    const g2 = readTensors(join(dir, 'g2.safetensors'));
    const g1 = readTensors(join(dir, 'g1.safetensors'));
    expect(Object.keys(g2).sort()).toEqual(Object.keys(g1).sort());
    for (const [name, a] of Object.entries(g1)) {
      const b = g2[name];
      const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale, name).toBeGreaterThan(0);
      const diff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      expect(diff, name).toBeLessThanOrEqual(1e-5 * scale + 1e-8);
    }
  });

  it('imports with the card found beside the weights; npm run analyze and PyTorch agree to 1e-4', () => {
    const folder = join(dir, 'imported');
    const r = runScript('scripts/import-torch.ts', [join(run2, 'model.safetensors'), '--out', folder]);
    expect(r.status, r.stderr).toBe(0);
    const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8'));
    expect(card.config).toMatchObject({ features: 'db', outputs: 2 });
    expect(card.normalisation).toEqual({ kind: 'gated-rms', targetDb: -23, maxGainDb: 50 });
    expect(card.training.worldSize).toBe(2);
    const a = runScript('scripts/analyze.ts', ['--json', '--model', folder, ...valFiles], 120_000);
    expect(a.status, a.stderr).toBe(0);
    const ours = JSON.parse(a.stdout) as { valence: number; arousal: number }[];
    const theirs = py([join(TORCH, 'predict_reference.py'), '--card', join(run2, 'card.json'), join(run2, 'model.safetensors'), 'db', ...valFiles])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { valence: number; arousal: number });
    expect(ours).toHaveLength(valFiles.length);
    // analyze clamps its readings to the scale's [-1, 1], as the app does; the CNN does not
    const clamp = (v: number) => Math.min(1, Math.max(-1, v));
    ours.forEach((o, i) => {
      expect(Math.abs(o.valence - clamp(theirs[i].valence))).toBeLessThanOrEqual(TOL);
      expect(Math.abs(o.arousal - clamp(theirs[i].arousal))).toBeLessThanOrEqual(TOL);
    });
    // most readings lie inside the range, where nothing is clamped and the comparison is exact
    const inside = theirs.flatMap((t) => [t.valence, t.arousal]).filter((v) => Math.abs(v) < 1);
    expect(inside.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a card beside the weights whose output count is not the weights', () => {
    const other = join(dir, 'mismatch');
    mkdirSync(other, { recursive: true });
    copyFileSync(join(run2, 'model.safetensors'), join(other, 'model.safetensors'));
    writeFileSync(join(other, 'card.json'), JSON.stringify({ config: { features: 'db', outputs: 1 }, normalisation: null }));
    const r = runScript('scripts/import-torch.ts', [join(other, 'model.safetensors'), '--out', join(dir, 'mismatch-out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(other, 'card.json'));
    expect(r.stderr).toMatch(/1 output\(s\).*has 2/);
    expect(existsSync(join(dir, 'mismatch-out'))).toBe(false);
  });

  it('trains a one-output model (valence; the seed preset: power features, no augmentation or normalisation)', () => {
    const out = join(dir, 'one');
    py([join(TORCH, 'train_ddp.py'), ...manifests.flatMap((m) => ['--manifest', m]), '--preset', 'seed', '--epochs', '1', '--max-steps', '1', '--cache', join(dir, 'shards'), '--out', out]);
    const card = JSON.parse(readFileSync(join(out, 'card.json'), 'utf8'));
    expect(card.config.outputs).toBeUndefined();
    expect(card.config.features).toBe('power');
    expect(card.normalisation).toBeNull();
    expect(card.recipe.augment).toBeNull();
    expect(parseSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors')))).tensors.get('fc.weight')?.shape).toEqual([1, 128 * 13 * 16]);
  });

  it('--resume continues from the checkpoint; a bad manifest row is named by file and line', () => {
    py([join(TORCH, 'train_ddp.py'), ...common(2), '--max-steps', '1', '--out', run1, '--resume']);
    const card = JSON.parse(readFileSync(join(run1, 'card.json'), 'utf8'));
    expect(card.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'path,valence\na.wav,0.5\nb.wav,1.5\n');
    const r = spawnSync(PYTHON, [join(TORCH, 'train_ddp.py'), '--manifest', bad, '--out', join(dir, 'bad')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${bad}:3: valence 1.5 is outside [-1, 1]`);
  });
});
