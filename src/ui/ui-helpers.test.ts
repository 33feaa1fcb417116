import { describe, expect, it } from 'vitest';
import { clampValence, formatValence, valenceColor, valenceLabel } from './valence-scale.ts';
import { formatSeconds, formatTick, timeDomain, timeTicks, timelineShape } from './timeline-geometry.ts';
import { arousalColor, arousalLabel } from './arousal-scale.ts';

describe('valence scale', () => {
  it('labels with a ±0.15 neutral band', () => {
    expect([-0.5, -0.151, -0.15, 0, 0.15, 0.151, 1].map(valenceLabel)).toEqual([
      'negative', 'negative', 'neutral', 'neutral', 'neutral', 'positive', 'positive',
    ]);
  });

  it('formats with two decimals and a sign, never "-0.00"', () => {
    expect([0.4249, -0.07, 0, -0.001, 0.004, 1].map(formatValence)).toEqual(['+0.42', '-0.07', '0.00', '0.00', '0.00', '+1.00']);
  });

  it('clamps to [-1, 1] and drops non-numbers', () => {
    expect([2, -3, 0.5, Number.NaN, Infinity, null, undefined].map(clampValence)).toEqual([1, -1, 0.5, null, null, null, null]);
  });

  it('colours grey at 0, red at -1, green at +1', () => {
    expect(valenceColor(0)).toBe('rgb(138, 143, 152)');
    expect(valenceColor(-1)).toBe('rgb(214, 69, 80)');
    expect(valenceColor(1)).toBe('rgb(46, 164, 96)');
    expect(valenceColor(5)).toBe(valenceColor(1));
    expect(valenceColor(0.5)).toBe('rgb(69, 159, 110)'); // three quarters of the way: 1 - 0.5^2
  });
});

describe('arousal scale', () => {
  it('labels calm / moderate / excited with a ±0.15 middle band', () => {
    expect([-1, -0.151, -0.15, 0, 0.15, 0.151, 1].map(arousalLabel)).toEqual([
      'calm', 'calm', 'moderate', 'moderate', 'moderate', 'excited', 'excited',
    ]);
  });

  it('colours grey at 0, blue at -1, amber at +1, clamped', () => {
    expect(arousalColor(0)).toBe('rgb(138, 143, 152)');
    expect(arousalColor(-1)).toBe('rgb(64, 130, 196)');
    expect(arousalColor(1)).toBe('rgb(222, 140, 40)');
    expect(arousalColor(4)).toBe(arousalColor(1));
    expect(arousalColor(Number.NaN)).toBe(arousalColor(0));
  });
});

describe('timeline geometry', () => {
  const box = { left: 0, top: 0, width: 100, height: 100 };

  it('fills from the left, from the start of the recording, then scrolls', () => {
    expect(timeDomain([], 60)).toEqual([0, 60]);
    expect(timeDomain([{ t: 5, valence: 0 }, { t: 20, valence: 0 }], 60)).toEqual([0, 60]);
    expect(timeDomain([{ t: 0.5, valence: 0 }, { t: 4, valence: 0 }], 4)).toEqual([0, 4]);
    expect(timeDomain([{ t: 0, valence: 0 }, { t: 90, valence: 0 }], 60)).toEqual([30, 90]);
  });

  it('puts time ticks on round steps, at most six, inside the range', () => {
    expect(timeTicks([0, 4])).toEqual([0, 1, 2, 3, 4]);
    expect(timeTicks([0, 60])).toEqual([0, 15, 30, 45, 60]);
    expect(timeTicks([30, 90])).toEqual([30, 45, 60, 75, 90]);
    expect(timeTicks([0, 2.5])).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(timeTicks([0, 3600])).toEqual([0, 900, 1800, 2700, 3600]);
    expect(formatTick(0.5, [0, 0.5, 1])).toBe('0.5 s');
    expect(formatTick(1, [0, 0.5, 1])).toBe('1.0 s');
    expect(formatTick(75, [60, 75, 90])).toBe('1:15');
  });

  it('draws +1 at the top, -1 at the bottom, and breaks the line at nulls', () => {
    const shape = timelineShape(
      [
        { t: 0, valence: 1 },
        { t: 1, valence: -1 },
        { t: 2, valence: null },
        { t: 3, valence: 0 },
        { t: 4, valence: null },
        { t: 5, valence: 0.5 },
        { t: 6, valence: 3 },
      ],
      [0, 10],
      box,
    );
    expect(shape.path).toBe('M0,0 L10,100 M50,25 L60,0');
    expect(shape.dots).toEqual([{ x: 30, y: 50 }]);
  });

  it("draws a reading's arousal when asked, with the same gaps", () => {
    const readings = [
      { t: 0, valence: 1, arousal: -1 },
      { t: 1, valence: 0, arousal: 0.5 },
      { t: 2, valence: null, arousal: null },
      { t: 3, valence: 0.5 }, // no arousal (a one-output model's reading): a gap in that line only
      { t: 4, valence: 0, arousal: 0 },
    ];
    const arousal = timelineShape(readings, [0, 10], box, (r) => r.arousal);
    expect(arousal.path).toBe('M0,100 L10,25');
    expect(arousal.dots).toEqual([{ x: 40, y: 50 }]);
    expect(timelineShape(readings, [0, 10], box).path).toBe('M0,0 L10,50 M30,25 L40,50');
  });

  it('leaves out readings outside the window', () => {
    const shape = timelineShape([{ t: 0, valence: 0 }, { t: 5, valence: 0 }, { t: 10, valence: 0 }], [4, 10], box);
    expect(shape.path.startsWith('M16.7,50')).toBe(true);
    expect(shape.path.split('L')).toHaveLength(2);
  });

  it('formats axis times', () => {
    expect([0, 12.4, 65, 3723].map(formatSeconds)).toEqual(['0 s', '12 s', '1:05', '1:02:03']);
  });
});
