// RecentWeights against means worked out by hand.
import { describe, expect, it } from 'vitest';
import { RecentWeights } from './weight-average.ts';

const f = (...v: number[]) => Float32Array.from(v);

describe('RecentWeights', () => {
  it('averages the last k epochs element by element, dropping older ones', () => {
    const r = new RecentWeights(2);
    r.push([f(1, 2), f(10)]);
    expect(r.count).toBe(1);
    expect(r.mean().map((a) => Array.from(a))).toEqual([[1, 2], [10]]);
    r.push([f(3, 6), f(20)]);
    expect(r.mean().map((a) => Array.from(a))).toEqual([[2, 4], [15]]);
    r.push([f(5, -6), f(40)]); // the first epoch drops out: (3+5)/2, (6-6)/2, (20+40)/2
    expect(r.count).toBe(2);
    expect(r.mean().map((a) => Array.from(a))).toEqual([[4, 0], [30]]);
  });

  it('keeps copies: changing the arrays pushed does not change the mean', () => {
    const w = [f(1, 1)];
    const r = new RecentWeights(3);
    r.push(w);
    w[0][0] = 100;
    expect(Array.from(r.mean()[0])).toEqual([1, 1]);
  });

  it('k = 1 is the last epoch itself; a checkpoint restores the newest k sets', () => {
    const one = new RecentWeights(1);
    one.push([f(1)]);
    one.push([f(7)]);
    expect(Array.from(one.mean()[0])).toEqual([7]);
    const restored = new RecentWeights(2, [[f(1)], [f(2)], [f(6)]]);
    expect(restored.count).toBe(2);
    expect(Array.from(restored.mean()[0])).toEqual([4]);
  });

  it('refuses k < 1, a mean of nothing and sets of another shape', () => {
    expect(() => new RecentWeights(0)).toThrow(/whole number >= 1/);
    expect(() => new RecentWeights(1.5)).toThrow(/whole number >= 1/);
    expect(() => new RecentWeights(2).mean()).toThrow(/no weights/);
    const r = new RecentWeights(2);
    r.push([f(1, 2)]);
    expect(() => r.push([f(1)])).toThrow(/same shapes/);
  });
});
