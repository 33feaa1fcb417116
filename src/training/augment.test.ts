// Augmentation: the no-augmentation preset is the report's window exactly; random placement
// stays inside the window with zeros elsewhere; gain and noise stay in their ranges; the
// same seed gives the same window.
import { describe, expect, it } from 'vitest';
import { WINDOW_LENGTH } from '../dsp/params.ts';
import { fixLength } from '../dsp/fix-length.ts';
import {
  AugmentError,
  DEFAULT_AUGMENTATION,
  NO_AUGMENTATION,
  augmentNormalisation,
  augmentWindow,
  changeSpeed,
  drawOffset,
  drawSpeed,
  placeInWindow,
  validateAugment,
  type AugmentOptions,
} from './augment.ts';
import { gatedLevelDb, normaliseLoudness } from '../dsp/loudness.ts';
import { speechSpan } from '../dsp/speech-span.ts';
import { createRng } from './random.ts';

/** A non-zero test "utterance" (no sample is 0, so its placement can be found). */
const utterance = (n: number, seed = 1) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => 0.05 + 0.4 * r());
};

/**
 * Index of the first sample where two arrays differ (-1: equal length and every sample
 * equal). The same check as toEqual, without its per-element cost on 61500-sample windows,
 * which made these tests take a minute.
 */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Index of the first non-zero sample and the count of non-zero samples. */
function support(x: Float32Array): { first: number; count: number } {
  let first = -1;
  let count = 0;
  x.forEach((v, i) => {
    if (v !== 0) {
      if (first < 0) first = i;
      count++;
    }
  });
  return { first, count };
}

describe('augmentWindow', () => {
  it('NO_AUGMENTATION gives the report window bit for bit, short or long, and draws nothing', () => {
    for (const n of [1000, 30000, WINDOW_LENGTH, 70000]) {
      const s = utterance(n);
      const rng = createRng(9);
      const w = augmentWindow(s, NO_AUGMENTATION, rng);
      expect(firstDifference(w, fixLength(s, WINDOW_LENGTH))).toBe(-1);
      expect(rng()).toBe(createRng(9)());
    }
  });

  it('random placement keeps the whole utterance, contiguous, inside the window', () => {
    const s = utterance(30000);
    const offsets = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const w = augmentWindow(s, { placement: 'random', gainDb: null, noise: null }, createRng(seed));
      expect(w.length).toBe(WINDOW_LENGTH);
      const { first, count } = support(w);
      expect(count).toBe(s.length);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThanOrEqual(WINDOW_LENGTH - s.length);
      expect(firstDifference(w.subarray(first, first + s.length), s)).toBe(-1);
      offsets.add(first);
    }
    // Offsets spread over the room: some in each third of it.
    const room = WINDOW_LENGTH - s.length;
    const thirds = new Set([...offsets].map((o) => Math.min(2, Math.floor((3 * o) / room))));
    expect(thirds).toEqual(new Set([0, 1, 2]));
  });

  it('a longer utterance gives a random contiguous stretch of itself', () => {
    const s = utterance(80000);
    const starts = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const w = augmentWindow(s, { placement: 'random', gainDb: null, noise: null }, createRng(seed));
      const at = s.indexOf(w[0]);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThanOrEqual(s.length - WINDOW_LENGTH);
      expect(firstDifference(w, s.subarray(at, at + WINDOW_LENGTH))).toBe(-1);
      starts.add(at);
    }
    expect(starts.size).toBeGreaterThan(10);
  });

  it('is deterministic for a seed, different across seeds', () => {
    const s = utterance(20000);
    const a = augmentWindow(s, DEFAULT_AUGMENTATION, createRng(3));
    const b = augmentWindow(s, DEFAULT_AUGMENTATION, createRng(3));
    const c = augmentWindow(s, DEFAULT_AUGMENTATION, createRng(4));
    expect(firstDifference(b, a)).toBe(-1);
    expect(firstDifference(c, a)).not.toBe(-1);
  });

  it('applies a gain within the dB range, the same to every sample', () => {
    const s = utterance(10000);
    const opts: AugmentOptions = { placement: 'start', gainDb: [-6, 3], noise: null };
    const gains = new Set<number>();
    for (let seed = 0; seed < 30; seed++) {
      const w = augmentWindow(s, opts, createRng(seed));
      const g = w[0] / s[0];
      const db = 20 * Math.log10(g);
      expect(db).toBeGreaterThanOrEqual(-6 - 1e-4);
      expect(db).toBeLessThanOrEqual(3 + 1e-4);
      for (let i = 0; i < s.length; i += 997) expect(w[i] / s[i]).toBeCloseTo(g, 5);
      expect(w.subarray(s.length).every((v) => v === 0)).toBe(true);
      gains.add(Math.round(db));
    }
    expect(gains.size).toBeGreaterThan(4);
  });

  it('adds noise at an SNR within the range, over the whole window, with the given probability', () => {
    const s = utterance(16000);
    const level = gatedLevelDb(s)!;
    const opts: AugmentOptions = { placement: 'start', gainDb: null, noise: { snrDb: [20, 30], probability: 1 } };
    for (let seed = 0; seed < 10; seed++) {
      const w = augmentWindow(s, opts, createRng(seed));
      let e = 0;
      for (let i = 0; i < w.length; i++) e += (w[i] - (i < s.length ? s[i] : 0)) ** 2;
      const snr = level - 10 * Math.log10(e / w.length);
      expect(snr).toBeGreaterThan(20 - 0.2);
      expect(snr).toBeLessThan(30 + 0.2);
      expect(w[w.length - 1]).not.toBe(0);
    }
    const never = augmentWindow(s, { ...opts, noise: { snrDb: [20, 30], probability: 0 } }, createRng(1));
    expect(firstDifference(never, fixLength(s, WINDOW_LENGTH))).toBe(-1);
    const half = Array.from({ length: 200 }, (_, seed) => augmentWindow(s, { ...opts, noise: { snrDb: [20, 30], probability: 0.5 } }, createRng(seed)));
    const noisy = half.filter((w) => w[w.length - 1] !== 0).length;
    expect(noisy).toBeGreaterThan(70);
    expect(noisy).toBeLessThan(130);
  });

  it('refuses bad options and empty signals', () => {
    const s = utterance(100);
    expect(() => augmentWindow(s, { placement: 'start', gainDb: [3, -3], noise: null }, createRng(0))).toThrow(AugmentError);
    expect(() => augmentWindow(s, { placement: 'start', gainDb: null, noise: { snrDb: [10, 20], probability: 2 } }, createRng(0))).toThrow(/probability/);
    expect(() => augmentWindow(s, { placement: 'middle' as 'start', gainDb: null, noise: null }, createRng(0))).toThrow(/placement/);
    expect(() => augmentWindow(new Float32Array(0), NO_AUGMENTATION, createRng(0))).toThrow(/empty/);
  });
});

describe('placement helpers', () => {
  it('placeInWindow clips at both ends', () => {
    const s = Float32Array.from([1, 2, 3, 4]);
    expect(placeInWindow(s, 2, 5)).toEqual(Float32Array.from([0, 0, 1, 2, 3]));
    expect(placeInWindow(s, -1, 5)).toEqual(Float32Array.from([2, 3, 4, 0, 0]));
    expect(placeInWindow(s, 6, 5)).toEqual(new Float32Array(5));
  });

  it('drawOffset covers both extremes of the room', () => {
    const seen = new Set<number>();
    const r = createRng(2);
    for (let i = 0; i < 200; i++) seen.add(drawOffset(8, 10, 'random', r));
    expect(seen).toEqual(new Set([0, 1, 2]));
    expect(drawOffset(8, 10, 'start', r)).toBe(0);
  });
});

describe('augmentNormalisation', () => {
  const norm = { kind: 'gated-rms' as const, targetDb: -23, maxGainDb: 50 };

  it('without levelDb or normalisation: the recipe unchanged, and no RNG draw', () => {
    const rng = createRng(5);
    const ref = createRng(5);
    expect(augmentNormalisation(norm, { ...DEFAULT_AUGMENTATION, levelDb: null }, rng)).toBe(norm);
    expect(augmentNormalisation(null, { ...DEFAULT_AUGMENTATION, levelDb: [-6, 6] }, rng)).toBeNull();
    expect(rng()).toBe(ref());
  });

  it('moves the target within the range, one draw per window, and the normalised level follows', () => {
    const options: AugmentOptions = { ...DEFAULT_AUGMENTATION, levelDb: [-8, 4] };
    const rng = createRng(9);
    const s = utterance(20000);
    const targets = Array.from({ length: 200 }, () => augmentNormalisation(norm, options, rng)!.targetDb);
    expect(Math.min(...targets)).toBeGreaterThanOrEqual(-23 - 8);
    expect(Math.max(...targets)).toBeLessThanOrEqual(-23 + 4);
    expect(Math.max(...targets) - Math.min(...targets)).toBeGreaterThan(10); // spread over the range
    const moved = augmentNormalisation(norm, options, createRng(3))!;
    expect(gatedLevelDb(normaliseLoudness(s, moved))!).toBeCloseTo(moved.targetDb, 4);
    expect(moved.maxGainDb).toBe(norm.maxGainDb);
  });

  it('refuses a reversed range', () => {
    expect(() => validateAugment({ ...DEFAULT_AUGMENTATION, levelDb: [6, -6] })).toThrow(/levelDb/);
  });
});

describe('speed perturbation', () => {
  it('resamples by the drawn factor: a 100 Hz tone at speed 1.25 becomes 125 Hz, 1/1.25 as long', () => {
    const n = 8000;
    const tone = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 100 * i) / 8000));
    const fast = changeSpeed(tone, 1.25);
    expect(fast.length).toBe(Math.ceil(n / 1.25));
    // Zero crossings upward in the middle (away from the edges): 125 per second.
    let up = 0;
    for (let i = 1000; i < 5000; i++) if (fast[i - 1] < 0 && fast[i] >= 0) up++;
    expect(up).toBe(Math.round((125 * 4000) / 8000));
    expect(changeSpeed(tone, 1)).toBe(tone);
  });

  it('draws factors in the range on the 0.01 grid, first in the draw order', () => {
    const r = createRng(9);
    for (let i = 0; i < 50; i++) {
      const f = drawSpeed([0.9, 1.1], r);
      expect(f).toBeGreaterThanOrEqual(0.9 - 1e-12);
      expect(f).toBeLessThanOrEqual(1.1 + 1e-12);
      expect(Math.abs(f * 100 - Math.round(f * 100))).toBeLessThan(1e-9);
    }
    const sig = utterance(4000);
    const opts: AugmentOptions = { ...NO_AUGMENTATION, speed: [0.8, 0.8] };
    const w = augmentWindow(sig, opts, createRng(1), 8000);
    expect(support(w)).toEqual({ first: 0, count: 5000 });
    expect(() => validateAugment({ ...NO_AUGMENTATION, speed: [0.2, 1] })).toThrow(/speed factors must lie in/);
  });
});

describe('crop to a stretch of the speech', () => {
  // About 1 s of silence, 2 s of a tone (512-sample blocks 15 to 46), 1 s of silence.
  const tone = new Float32Array(4 * 8000);
  for (let i = 15 * 512; i < 47 * 512; i++) tone[i] = 0.3 * Math.sin(i * 0.2) + 0.01;

  it('speechSpan runs from the first to the last block within 30 dB of the loudest', () => {
    expect(speechSpan(tone)).toEqual({ start: 15 * 512, end: 47 * 512 });
    expect(speechSpan(new Float32Array(1000))).toBeNull();
  });

  it('takes a stretch of the drawn length inside the span, placed in the window', () => {
    const opts: AugmentOptions = { placement: 'start', gainDb: null, noise: null, crop: [0.5, 1] };
    const starts = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const rng = createRng(seed);
      const want = Math.round((0.5 + 0.5 * rng()) * 8000); // the first draw is the length
      const w = augmentWindow(tone, opts, createRng(seed));
      let last = w.length - 1;
      while (last >= 0 && w[last] === 0) last--;
      expect(last + 1).toBe(want);
      // contiguous: some stretch of the tone's span, bit for bit
      const at = Array.from({ length: 47 * 512 - want - 15 * 512 + 1 }, (_, k) => 15 * 512 + k).find((k) => tone[k] === w[0] && tone[k + 1] === w[1] && tone[k + want - 1] === w[want - 1]);
      expect(at).toBeDefined();
      starts.add(at!);
    }
    expect(starts.size).toBeGreaterThan(20);
  });

  it('keeps the whole span when it is shorter than the drawn length, and draws nothing without the option', () => {
    const w = augmentWindow(tone, { placement: 'start', gainDb: null, noise: null, crop: [6, 7] }, createRng(1));
    expect(firstDifference(w.subarray(0, 47 * 512 - 15 * 512), tone.subarray(15 * 512, 47 * 512))).toBe(-1);
    expect(w.subarray(47 * 512 - 15 * 512).every((v) => v === 0)).toBe(true);
    expect(() => validateAugment({ ...NO_AUGMENTATION, crop: [0, 1] })).toThrow(AugmentError);
    expect(() => validateAugment({ ...NO_AUGMENTATION, crop: [1, 9] })).toThrow(/crop lengths/);
  });
});
