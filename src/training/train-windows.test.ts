// Training windows: fixed features without masks are copied exactly (the seed preset's
// batches), a seed gives the same window every time and on any thread, and packed signals
// are the signals.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION } from '../dsp/loudness.ts';
import { windowFeatures } from '../dsp/pipeline.ts';
import { WINDOW_FRAMES } from '../dsp/params.ts';
import { augmentNormalisation, augmentWindow, DEFAULT_AUGMENTATION, NO_AUGMENTATION } from './augment.ts';
import { createRng, deriveSeed } from './random.ts';
import { applySpecMask, DEFAULT_SPEC_MASK } from './spec-mask.ts';
import { buildWindow, packSignals, signalAt, windowSeed, type WindowPlan } from './train-windows.ts';

const SHAPE = [64, WINDOW_FRAMES] as const;
const PER = SHAPE[0] * SHAPE[1];

function noise(n: number, seed: number, scale = 0.1): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);
}

const live: WindowPlan = {
  augment: { ...DEFAULT_AUGMENTATION, speed: [0.9, 1.1] },
  normalisation: DEFAULT_NORMALISATION,
  features: 'db',
  specMask: DEFAULT_SPEC_MASK,
  inputShape: SHAPE,
};

describe('buildWindow', () => {
  it('copies fixed features exactly when nothing masks them, and leaves the source alone when masking', () => {
    const features = noise(PER, 1, 5);
    const plan: WindowPlan = { ...live, augment: NO_AUGMENTATION, normalisation: null, specMask: null };
    const out = buildWindow({ features }, plan, 123, new Float32Array(PER));
    expect(out).not.toBe(features);
    for (let i = 0; i < PER; i++) if (out[i] !== features[i]) expect.fail(`value ${i}`);
    const keep = features.slice();
    const masked = buildWindow({ features }, { ...plan, specMask: DEFAULT_SPEC_MASK }, 123, new Float32Array(PER));
    for (let i = 0; i < PER; i++) if (features[i] !== keep[i]) expect.fail(`source changed at ${i}`);
    // The masks draw from the window's own seed.
    const want = applySpecMask(keep.slice(), SHAPE[0], SHAPE[1], DEFAULT_SPEC_MASK, createRng(123));
    for (let i = 0; i < PER; i++) if (masked[i] !== want[i]) expect.fail(`mask at ${i}`);
  });

  it("is the augmentation, normalisation offset and masks drawn in that order from the seed's RNG", () => {
    const signal = noise(30_000, 2);
    const got = buildWindow({ signal }, live, 77, new Float32Array(PER));
    const rng = createRng(77);
    const window = augmentWindow(signal, live.augment, rng);
    const want = windowFeatures(window, live.features, augmentNormalisation(live.normalisation, live.augment, rng)).data;
    applySpecMask(want, SHAPE[0], SHAPE[1], DEFAULT_SPEC_MASK, rng);
    for (let i = 0; i < PER; i++) if (got[i] !== want[i]) expect.fail(`value ${i}: ${got[i]} vs ${want[i]}`);
    // Another seed, another window.
    const other = buildWindow({ signal }, live, 78, new Float32Array(PER));
    expect(other.some((v, i) => v !== got[i])).toBe(true);
  });

  it('refuses an output of the wrong size', () => {
    expect(() => buildWindow({ features: new Float32Array(PER) }, live, 1, new Float32Array(PER - 1))).toThrow(/needs/);
    expect(() => buildWindow({ features: new Float32Array(PER - 1) }, live, 1, new Float32Array(PER))).toThrow(/features hold/);
  });
});

describe('windowSeed', () => {
  it('differs by position and epoch, and derives from the run seed', () => {
    const seeds = new Set([0, 1, 2].flatMap((e) => [0, 1, 2, 3].map((p) => windowSeed(5, e, p))));
    expect(seeds.size).toBe(12);
    expect(windowSeed(5, 1, 3)).toBe(deriveSeed(deriveSeed(5, 100_001), 3));
    expect(windowSeed(6, 1, 3)).not.toBe(windowSeed(5, 1, 3));
  });
});

describe('packSignals', () => {
  it('holds each signal at its place, on shared memory by default', () => {
    const signals = [noise(5, 3), new Float32Array(0), noise(7, 4)];
    const p = packSignals(signals);
    expect(p.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    signals.forEach((s, i) => expect(Array.from(signalAt(p, i))).toEqual(Array.from(s)));
    expect(packSignals(signals, false).data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(() => signalAt(p, 3)).toThrow(RangeError);
  });
});
