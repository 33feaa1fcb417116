// The db-band-mean features (src/dsp/band-mean.ts) against the PyTorch reference's own
// implementation on torchaudio features (scripts/torch/train_reference.py), on real clips of
// both corpora: a model trained with them in either framework reads the same input. Runs
// where Debian's python3-torch and python3-torchaudio are installed (.ci/run installs them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clipFeatures } from '../src/dsp/pipeline.ts';
import { toMono } from '../src/dsp/mono.ts';
import { maxAbsDiff } from '../src/dsp/compare.ts';
import { readAudioFile } from './lib/audio-file.ts';
import { REPO_ROOT } from './lib/repo-root.ts';
import { hasPythonModules } from './lib/test-support.ts';

const PYTHON = '/usr/bin/python3';
const hasTorch = hasPythonModules('torch', 'torchaudio');
const DATA = join(REPO_ROOT, '../shared/data');
const CLIPS = [
  'ravdess-16k/Actor_03/03-01-05-02-01-01-03.wav', // angry, strong
  'ravdess-16k/Actor_18/03-01-01-01-02-02-18.wav', // neutral
  'turev-16k/Happy/1234_mt_acik.wav',
].map((p) => join(DATA, p));
const TOL = 5e-4; // dB: the SPEC's 1e-4 for AmplitudeToDB, plus the mean's float32 rounding

const dir = mkdtempSync(join(tmpdir(), 'vm-band-mean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function torchFeatures(path: string, out: string): Float32Array {
  const code = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'scripts/torch'))})`,
    'from train_reference import features',
    "open(sys.argv[2], 'wb').write(features(sys.argv[1], 'db-band-mean').numpy().astype('<f4').tobytes())",
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', code, path, out], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`torch features failed: ${r.stderr}`);
  const b = readFileSync(out);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe.skipIf(!hasTorch)('db-band-mean against PyTorch', () => {
  it.each(CLIPS.map((p, i) => [p.slice(DATA.length + 1), p, i] as const))('%s', (_name, path, i) => {
    const audio = readAudioFile(path);
    const ours = clipFeatures(toMono(audio.channels), audio.sampleRate, 'db-band-mean').data;
    const theirs = torchFeatures(path, join(dir, `${i}.bin`));
    expect(theirs.length).toBe(ours.length);
    expect(maxAbsDiff(ours, theirs)).toBeLessThanOrEqual(TOL);
    // the features are centred: each band's speech frames average 0, so the values are not all ~0 by accident
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(20);
  });
});
