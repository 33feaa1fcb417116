// The soak's judgement on cases worked out by hand: slopes, nearest-rank percentiles, and
// each goal's PASS / FAIL / not judged.
import { describe, expect, it } from 'vitest';
import {
  HEAP_SLOPE_LIMIT_BYTES_PER_MINUTE,
  leastSquaresSlope,
  percentile,
  soakVerdict,
  type SoakGoal,
  type SoakMinute,
} from './soak-verdict.ts';

const KIB = 1024;
const MIB = 1024 * KIB;

/** `n` quiet minutes: 120 readings at a 0.5 s hop, nothing skipped or dropped, constant heap and tensors. */
const steady = (n: number, change: (m: SoakMinute) => Partial<SoakMinute> = () => ({})): SoakMinute[] =>
  Array.from({ length: n }, (_, i) => {
    const m: SoakMinute = { minute: i + 1, readings: 120, skipped: 0, overruns: 0, pageHeapBytes: 2 * MIB, workerHeapBytes: 40 * MIB, tensors: 14 };
    return { ...m, ...change(m) };
  });

const goal = (goals: SoakGoal[], name: string) => {
  const g = goals.find((x) => x.name === name);
  if (!g) throw new Error(`no goal ${name}`);
  return g;
};
const opts = { hopSeconds: 0.5, warmupMinutes: 0 };

describe('leastSquaresSlope', () => {
  it('of points on a line is its slope', () => {
    expect(leastSquaresSlope([1, 2, 3], [2, 4, 6])).toBe(2);
  });

  it('by hand: x 1..3, y 1, 3, 2: sxy 1, sxx 2', () => {
    expect(leastSquaresSlope([1, 2, 3], [1, 3, 2])).toBe(0.5);
  });

  it('by hand: x 1..4, y 10, 10, 10, 14: sxy 6, sxx 5', () => {
    expect(leastSquaresSlope([1, 2, 3, 4], [10, 10, 10, 14])).toBeCloseTo(1.2, 12);
  });

  it('of a one-off step of 1 at minute 30 of 60: sxy = sum of (x - 30.5) for x 30..60 = 449.5, sxx = 60 (60^2 - 1) / 12', () => {
    const x = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(leastSquaresSlope(x, x.map((m) => (m >= 30 ? 1 : 0)))).toBeCloseTo(449.5 / 17995, 12);
  });

  it('refuses too few points, one repeated x and unequal lengths, saying which', () => {
    expect(() => leastSquaresSlope([1], [1])).toThrow('at least 2 points, got 1');
    expect(() => leastSquaresSlope([2, 2], [1, 3])).toThrow('2 distinct points');
    expect(() => leastSquaresSlope([1, 2, 3], [1, 2])).toThrow('slope of 2 values at 3 points');
  });
});

describe('percentile (nearest rank)', () => {
  const xs = [35, 20, 50, 15, 40]; // sorted: 15 20 35 40 50

  it('is the value at rank ceil(p n / 100)', () => {
    expect(percentile(xs, 5)).toBe(15); // rank ceil(0.25) = 1
    expect(percentile(xs, 30)).toBe(20); // rank ceil(1.5) = 2
    expect(percentile(xs, 40)).toBe(20); // rank 2 exactly
    expect(percentile(xs, 50)).toBe(35); // rank ceil(2.5) = 3
    expect(percentile(xs, 100)).toBe(50);
  });

  it('p95 of 1..20 is 19, of 1..100 is 95', () => {
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile(Array.from({ length: 100 }, (_, i) => 100 - i), 95)).toBe(95);
  });

  it('is null for no values and refuses p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile(xs, 0)).toThrow('(0, 100], got 0');
    expect(() => percentile(xs, 101)).toThrow('got 101');
  });

  it('leaves its input in order', () => {
    const copy = [...xs];
    percentile(xs, 50);
    expect(xs).toEqual(copy);
  });
});

describe('soakVerdict', () => {
  it('a quiet hour passes every goal', () => {
    const goals = soakVerdict(steady(60), { hopSeconds: 0.5, warmupMinutes: 6 });
    expect(goals.map((g) => [g.name, g.pass])).toEqual([
      ['skipped', true],
      ['overruns', true],
      ['readings', true],
      ['page heap', true],
      ['worker heap', true],
      ['tensors', true],
    ]);
    expect(goal(goals, 'worker heap').detail).toContain('slope 0.0 KiB/min over minutes 7-60 (limit 32.0 KiB/min)');
  });

  it('one skipped reading point anywhere fails, and says how many', () => {
    const g = goal(soakVerdict(steady(5, (m) => ({ skipped: m.minute === 3 ? 2 : 0, readings: m.minute === 3 ? 118 : 120 })), opts), 'skipped');
    expect(g).toEqual({ name: 'skipped', pass: false, detail: '2 reading points skipped' });
  });

  it('overruns are the page total at the last minute', () => {
    const g = goal(soakVerdict(steady(4, (m) => ({ overruns: m.minute >= 2 ? 128 : 0 })), opts), 'overruns');
    expect(g).toEqual({ name: 'overruns', pass: false, detail: '128 samples dropped by the ring' });
  });

  it('a minute with fewer than 90 % of its 120 reading points (108) fails readings; 108 passes', () => {
    const goals = soakVerdict(steady(3, (m) => (m.minute === 2 ? { readings: 100, skipped: 7 } : m.minute === 3 ? { readings: 108 } : {})), opts);
    expect(goal(goals, 'readings')).toEqual({ name: 'readings', pass: false, detail: 'fewer than 108 of 120 reading points in minute(s) 2' });
    // At a 1 s hop a minute has 60 points: 54 are enough.
    expect(goal(soakVerdict(steady(2, () => ({ readings: 54 })), { hopSeconds: 1, warmupMinutes: 0 }), 'readings').pass).toBe(true);
  });

  it('heap growing 40 KiB a minute fails, 20 KiB a minute passes (limit 32 KiB)', () => {
    expect(HEAP_SLOPE_LIMIT_BYTES_PER_MINUTE).toBe(32 * KIB);
    const growing = (perMinute: number) => steady(10, (m) => ({ pageHeapBytes: 2 * MIB + m.minute * perMinute }));
    const fail = goal(soakVerdict(growing(40 * KIB), opts), 'page heap');
    expect(fail.pass).toBe(false);
    expect(fail.detail).toBe('slope 40.0 KiB/min over minutes 1-10 (limit 32.0 KiB/min); 2088.0 KiB -> 2448.0 KiB');
    expect(goal(soakVerdict(growing(20 * KIB), opts), 'page heap').pass).toBe(true);
  });

  it('the warm-up minutes are left out of the fit: 10 MiB a minute for 5 minutes, flat after', () => {
    const minutes = steady(20, (m) => ({ workerHeapBytes: 40 * MIB + Math.min(m.minute, 5) * 10 * MIB }));
    expect(goal(soakVerdict(minutes, { hopSeconds: 0.5, warmupMinutes: 6 }), 'worker heap').pass).toBe(true);
    expect(goal(soakVerdict(minutes, { hopSeconds: 0.5, warmupMinutes: 0 }), 'worker heap').pass).toBe(false);
  });

  it('tensors: one more a minute fails; one one-off step in an hour passes', () => {
    expect(goal(soakVerdict(steady(5, (m) => ({ tensors: 14 + m.minute })), opts), 'tensors').pass).toBe(false);
    expect(goal(soakVerdict(steady(60, (m) => ({ tensors: m.minute >= 30 ? 15 : 14 })), opts), 'tensors').pass).toBe(true);
  });

  it('too few minutes after the warm-up: the heap goals are not judged, and say why; tensors need no warm-up', () => {
    const goals = soakVerdict(steady(3), { hopSeconds: 0.5, warmupMinutes: 6 });
    for (const name of ['page heap', 'worker heap']) {
      expect(goal(goals, name)).toEqual({ name, pass: null, detail: 'not judged: needs 2 minutes after the 6-minute warm-up, got 0' });
    }
    expect(goal(goals, 'tensors')).toEqual({
      name: 'tensors',
      pass: true,
      detail: 'slope 0/min over minutes 1-3 (limit 0.10/min); 14 -> 14',
    });
    expect(goal(soakVerdict(steady(1), opts), 'tensors')).toEqual({ name: 'tensors', pass: null, detail: 'not judged: needs 2 minutes, got 1' });
    expect(goal(goals, 'skipped').pass).toBe(true);
  });

  it('refuses an empty run', () => {
    expect(() => soakVerdict([], opts)).toThrow('no minute was measured');
  });
});
