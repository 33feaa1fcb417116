import { describe, expect, it } from 'vitest';
import { casesOfKind, fixtureSet } from '../model/reference-fixtures.ts';
import { TOLERANCE } from '../model/reference-check.ts';
import { maxAbsDiff, maxValue } from './compare.ts';
import { melParams, melSpectrogram, type Spectrogram } from './mel.ts';
import { WINDOW_FRAMES, WINDOW_LENGTH } from './params.ts';
import { SlidingMel } from './sliding-mel.ts';
import { SignalError } from './validate.ts';

/** Deterministic test signal: noise plus a slow chirp, so every frame differs. */
function signal(n: number, seed = 1): Float32Array {
  let a = seed >>> 0;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    x[i] = 0.1 * (a / 2 ** 32 - 0.5) + 0.5 * Math.sin(0.001 * i + 1e-7 * i * i);
  }
  return x;
}

/** Bit-exact comparison with the batch Mel of the same window. */
function expectEqualsBatch(s: SlidingMel): void {
  const got = s.spectrogram();
  const want = melSpectrogram(s.windowSamples());
  expect([got.nMels, got.nFrames]).toEqual([want.nMels, want.nFrames]);
  let mismatches = 0;
  for (let i = 0; i < want.data.length; i++) if (!Object.is(got.data[i], want.data[i])) mismatches++;
  expect(mismatches).toBe(0);
}

describe('SlidingMel', () => {
  it('starts as an all-zero window of WINDOW_FRAMES frames', () => {
    const s = new SlidingMel();
    expect(s.filled).toBe(0);
    const w = s.windowSamples();
    expect(w.length).toBe(WINDOW_LENGTH);
    expect(w.every((v) => v === 0)).toBe(true);
    const spec = s.spectrogram();
    expect([spec.nMels, spec.nFrames]).toEqual([64, WINDOW_FRAMES]);
    expect(spec.data.every((v) => v === 0)).toBe(true);
  });

  it('zero-fills the start of the window until it is full', () => {
    const s = new SlidingMel();
    const x = signal(10_000);
    s.push(x);
    expect(s.filled).toBe(10_000);
    const w = s.windowSamples();
    expect(w.subarray(0, WINDOW_LENGTH - 10_000).every((v) => v === 0)).toBe(true);
    expect(w.subarray(WINDOW_LENGTH - 10_000).every((v, i) => v === x[i])).toBe(true);
    expectEqualsBatch(s);
  });

  it('equals the batch Mel after every 128-sample render quantum it is checked at', () => {
    const x = signal(WINDOW_LENGTH + 40_000, 7);
    const s = new SlidingMel();
    let pushed = 0;
    let checks = 0;
    while (pushed + 128 <= x.length) {
      s.push(x.subarray(pushed, pushed + 128));
      pushed += 128;
      // Hop-aligned moves (every 512) use the cache; every 1664 samples is unaligned.
      if (pushed % 4096 === 0 || pushed % 1664 === 0) {
        expectEqualsBatch(s);
        checks++;
      }
    }
    expect(checks).toBeGreaterThan(40);
    expect(s.filled).toBe(WINDOW_LENGTH);
    const tail = x.subarray(pushed - WINDOW_LENGTH, pushed);
    expect(s.windowSamples().every((v, i) => v === tail[i])).toBe(true);
  });

  it('equals the batch Mel for random chunk sizes, including chunks longer than the window', () => {
    const x = signal(3 * WINDOW_LENGTH, 3);
    const s = new SlidingMel();
    let a = 12345;
    let pushed = 0;
    for (let step = 0; pushed < x.length; step++) {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      const size = step === 20 ? WINDOW_LENGTH + 777 : 1 + (a % 9000);
      const chunk = x.subarray(pushed, Math.min(x.length, pushed + size));
      s.push(chunk);
      pushed += chunk.length;
      if (step % 3 === 0) expectEqualsBatch(s);
    }
    expectEqualsBatch(s);
  });

  it('computes only the new and the two edge frames after a hop-aligned move', () => {
    const x = signal(WINDOW_LENGTH + 512 * 4, 5);
    const s = new SlidingMel();
    s.push(x.subarray(0, WINDOW_LENGTH));
    s.spectrogram();
    const before = s.framesComputed;
    s.push(x.subarray(WINDOW_LENGTH, WINDOW_LENGTH + 512));
    s.spectrogram();
    expect(s.framesComputed - before).toBe(3);
    // Four hops at once: four new frames plus the edges.
    const mid = s.framesComputed;
    s.push(x.subarray(WINDOW_LENGTH + 512, WINDOW_LENGTH + 512 * 4));
    s.spectrogram();
    expect(s.framesComputed - mid).toBe(5);
    expectEqualsBatch(s);
  });

  it('recomputes every frame after a move that is not a multiple of the hop', () => {
    const s = new SlidingMel();
    s.push(signal(WINDOW_LENGTH, 9));
    s.spectrogram();
    const before = s.framesComputed;
    s.push(signal(100, 10));
    s.spectrogram();
    expect(s.framesComputed - before).toBe(WINDOW_FRAMES);
    expectEqualsBatch(s);
  });

  it('matches torchaudio on every full-window mel fixture when fed in render quanta', () => {
    const fixtures = fixtureSet();
    const cases = casesOfKind(fixtures.manifest(), 'mel').filter((c) => c.mel === undefined && c.mel_power);
    for (const c of cases) {
      const input = fixtures.array(c.input);
      const ref = fixtures.array(c.mel_power!);
      const s = new SlidingMel(input.length);
      for (let i = 0; i < input.length; i += 128) s.push(input.subarray(i, i + 128));
      const spec = s.spectrogram();
      expect([spec.nMels, spec.nFrames]).toEqual(c.mel_power!.shape);
      const max = Math.max(0, maxValue(ref));
      expect(maxAbsDiff(spec.data, ref), c.name).toBeLessThanOrEqual(TOLERANCE.melPowerRel * max);
    }
  });

  it('reuses a caller-provided output', () => {
    const s = new SlidingMel();
    s.push(signal(5000));
    const out: Spectrogram = { data: new Float32Array(64 * WINDOW_FRAMES), nMels: 0, nFrames: 0 };
    const data = out.data;
    expect(s.spectrogram(out)).toBe(out);
    expect(out.data).toBe(data);
    const fresh = s.spectrogram().data;
    expect(out.data.every((v, i) => v === fresh[i])).toBe(true);
  });

  it('reset forgets samples and cached frames', () => {
    const s = new SlidingMel();
    s.push(signal(WINDOW_LENGTH + 300));
    s.spectrogram();
    s.reset();
    expect(s.filled).toBe(0);
    expect(s.spectrogram().data.every((v) => v === 0)).toBe(true);
    s.push(signal(2048, 4));
    expectEqualsBatch(s);
  });

  it('works with other window lengths and Mel parameters', () => {
    const params = melParams({ sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 40 });
    const s = new SlidingMel(16000, params);
    const x = signal(40_000, 11);
    for (let i = 0; i < x.length; i += 320) {
      s.push(x.subarray(i, i + 320));
      if (i % 3200 === 0) {
        const got = s.spectrogram();
        const want = melSpectrogram(s.windowSamples(), params);
        expect([got.nMels, got.nFrames]).toEqual([want.nMels, want.nFrames]);
        expect(got.data.every((v, j) => v === want.data[j])).toBe(true);
      }
    }
  });

  it('refuses non-finite samples without changing its state', () => {
    const s = new SlidingMel();
    s.push(signal(1000));
    const bad = signal(256);
    bad[100] = Number.NaN;
    expect(() => s.push(bad)).toThrow(SignalError);
    expect(s.filled).toBe(1000);
    expectEqualsBatch(s);
  });

  it('refuses a window too short for the reflect padding', () => {
    expect(() => new SlidingMel(512)).toThrow(SignalError);
    expect(() => new SlidingMel(0)).toThrow(SignalError);
  });
});
