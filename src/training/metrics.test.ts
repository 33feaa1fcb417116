// Metrics on cases derivable by hand, and against the textbook formulas written another way.
import { describe, expect, it } from 'vitest';
import { MetricsError, allMetrics, ccc, knownMetrics, metricText, mse, pearson, signAccuracy } from './metrics.ts';
import { createRng } from './random.ts';

describe('metrics', () => {
  const y = [-0.7, -0.3, 0, 0.2, 0.8, 0.45];

  it('a perfect prediction: mse 0, ccc 1, r 1, all signs right', () => {
    expect(allMetrics(y, y)).toEqual({ n: 6, mse: 0, ccc: 1, pearson: 1, sign_acc: 1 });
  });

  it('a constant offset c: mse c^2, r 1, ccc 2 var / (2 var + c^2)', () => {
    // y2 has mean 0 and population variance 1.
    const y2 = [-1, 1, -1, 1];
    const p = y2.map((v) => v + 0.5);
    expect(mse(p, y2)).toBeCloseTo(0.25, 15);
    expect(pearson(p, y2)).toBeCloseTo(1, 15);
    expect(ccc(p, y2)).toBeCloseTo(2 / (2 + 0.25), 15);
  });

  it('negation of a zero-mean label: ccc -1, r -1, no sign right', () => {
    const y2 = [-0.5, 0.5, -0.25, 0.25];
    const p = y2.map((v) => -v);
    expect(ccc(p, y2)).toBeCloseTo(-1, 15);
    expect(pearson(p, y2)).toBeCloseTo(-1, 15);
    expect(signAccuracy(p, y2)).toBe(0);
  });

  it('a small case by hand: y = [1, 2, 3], p = [2, 2, 4]', () => {
    // means 2 and 8/3; var_y 2/3, var_p 8/9, cov 2/3:
    // ccc = (4/3) / (8/9 + 6/9 + 4/9) = 2/3; r = (2/3) / sqrt(16/27) = sqrt(3)/2; mse = 2/3.
    const m = allMetrics([2, 2, 4], [1, 2, 3]);
    expect(m.n).toBe(3);
    expect(m.mse).toBeCloseTo(2 / 3, 14);
    expect(m.ccc).toBeCloseTo(2 / 3, 14);
    expect(m.pearson).toBeCloseTo(Math.sqrt(3) / 2, 14);
    expect(m.sign_acc).toBe(1);
  });

  it('agrees with the textbook formulas in another form on random data', () => {
    const r = createRng(11);
    const label = Array.from({ length: 200 }, () => Math.round((r() * 2 - 1) * 10) / 10);
    const pred = label.map((v) => 0.6 * v + 0.4 * (r() - 0.5) - 0.05);
    const n = label.length;
    const sum = (f: (i: number) => number) => label.reduce((s, _, i) => s + f(i), 0);
    // Pearson from raw sums; CCC = 1 - E[(p-y)^2] / (var_p + var_y + (mean_p - mean_y)^2).
    const sx = sum((i) => pred[i]);
    const sy = sum((i) => label[i]);
    const sxx = sum((i) => pred[i] ** 2);
    const syy = sum((i) => label[i] ** 2);
    const sxy = sum((i) => pred[i] * label[i]);
    const r2 = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    const varP = sxx / n - (sx / n) ** 2;
    const varY = syy / n - (sy / n) ** 2;
    const msd = sum((i) => (pred[i] - label[i]) ** 2) / n;
    const ccc2 = 1 - msd / (varP + varY + (sx / n - sy / n) ** 2);
    expect(pearson(pred, label)).toBeCloseTo(r2, 12);
    expect(ccc(pred, label)).toBeCloseTo(ccc2, 12);
    expect(mse(pred, label)).toBeCloseTo(msd, 14);
    expect(ccc(pred, label)).toBeLessThan(pearson(pred, label));
  });

  it('sign accuracy skips zero labels and counts a zero prediction as wrong', () => {
    expect(signAccuracy([0.1, -0.2, 0.3, 0], [0.5, 0.5, 0, -0.3])).toBeCloseTo(1 / 3, 15);
    expect(Number.isNaN(signAccuracy([1, -1], [0, 0]))).toBe(true);
  });

  it('undefined metrics are NaN (JSON null), not a thrown error', () => {
    expect(Number.isNaN(pearson([0.1, 0.1, 0.1], [0, 0.5, 1]))).toBe(true);
    expect(Number.isNaN(ccc([0.3, 0.3], [0.3, 0.3]))).toBe(true);
    expect(ccc([0.1, 0.1, 0.1], [0, 0.5, 1])).toBe(0);
    // Labels that do not vary: CCC cannot measure agreement (it is 0 whatever the prediction), so it is undefined.
    const json = JSON.parse(JSON.stringify(allMetrics([0.2, 0.2], [0, 0]))) as Record<string, unknown>;
    expect(json).toEqual({ n: 2, mse: expect.closeTo(0.04, 15), ccc: null, pearson: null, sign_acc: null });
  });

  it('one clip, or one label value: CCC and r are undefined (NaN), MSE and sign are not', () => {
    // One clip: both variances are 0, so 2 cov / (0 + 0 + (0.3 - 0.5)^2) would be a meaningless 0.
    const one = allMetrics([0.3], [0.5]);
    expect(one.n).toBe(1);
    expect(one.mse).toBeCloseTo(0.04, 15); // (0.3 - 0.5)^2
    expect(one.sign_acc).toBe(1);
    expect(Number.isNaN(one.ccc)).toBe(true);
    expect(Number.isNaN(one.pearson)).toBe(true);
    // Varying predictions against one label value: still no concordance to measure.
    expect(Number.isNaN(ccc([0.1, 0.2, 0.3], [0.5, 0.5, 0.5]))).toBe(true);
  });

  it('metricText prints a number to 4 decimals and an undefined metric as n/a', () => {
    expect(metricText(0.25)).toBe('0.2500');
    expect(metricText(-0.125, 3)).toBe('-0.125');
    expect(metricText(NaN)).toBe('n/a');
    expect(metricText(null)).toBe('n/a'); // a checkpoint's JSON null
  });

  it('refuses mismatched or empty inputs', () => {
    expect(() => mse([1], [1, 2])).toThrow(MetricsError);
    expect(() => allMetrics([], [])).toThrow(/no predictions/);
  });
});

describe('knownMetrics', () => {
  it('scores only the clips with a known label', () => {
    // Known pairs (0.5, 1), (-0.5, -1): MSE (0.25 + 0.25) / 2 = 0.25; sign 2/2;
    // CCC 2 cov / (vp + vy + 0) = 2 * 0.5 / (0.25 + 1) = 0.8.
    const m = knownMetrics([0.5, 9, -0.5, 7], [1, null, -1, NaN])!;
    expect(m.n).toBe(2);
    expect(m.mse).toBeCloseTo(0.25, 12);
    expect(m.ccc).toBeCloseTo(0.8, 12);
    expect(m.sign_acc).toBe(1);
    expect(knownMetrics([1, 2], [null, NaN])).toBeNull();
    expect(() => knownMetrics([1], [1, 2])).toThrow(MetricsError);
  });
});
