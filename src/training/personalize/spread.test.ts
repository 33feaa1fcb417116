// The readings' spread factor: the label spread over the readings' (by hand), kept within
// [1, MAX_FIT_SCALE]; and its fold into the output layer, checked against the affine map it stands for.
import { describe, expect, it } from 'vitest';
import { MAX_FIT_SCALE } from './recipe.ts';
import { foldSpread, spreadScale } from './spread.ts';

describe('spreadScale', () => {
  const clips = [
    { valence: -1, arousal: 0.5 },
    { valence: 0, arousal: null },
    { valence: 1, arousal: -0.5 },
  ];

  it("'fit': the labels' standard deviation over the readings', centred on the mean reading", () => {
    // valence readings -0.2, 0.1, 0.4: mean 0.1, sd sqrt(0.06); labels -1, 0, 1: sd sqrt(2/3)
    // arousal (clips 0 and 2 only) readings 0.3, 0.1: mean 0.2, sd 0.1; labels sd 0.5
    const predicted = Float32Array.from([-0.2, 0.3, 0.1, 9, 0.4, 0.1]);
    const s = spreadScale(clips, predicted, 2, 'fit');
    expect(s.scale[0]).toBeCloseTo(MAX_FIT_SCALE, 6); // sqrt(2/3) / sqrt(0.06) = 3.33, capped
    expect(s.scale[1]).toBeCloseTo(MAX_FIT_SCALE, 6); // 0.5 / 0.1 = 5, capped
    expect(s.centre[0]).toBeCloseTo(0.1, 6);
    expect(s.centre[1]).toBeCloseTo(0.2, 6);
    const wide = spreadScale(clips, Float32Array.from([-0.9, 0, 0, 0, 0.6, 0]), 2, 'fit');
    expect(wide.scale[0]).toBeCloseTo(Math.sqrt(2 / 3) / Math.sqrt(0.38), 5); // readings -0.9, 0, 0.6: mean -0.1, sd sqrt(1.14 / 3)
    expect(wide.scale[1]).toBe(1); // readings with no spread: left alone
  });

  it('never narrows the readings; a number is taken as it is', () => {
    const s = spreadScale(clips.slice(0, 1).concat(clips[2]), Float32Array.from([-3, 0, 3, 0]), 2, 'fit');
    expect(s.scale[0]).toBe(1);
    expect(spreadScale(clips, new Float32Array(6), 2, 1.5).scale).toEqual([1.5, 1.5]);
  });
});

describe('foldSpread', () => {
  it('makes the output layer compute c + s (y - c)', () => {
    // A dense layer of 3 inputs and 2 outputs: kernel [3 x 2] row-major, then bias.
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const bias = Float32Array.from([0.5, -1]);
    const x = [0.1, -0.2, 0.3];
    const out = (k: Float32Array, b: Float32Array) => [0, 1].map((d) => b[d] + x.reduce((s, v, j) => s + v * k[j * 2 + d], 0));
    const y = out(kernel, bias);
    const weights = [new Float32Array(4), kernel.slice(), bias.slice()];
    foldSpread(weights, [2, 0.5], [0.25, 1]);
    const z = out(weights[1], weights[2]);
    expect(z[0]).toBeCloseTo(0.25 + 2 * (y[0] - 0.25), 5);
    expect(z[1]).toBeCloseTo(1 + 0.5 * (y[1] - 1), 5);
    expect(weights[0]).toEqual(new Float32Array(4));
  });
});
