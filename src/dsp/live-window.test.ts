import { describe, expect, it } from 'vitest';
import { LiveWindow, readingInputSamples, type ReadingPoint } from './live-window.ts';
import { computableLength, resample } from './resample.ts';
import { melSpectrogram } from './mel.ts';
import { toFeatures } from './features.ts';
import { TARGET_RATE, WINDOW_LENGTH } from './params.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function signal(n: number, rate: number, seed: number): Float32Array {
  const r = prng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) * Math.sin(i / rate) + 0.05 * (r() - 0.5);
  return x;
}

interface Got {
  index: number;
  time: number;
  inputSamples: number;
  streamSamples: number;
  features: Float32Array;
}

function run(x: Float32Array, rate: number, chunks: number[], hop = 0.5): Got[] {
  const live = new LiveWindow(rate, { hopSeconds: hop, features: 'db' });
  const got: Got[] = [];
  const visit = (r: ReadingPoint) =>
    got.push({ ...r, features: Float32Array.from(r.features().data) });
  let i = 0;
  let c = 0;
  while (i < x.length) {
    const n = chunks[c++ % chunks.length];
    live.push(x.subarray(i, i + n), visit);
    i += n;
  }
  return got;
}

/** The SPEC's definition computed the slow way, from the batch functions. */
function expectedWindow(x: Float32Array, rate: number, inputSamples: number): Float32Array {
  const n = computableLength(inputSamples, rate, TARGET_RATE);
  const stream = resample(x.subarray(0, inputSamples), rate, TARGET_RATE).subarray(0, n);
  const win = new Float32Array(WINDOW_LENGTH);
  const take = Math.min(n, WINDOW_LENGTH);
  win.set(stream.subarray(n - take), WINDOW_LENGTH - take);
  return win;
}

describe('LiveWindow', () => {
  const rate = 48000;
  const x = signal(rate * 9, rate, 5);

  it('places readings at t_k = k * hop, cut at exact input sample counts', () => {
    const got = run(x, rate, [128]);
    expect(got.map((g) => g.index)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    got.forEach((g) => {
      expect(g.inputSamples).toBe(readingInputSamples(g.index, 0.5, rate));
      expect(g.time).toBeCloseTo(g.index * 0.5, 12);
      expect(g.streamSamples).toBe(computableLength(g.inputSamples, rate, TARGET_RATE));
    });
  });

  it('gives the same numbers whatever the chunking', () => {
    const a = run(x, rate, [128]);
    const b = run(x, rate, [1, 7, 300, 4096, 13, 48000]);
    const c = run(x, rate, [x.length]);
    expect(b.length).toBe(a.length);
    expect(c.length).toBe(a.length);
    for (let k = 0; k < a.length; k++) {
      expect(b[k].features).toEqual(a[k].features);
      expect(c[k].features).toEqual(a[k].features);
    }
  });

  it('equals the batch path on the newest computable 61500 samples, zero-filled at the start', () => {
    const got = run(x, rate, [128]);
    for (const g of [got[0], got[5], got[15], got[17]]) {
      const want = toFeatures(melSpectrogram(expectedWindow(x, rate, g.inputSamples)), 'db').data;
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(want[i] - g.features[i]));
      expect(err).toBeLessThanOrEqual(1e-4); // SPEC dB tolerance
    }
  });

  it('works at 44.1 kHz and with a hop that is not a whole number of samples', () => {
    const r = 44100;
    const y = signal(r * 3, r, 9);
    const a = run(y, r, [128], 0.3333);
    const b = run(y, r, [x.length]);
    expect(a.length).toBe(Math.floor((3 * r) / (0.3333 * r)));
    expect(b.length).toBe(6);
  });

  it('refuses NaN chunks and a bad hop with a clear message', () => {
    const live = new LiveWindow(16000, { features: 'db' });
    expect(() => live.push(new Float32Array([0, NaN]), () => {})).toThrow(/non-finite/);
    expect(() => new LiveWindow(16000, { features: 'db', hopSeconds: 0 })).toThrow(/hop/);
    expect(() => new LiveWindow(0, { features: 'db' })).toThrow(/sample rate/);
  });
});

describe('LiveWindow with loudness normalisation', () => {
  it('gives the clip path features of the same window, normalised the same way', async () => {
    const { DEFAULT_NORMALISATION } = await import('./loudness.ts');
    const { windowFeatures } = await import('./pipeline.ts');
    const rate = 16000;
    const x = signal(rate * 3, rate, 11);
    const live = new LiveWindow(rate, { features: 'db', normalisation: DEFAULT_NORMALISATION });
    const got: { inputSamples: number; features: Float32Array }[] = [];
    live.push(x, (r) => got.push({ inputSamples: r.inputSamples, features: Float32Array.from(r.features().data) }));
    expect(got.length).toBe(6);
    for (const g of got) {
      const want = windowFeatures(expectedWindow(x, rate, g.inputSamples), 'db', DEFAULT_NORMALISATION).data;
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(want[i] - g.features[i]));
      expect(err).toBeLessThanOrEqual(1e-4); // SPEC dB tolerance
    }
  });
});

describe('readingAfterUtterance', () => {
  it('is the reading at the first t_k after the utterance, from a zero-filled window', async () => {
    const { readingAfterUtterance } = await import('./live-window.ts');
    const x = signal(8000 * 2 + 123, 8000, 3); // 2.015 s at 8 kHz
    const got = readingAfterUtterance(x, { features: 'db' }).data;
    const end = Math.ceil(x.length / 4000) * 4000; // t_k = 2.5 s
    const win = new Float32Array(WINDOW_LENGTH);
    win.set(x, WINDOW_LENGTH - end); // speech, then silence until t_k
    const want = toFeatures(melSpectrogram(win), 'db').data;
    let err = 0;
    for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(want[i] - got[i]));
    expect(err).toBeLessThanOrEqual(1e-4); // SPEC dB tolerance
  });
});
