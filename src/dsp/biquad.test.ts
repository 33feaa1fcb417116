// Biquads against hand-derived responses: a Butterworth section is -3 dB at its cut-off, a
// peaking bell has its gain at its centre and none at DC or Nyquist, and the filter's
// steady-state gain on a long tone equals the analytic response.
import { describe, expect, it } from 'vitest';
import { applyBiquad, butterworth, peaking, responseDb } from './biquad.ts';

const tone = (hz: number, n = 16000) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 8000));
const rmsDb = (x: Float32Array, from: number) => {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i] * x[i];
  return 10 * Math.log10(s / (x.length - from));
};

describe('biquad', () => {
  it('Butterworth: -10 log10(2) dB at the cut-off, 0 dB in the pass band, 12 dB/octave beyond', () => {
    const lp = butterworth('lowpass', 1000);
    expect(responseDb(lp, 1000)).toBeCloseTo(-10 * Math.log10(2), 6);
    expect(responseDb(lp, 0)).toBeCloseTo(0, 9);
    const hp = butterworth('highpass', 300);
    expect(responseDb(hp, 300)).toBeCloseTo(-10 * Math.log10(2), 6);
    expect(responseDb(hp, 3999.999)).toBeCloseTo(0, 4);
    // Far below a high-pass cut-off the response falls as (f/fc)^2 (bilinear warping is small there).
    expect(responseDb(hp, 30)).toBeCloseTo(40 * Math.log10(30 / 300), 0);
  });

  it('peaking: the gain at the centre, 0 dB at DC and Nyquist, and cut mirrors boost', () => {
    for (const db of [-9, 6]) {
      const f = peaking(800, db, 1.2);
      expect(responseDb(f, 800)).toBeCloseTo(db, 6);
      expect(responseDb(f, 0)).toBeCloseTo(0, 9);
      expect(responseDb(f, 4000)).toBeCloseTo(0, 6);
    }
    expect(responseDb(peaking(800, -5, 1), 1500)).toBeCloseTo(-responseDb(peaking(800, 5, 1), 1500), 6);
  });

  it('filtering a long tone gives the analytic gain once the transient has passed', () => {
    for (const [f, hz] of [[peaking(500, 7, 0.8), 500], [butterworth('lowpass', 2500), 3000], [butterworth('highpass', 200), 150]] as const) {
      const x = tone(hz);
      expect(rmsDb(applyBiquad(x, f), 4000) - rmsDb(x, 4000)).toBeCloseTo(responseDb(f, hz), 1);
    }
  });
});
