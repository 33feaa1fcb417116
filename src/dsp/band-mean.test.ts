import { describe, expect, it } from 'vitest';
import { removeBandMeans, speechFrames } from './band-mean.ts';
import { toFeatures } from './features.ts';
import { melSpectrogram, powerToDb, type Spectrogram } from './mel.ts';
import { LiveWindow, readingAfterUtterance } from './live-window.ts';
import { windowFeatures, reportWindow } from './pipeline.ts';
import { DEFAULT_NORMALISATION } from './loudness.ts';
import { TARGET_RATE, WINDOW_LENGTH } from './params.ts';
import { maxAbsDiff } from './compare.ts';

const spec = (rows: number[][]): Spectrogram => ({
  data: Float32Array.from(rows.flat()),
  nMels: rows.length,
  nFrames: rows[0].length,
});

/** Speech-like test audio: 220 Hz and 1.3 kHz tones in bursts, with pauses and quiet noise. */
function bursts(seconds: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const x = new Float32Array(Math.round(seconds * TARGET_RATE));
  for (let i = 0; i < x.length; i++) {
    const t = i / TARGET_RATE;
    const on = Math.sin(2 * Math.PI * 0.7 * t) > -0.2 ? 1 : 0;
    x[i] = on * (0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.05 * Math.sin(2 * Math.PI * 1300 * t)) + 0.002 * rand();
  }
  return x;
}

describe('removeBandMeans (hand computation)', () => {
  // Frame powers summed over the two bands: 0.002, 101, 0, 1010. The loudest is 1010, so
  // speech frames are those above 1010 * 10^-2.5 = 3.19: frames 1 and 3.
  const power = spec([
    [0.001, 100, 0, 10],
    [0.001, 1, 0, 1000],
  ]);

  it('takes speech frames within 25 dB of the loudest frame', () => {
    expect(speechFrames(power)).toEqual([false, true, false, true]);
  });

  it("subtracts each band's mean over the speech frames from all its frames", () => {
    // dB: [-30, 20, -50, 10] and [-30, 0, -50, 30] (top_db 80 under the maximum 30 raises
    // the zeros to -50). Means over frames 1 and 3: (20 + 10) / 2 = 15 and (0 + 30) / 2 = 15.
    const out = removeBandMeans(powerToDb(power), power);
    const want = [-45, 5, -65, -5, -45, -15, -65, 15];
    out.data.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
  });

  it('leaves digital silence unchanged and refuses mismatched shapes', () => {
    const zero = spec([[0, 0], [0, 0]]);
    const db = powerToDb(zero);
    expect(removeBandMeans(db, zero)).toBe(db);
    expect(() => removeBandMeans(powerToDb(power), zero)).toThrow(/differ in shape/);
  });
});

describe('db-band-mean features', () => {
  const window = reportWindow(bursts(7.7, 3));

  it('do not change when the whole signal is made quieter (a gain is one offset in every band)', () => {
    const quiet = window.map((v) => v * 0.25);
    const a = toFeatures(melSpectrogram(window), 'db-band-mean').data;
    const b = toFeatures(melSpectrogram(quiet), 'db-band-mean').data;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-3);
    // plain dB moves by 20 log10(4) = 12 dB
    const d = toFeatures(melSpectrogram(window), 'db').data[0] - toFeatures(melSpectrogram(quiet), 'db').data[0];
    expect(d).toBeCloseTo(12.04, 1);
  });

  it('are the same in the live monitor and in batch use, for every window', () => {
    const x = bursts(10, 7);
    const live = new LiveWindow(TARGET_RATE, { features: 'db-band-mean' });
    let checked = 0;
    live.push(x, (r) => {
      const batch = windowFeatures(r.window(), 'db-band-mean').data;
      expect(maxAbsDiff(r.features().data, batch)).toBeLessThanOrEqual(1e-3);
      checked++;
    });
    expect(checked).toBe(20);
  });

  it('after an utterance, with loudness normalisation, equal the clip path on the same window', () => {
    const x = bursts(3, 11);
    const opts = { features: 'db-band-mean' as const, normalisation: DEFAULT_NORMALISATION };
    const live = readingAfterUtterance(x, opts).data;
    // the first reading at or after the last sample: t = 3.0 s exactly, so the window is the
    // signal right-aligned in 61500 samples, zero-filled before it
    const win = new Float32Array(WINDOW_LENGTH);
    win.set(x, WINDOW_LENGTH - x.length);
    expect(maxAbsDiff(live, windowFeatures(win, 'db-band-mean', DEFAULT_NORMALISATION).data)).toBeLessThanOrEqual(1e-3);
  });
});
