// Gated level and normalisation: a sine's known level, zero padding ignored, silence left
// alone, the boost cap, and card parsing.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NORMALISATION,
  LoudnessError,
  gatedLevelDb,
  normalisationFromCard,
  normalisationGain,
  normaliseLoudness,
  validateNormalisation,
} from './loudness.ts';

/** Sine of amplitude `a` at 500 Hz, 8 kHz: 16 samples a period, so every 512-block holds whole periods. */
const sine = (a: number, n: number) => Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * 500 * i) / 8000));

describe('loudness', () => {
  it('a sine of amplitude a has level 20 log10(a / sqrt 2)', () => {
    expect(gatedLevelDb(sine(0.5, 8192))).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 4);
  });

  it('zero padding and quiet pauses do not change the level', () => {
    const s = sine(0.25, 8192);
    const padded = new Float32Array(61500);
    padded.set(s, 20480);
    // A pause 30 dB down, over the relative gate's -10 dB: ignored too.
    padded.set(sine(0.25 * 10 ** (-30 / 20), 4096), 40960);
    expect(gatedLevelDb(padded)).toBeCloseTo(gatedLevelDb(s)!, 4);
  });

  it('leaves silence alone', () => {
    expect(gatedLevelDb(new Float32Array(61500))).toBeNull();
    expect(normalisationGain(new Float32Array(1000), DEFAULT_NORMALISATION)).toBe(1);
  });

  it('brings a clip to the target level, boosting by at most maxGainDb', () => {
    const out = normaliseLoudness(sine(0.01, 8192), { kind: 'gated-rms', targetDb: -20, maxGainDb: 60 });
    expect(gatedLevelDb(out)).toBeCloseTo(-20, 4);
    const capped = normaliseLoudness(sine(0.01, 8192), { kind: 'gated-rms', targetDb: -20, maxGainDb: 6 });
    expect(gatedLevelDb(capped)).toBeCloseTo(gatedLevelDb(sine(0.01, 8192))! + 6, 4);
    const loud = normaliseLoudness(sine(0.9, 8192), { kind: 'gated-rms', targetDb: -20, maxGainDb: 0 });
    expect(gatedLevelDb(loud)).toBeCloseTo(-20, 4);
  });

  it('checks normalisation settings and reads them from a card', () => {
    expect(validateNormalisation({ kind: 'gated-rms', targetDb: -23, maxGainDb: 50 })).toEqual(DEFAULT_NORMALISATION);
    expect(() => validateNormalisation({ kind: 'peak', targetDb: -1, maxGainDb: 0 })).toThrow(/kind must be "gated-rms"/);
    expect(() => validateNormalisation({ kind: 'gated-rms', targetDb: 3, maxGainDb: 0 })).toThrow(/targetDb must be a number <= 0/);
    expect(() => validateNormalisation({ kind: 'gated-rms', targetDb: -3, maxGainDb: -1 })).toThrow(/maxGainDb/);
    expect(normalisationFromCard({ name: 'x' })).toBeNull();
    expect(normalisationFromCard({ normalisation: { ...DEFAULT_NORMALISATION } })).toEqual(DEFAULT_NORMALISATION);
    expect(() => normalisationFromCard({ normalisation: 'rms' })).toThrow(LoudnessError);
    expect(() => normalisationFromCard({ normalisation: 'rms' })).toThrow(/model card: normalisation must be an object/);
  });
});
