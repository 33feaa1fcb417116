// Mixup's draws and blends against the Beta distribution's moments and hand computations;
// buildWindow's blend equals the two windows weighted by hand, masks after the blend.
import { describe, expect, it } from 'vitest';
import { blendInto, blendTargets, drawMixes, sampleBeta, validateMixupAlpha } from './mixup.ts';
import { createRng } from './random.ts';
import { buildWindow, type WindowPlan } from './train-windows.ts';
import { NO_AUGMENTATION } from './augment.ts';

function moments(a: number, b: number, n: number): { mean: number; variance: number } {
  const rng = createRng(11);
  const xs = Array.from({ length: n }, () => sampleBeta(rng, a, b));
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  return { mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n };
}

describe('sampleBeta', () => {
  // Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)).
  it.each([
    [0.4, 0.4, 0.5, 0.16 / (0.64 * 1.8)],
    [2, 5, 2 / 7, 10 / (49 * 8)],
  ])('Beta(%f, %f) has mean %f and variance %f', (a, b, mean, variance) => {
    const m = moments(a, b, 40_000);
    expect(Math.abs(m.mean - mean)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
  });

  it('stays within [0, 1]', () => {
    const rng = createRng(3);
    for (let i = 0; i < 2000; i++) {
      const x = sampleBeta(rng, 0.1, 0.1);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });
});

describe('drawMixes', () => {
  it('draws partners from the pool, λ in [0.5, 1], the same for the same seed', () => {
    const pool = [4, 4, 7, 9];
    const a = drawMixes(500, pool, 0.4, createRng(5));
    expect(a).toHaveLength(500);
    for (const m of a) {
      expect(pool).toContain(m.partner);
      expect(m.lambda).toBeGreaterThanOrEqual(0.5);
      expect(m.lambda).toBeLessThanOrEqual(1);
      expect(Number.isInteger(m.seed)).toBe(true);
    }
    expect(drawMixes(500, pool, 0.4, createRng(5))).toEqual(a);
    expect(drawMixes(500, pool, 0.4, createRng(6))).not.toEqual(a);
    // max(u, 1 - u) with u ~ Beta(0.4, 0.4) leans to the ends: most λ above 0.8.
    expect(a.filter((m) => m.lambda > 0.8).length / a.length).toBeGreaterThan(0.5);
  });

  it('refuses an empty pool and a bad alpha', () => {
    expect(() => drawMixes(2, [], 0.4, createRng(1))).toThrow(/at least one clip/);
    expect(() => validateMixupAlpha(0)).toThrow(/mixup alpha must be a number > 0, got 0/);
    expect(() => validateMixupAlpha(Number.NaN)).toThrow(/got NaN/);
  });
});

describe('blends', () => {
  it('blendInto weighs by λ and 1 - λ', () => {
    const out = Float32Array.from([1, 2, -4]);
    blendInto(out, Float32Array.from([3, 0, 4]), 0.75);
    expect(Array.from(out)).toEqual([1.5, 1.5, -2]);
    expect(() => blendInto(out, new Float32Array(2), 0.5)).toThrow(/cannot blend 2 values into 3/);
  });

  it('blendTargets blends each row by its λ and keeps unknown on either side unknown', () => {
    const own = Float32Array.from([0.8, 0.2, -0.6, NaN]);
    const partners = Float32Array.from([-0.2, NaN, 0.4, 0.5]);
    const y = blendTargets(own, partners, [
      { partner: 1, seed: 0, lambda: 0.6 },
      { partner: 0, seed: 0, lambda: 0.9 },
    ]);
    expect(y[0]).toBeCloseTo(0.6 * 0.8 + 0.4 * -0.2, 6);
    expect(y[1]).toBeNaN();
    expect(y[2]).toBeCloseTo(0.9 * -0.6 + 0.1 * 0.4, 6);
    expect(y[3]).toBeNaN();
  });
});

describe('buildWindow with a partner', () => {
  const plan: WindowPlan = { augment: NO_AUGMENTATION, normalisation: null, features: 'db', specMask: null, inputShape: [2, 3] };
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float32Array.from([6, 5, 4, 3, 2, 1]);

  it('is λ times its own window plus 1 - λ times the partner', () => {
    const out = buildWindow({ features: a }, plan, 1, new Float32Array(6), { source: { features: b }, seed: 2, lambda: 0.75 });
    expect(Array.from(out)).toEqual([2.25, 2.75, 3.25, 3.75, 4.25, 4.75]);
  });

  it('masks the blend, not the partner: a whole-band mask fills with the blend mean', () => {
    const masked: WindowPlan = { ...plan, specMask: { freq: { count: 1, maxWidth: 2 }, time: { count: 0, maxWidth: 0 } } };
    const ten = new Float32Array(6).fill(10);
    // Seeds until the drawn width is 2 (every bin masked): the fill is the blend's mean,
    // 0.75 x 3.5 + 0.25 x 10, not the own window's 3.5 nor the partner's 10.
    for (let seed = 0; seed < 50; seed++) {
      const out = buildWindow({ features: a }, masked, seed, new Float32Array(6), { source: { features: ten }, seed: 9, lambda: 0.75 });
      if (out.every((v) => v === out[0])) {
        expect(out[0]).toBeCloseTo(5.125, 6);
        return;
      }
    }
    expect.fail('no seed drew a full mask');
  });
});
