// The seeded PRNG: reproducible, in range, and its helpers behave.
import { describe, expect, it } from 'vitest';
import { createGaussian, createRng, deriveSeed, randomInt, shuffled, uniform } from './random.ts';

describe('random', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const a = createRng(5);
    const b = createRng(5);
    const c = createRng(6);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('uniform, randomInt and the Gaussian stay in range with the right moments', () => {
    const r = createRng(1);
    const ints = Array.from({ length: 2000 }, () => randomInt(r, -2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(Array.from({ length: 1000 }, () => uniform(r, 3, 4)).every((v) => v >= 3 && v < 4)).toBe(true);
    const g = createGaussian(r);
    const zs = Array.from({ length: 20000 }, () => g());
    const mean = zs.reduce((s, v) => s + v, 0) / zs.length;
    const variance = zs.reduce((s, v) => s + (v - mean) ** 2, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffles to a permutation without touching the input', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = shuffled(items, createRng(3));
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...s].sort((x, y) => x - y)).toEqual(items);
    expect(s).not.toEqual(items);
  });

  it('derives distinct, reproducible seeds per stream', () => {
    expect(deriveSeed(1, 0)).toBe(deriveSeed(1, 0));
    expect(new Set([0, 1, 2, 3].map((s) => deriveSeed(1, s))).size).toBe(4);
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(2, 0));
  });
});
