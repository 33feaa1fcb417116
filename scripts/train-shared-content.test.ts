// npm run train refuses a split that puts the same audio on two sides, naming the files: a
// WAV copied under another name and speaker, the same samples re-saved as float, and one
// file listed under a training and a validation speaker. Real WAV files in a temp folder,
// one run of the CLI (it refuses before loading TF.js or any feature).
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wavBytes } from '../src/audio/test-support.ts';
import { runScript } from './lib/test-support.ts';

/** One second of a k-dependent tone, as 16-bit integers. */
const tone = (k: number) => Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * (200 + 50 * k) * i) / 16000)));

describe('npm run train: the same audio on two sides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-train-shared-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses, naming each shared file and its side', () => {
    const at = (name: string) => join(dir, name);
    ['a', 'b', 'c', 'd', 'e'].forEach((name, k) => writeFileSync(at(`${name}.wav`), wavBytes({ rate: 16000, bits: 16, frames: tone(k).map((v) => [v]) })));
    copyFileSync(at('a.wav'), at('a-copy.wav'));
    writeFileSync(at('b-float.wav'), wavBytes({ rate: 16000, bits: 32, float: true, frames: tone(1).map((v) => [v / 32768]) }));
    const rows = ['a.wav,0.5,ann', 'b.wav,-0.5,ann', 'c.wav,0.1,ann', 'd.wav,0.2,bob', 'e.wav,-0.2,bob', 'a-copy.wav,0.5,bob', 'b-float.wav,-0.5,bob', 'c.wav,0.1,bob'];
    const csv = at('clips.csv');
    writeFileSync(csv, ['path,valence,speaker', ...rows].join('\n') + '\n');
    const out = at('model');
    const r = runScript('scripts/train.ts', ['--manifest', csv, '--val-speakers', 'bob', '--epochs', '1', '--no-cache', '--threads', '1', '--out', out], 120_000);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('train: split "validation speakers bob": 3 clip(s) of the same audio are on two sides');
    expect(r.stderr).toContain(`${at('a.wav')} (training) = ${at('a-copy.wav')} (validation)`);
    expect(r.stderr).toContain(`${at('b.wav')} (training) = ${at('b-float.wav')} (validation)`);
    expect(r.stderr).toContain(`${at('c.wav')} (training) = ${at('c.wav')} (validation)`);
    expect(r.stdout + r.stderr).not.toMatch(/backend|loading/);
    expect(existsSync(out)).toBe(false);
  });
});
