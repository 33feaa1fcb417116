import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipFeatures, clipWindow } from './pipeline.ts';
import { toMono } from './mono.ts';
import { decodeWav } from '../audio/decode-wav.ts';
import { SHARED_REFERENCE, loadManifest, readArray, type MelCase } from '../../scripts/lib/reference-fixtures.ts';

const manifest = loadManifest(SHARED_REFERENCE);
const speech = manifest.cases.find((c) => c.name === 'speech0') as MelCase | undefined;

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// The reference README: speech0_in is speech0_source_22050.wav resampled to 8 kHz and fixed
// to 61500 samples by torchaudio; the whole file path (WAV decode -> mono -> resample ->
// fix length -> Mel -> dB) must reproduce it.
describe.skipIf(!speech)('clip pipeline on the reference recording', () => {
  const audio = decodeWav(new Uint8Array(readFileSync(join(SHARED_REFERENCE, 'speech0_source_22050.wav'))));

  it('decodes, resamples and fixes the length as torchaudio did', () => {
    expect(audio.sampleRate).toBe(22050);
    const win = clipWindow(toMono(audio.channels), audio.sampleRate);
    const ref = readArray(SHARED_REFERENCE, speech!.input);
    expect(win.length).toBe(ref.length);
    expect(maxAbs(win, ref)).toBeLessThanOrEqual(1e-5);
  });

  // SPEC's dB tolerance is defined for torch's own input (check-reference covers it); here
  // the input is our resampling, which differs from torch's within its 1e-5 tolerance, so
  // the composed path is held to the Mel power tolerance (relative to the max).
  it('gives the Mel power of the reference within SPEC tolerance', () => {
    const power = clipFeatures(toMono(audio.channels), audio.sampleRate, 'power');
    const ref = readArray(SHARED_REFERENCE, speech!.mel_power!);
    let top = 0;
    for (const v of ref) top = Math.max(top, v);
    expect(power.data.length).toBe(ref.length);
    expect(maxAbs(power.data, ref) / top).toBeLessThanOrEqual(1e-5);
  });
});

describe('clip pipeline input checks', () => {
  it('names the problem for bad input instead of returning NaN', () => {
    expect(() => clipWindow(new Float32Array([0, NaN, 0]), 16000)).toThrow(/non-finite/);
    expect(() => clipWindow(new Float32Array([0, Infinity]), 16000)).toThrow(/non-finite/);
    expect(() => clipWindow(new Float32Array(0), 16000)).toThrow(/empty/);
    expect(() => clipWindow(new Float32Array(100), 0)).toThrow(/sample rate/);
    expect(() => clipWindow(new Float32Array(100), Number('x'))).toThrow(/sample rate/);
  });
});
