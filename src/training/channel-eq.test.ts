// Channel colourings: the draws stay in their ranges and follow the seed; the filters are
// the ones drawn (their response checked against biquad.ts's analytic one); bad options are
// named; augmentWindow colours the utterance only when the option is on.
import { describe, expect, it } from 'vitest';
import { responseDb } from '../dsp/biquad.ts';
import { augmentWindow, NO_AUGMENTATION, validateAugment } from './augment.ts';
import { applyFilters, ChannelEqError, DEFAULT_CHANNEL_EQ, drawChannelEq, validateChannelEq } from './channel-eq.ts';
import { createRng } from './random.ts';

describe('channel colouring', () => {
  it('colours about the given share of windows, each with a band limit and the given number of bells', () => {
    const rng = createRng(3);
    let coloured = 0;
    for (let k = 0; k < 400; k++) {
      const filters = drawChannelEq(DEFAULT_CHANNEL_EQ, rng);
      if (!filters) continue;
      coloured++;
      expect(filters).toHaveLength(2 + DEFAULT_CHANNEL_EQ.peaks);
      const [hp, lp] = filters;
      // Each band edge lies inside its drawn range: -3 dB there, so within [lo, hi] the
      // response crosses -3 dB.
      expect(responseDb(hp, 50)).toBeLessThan(-3 + 1e-9);
      expect(responseDb(hp, 400)).toBeGreaterThan(-3 - 1e-9);
      expect(responseDb(lp, 2400)).toBeGreaterThan(-3 - 1e-9);
      expect(responseDb(lp, 3900)).toBeLessThan(-3 + 1e-9);
      for (const bell of filters.slice(2)) {
        expect(Math.abs(responseDb(bell, 0))).toBeLessThan(1e-9);
        // A bell never exceeds its gain range anywhere.
        for (const hz of [100, 300, 1000, 2000, 3500]) expect(Math.abs(responseDb(bell, hz))).toBeLessThanOrEqual(9 + 1e-6);
      }
    }
    expect(coloured / 400).toBeGreaterThan(0.4);
    expect(coloured / 400).toBeLessThan(0.6);
    expect(drawChannelEq({ ...DEFAULT_CHANNEL_EQ, probability: 0 }, createRng(1))).toBeNull();
  });

  it('the same seed gives the same filters, a new one others', () => {
    const always = { ...DEFAULT_CHANNEL_EQ, probability: 1 };
    expect(drawChannelEq(always, createRng(9))).toEqual(drawChannelEq(always, createRng(9)));
    expect(drawChannelEq(always, createRng(9))).not.toEqual(drawChannelEq(always, createRng(10)));
  });

  it('augmentWindow colours the utterance before placing it; without the option the window is the plain one', () => {
    const x = Float32Array.from({ length: 16000 }, (_, i) => Math.sin(i * 0.3) * 0.2 + Math.sin(i * 2.1) * 0.1);
    const always = { ...DEFAULT_CHANNEL_EQ, probability: 1 };
    const w = augmentWindow(x, { ...NO_AUGMENTATION, eq: always }, createRng(4));
    const filters = drawChannelEq(always, createRng(4))!;
    expect(Array.from(w.subarray(0, x.length))).toEqual(Array.from(applyFilters(x, filters)));
    expect(w.subarray(x.length).every((v) => v === 0)).toBe(true);
    const plain = augmentWindow(x, NO_AUGMENTATION, createRng(4));
    expect(Array.from(plain.subarray(0, x.length))).toEqual(Array.from(x));
  });

  it('names a bad option', () => {
    expect(() => validateChannelEq({ ...DEFAULT_CHANNEL_EQ, probability: 2 })).toThrow(/probability must be in \[0, 1\]/);
    expect(() => validateChannelEq({ ...DEFAULT_CHANNEL_EQ, lowpassHz: [2000, 4500] })).toThrow(ChannelEqError);
    expect(() => validateChannelEq({ ...DEFAULT_CHANNEL_EQ, peaks: 1.5 })).toThrow(/peaks must be a whole number/);
    expect(() => validateAugment({ ...NO_AUGMENTATION, eq: { ...DEFAULT_CHANNEL_EQ, highpassHz: [300, 100] } })).toThrow(/highpassHz/);
  });
});
