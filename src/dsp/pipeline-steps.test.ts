// The cut signal path equals the pipeline's: features from a clip's cached 8 kHz signal are
// bit for bit those of clipFeatures, so evaluate scores exactly what analyze does.
import { describe, expect, it } from 'vitest';
import { clipFeatures, clipWindow, clipSignal, reportWindow, signalFeatures, windowFeatures } from './pipeline.ts';
import { melSpectrogram } from './mel.ts';
import { toFeatures } from './features.ts';
import { DEFAULT_NORMALISATION, normaliseLoudness } from './loudness.ts';
import { createRng } from '../training/random.ts';

const noise = (n: number, seed: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => 0.3 * (r() * 2 - 1));
};

describe('clip features from a cached signal', () => {
  it.each([
    [16000, 16000],
    [44100, 200000],
    [22050, 5000],
  ])('equal clipFeatures at %i Hz, %i samples', (rate, n) => {
    const x = noise(n, rate);
    const signal = clipSignal(x, rate);
    expect(reportWindow(signal)).toEqual(clipWindow(x, rate));
    for (const type of ['power', 'db'] as const) {
      expect(signalFeatures(signal, type)).toEqual(clipFeatures(x, rate, type));
    }
  });

  it('apply the normalisation to the window before the Mel', () => {
    const w = reportWindow(clipSignal(noise(30000, 1), 16000));
    const got = windowFeatures(w, 'db', DEFAULT_NORMALISATION);
    expect(got).toEqual(toFeatures(melSpectrogram(normaliseLoudness(w, DEFAULT_NORMALISATION)), 'db'));
    expect(got).not.toEqual(windowFeatures(w, 'db'));
  });

  it('refuse bad input as the pipeline does', () => {
    expect(() => clipSignal(new Float32Array(0), 16000)).toThrow(/empty/);
    expect(() => clipSignal(Float32Array.from([0, NaN]), 16000)).toThrow(/non-finite/);
    expect(() => clipSignal(new Float32Array(10), 0)).toThrow(/sample rate/);
  });
});
