// The analyze CLI as a user runs it: real files, the bundled model, bad files among good ones.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from './lib/test-support.ts';
import { SHARED_REFERENCE } from '../src/model/reference-fixtures.ts';
import { decodeWav } from '../src/audio/decode-wav.ts';
import { wavBytes } from '../src/audio/test-support.ts';

const SPEECH = join(SHARED_REFERENCE, 'speech0_source_22050.wav');

function analyze(...args: string[]) {
  const r = runScript('scripts/analyze.ts', args, 120_000);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Row {
  file: string;
  valence: number;
  time?: number;
  seconds?: number;
}

describe('npm run analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-analyze-'));

  it('reports each file; a broken one gets a one-line error and a non-zero exit, the rest are done', () => {
    const broken = join(dir, 'broken.wav');
    writeFileSync(broken, 'RIFF\x10\x00\x00\x00WAVEjunkjunk');
    const r = analyze('--json', SPEECH, broken, join(dir, 'missing.wav'));
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout.trim().split('\n').pop()!) as Row[];
    expect(rows.map((x) => x.file)).toEqual([SPEECH]);
    expect(Math.abs(rows[0].valence)).toBeLessThanOrEqual(1.5);
    expect(r.stderr).toMatch(/broken\.wav: broken WAV file/);
    expect(r.stderr).toMatch(/missing\.wav: no such file/);
  });

  it('gives the same valence for the same audio as stereo 32-bit float at the same rate', () => {
    const src = decodeWav(new Uint8Array(readFileSync(SPEECH)));
    const mono = src.channels[0];
    const stereo = join(dir, 'stereo-float.wav');
    writeFileSync(stereo, wavBytes({ rate: src.sampleRate, bits: 32, float: true, frames: Array.from(mono, (v) => [v, v]) }));
    const r = analyze('--json', SPEECH, stereo);
    expect(r.code).toBe(0);
    const [a, b] = JSON.parse(r.stdout.trim().split('\n').pop()!) as Row[];
    expect(b.valence).toBe(a.valence);
  });

  it('--timeline gives a reading every hop up to the end of the file; silence gets no valence, as live', () => {
    // 2.2 s of digital silence: the live monitor's gate says "no speech" at every reading.
    const silent = join(dir, 'silent.wav');
    writeFileSync(silent, wavBytes({ rate: 16000, bits: 16, frames: Array.from({ length: 35200 }, () => [0]) }));
    const r = analyze('--timeline', '--hop', '0.5', '--csv', SPEECH, silent);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('file,time,valence');
    const rows = lines.slice(1).map((l) => l.split(','));
    const times = rows.filter((c) => c[0] === SPEECH).map((c) => Number(c[1]));
    const seconds = decodeWav(new Uint8Array(readFileSync(SPEECH))).channels[0].length / 22050;
    expect(times.length).toBe(Math.floor(seconds / 0.5));
    times.forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 0.5, 9));
    const quiet = rows.filter((c) => c[0] === silent);
    expect(quiet.map((c) => Number(c[1]))).toEqual([0.5, 1, 1.5, 2]);
    quiet.forEach((c) => expect(c[2]).toBe(''));
  });

  it('explains a missing model folder and bad options', () => {
    expect(analyze('--model', join(dir, 'nope'), SPEECH).stderr).toMatch(/cannot load the model: no model folder/);
    const r = analyze('--hop', '0', SPEECH);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--hop must be a positive number/);
  });
});
