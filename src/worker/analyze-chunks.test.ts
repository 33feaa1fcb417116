// The file timeline read in blocks (analyzeChunks) gives analyzeSignal's readings, whatever
// the chunking, as `analyze --timeline` and the page now read long files; and the report's
// window built from blocks (StreamingReportWindow) is clipWindow's, sample for sample.
import { describe, expect, it } from 'vitest';
import { analyzeChunks, analyzeSignal, type PredictFn } from './analysis-loop.ts';
import type { LiveReading } from './protocol.ts';
import { StreamingReportWindow, clipWindow } from '../dsp/pipeline.ts';

/** A "voice" (a 200 Hz tone in 3 syllables a second) for 4 s, then silence: speech and no speech to the gate. */
function signal(n: number, rate: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / rate;
    return t > 4 ? 0 : 0.3 * Math.sin(2 * Math.PI * 200 * t) * Math.max(0, Math.sin(2 * Math.PI * 3 * t));
  });
}

/** The mean of the features, scaled into [-1, 1]: cheap, and any changed feature shows. */
const meanModel: PredictFn = (f) => ({ valence: f.reduce((a, b) => a + b, 0) / f.length / 100, arousal: null });

/** Readings without their stage timings, which are clock readings. */
const values = (rs: LiveReading[]) => rs.map(({ timings: _t, ...rest }) => rest);

function* blocksOf(x: Float32Array, sizes: number[]): Generator<Float32Array> {
  for (let at = 0, i = 0; at < x.length; i++) {
    const n = sizes[i % sizes.length];
    yield x.subarray(at, at + n);
    at += n;
  }
}

describe('analyzeChunks', () => {
  const rate = 16000;
  const x = signal(rate * 9 + 123, rate);
  const opts = { inputRate: rate, features: 'db' as const, predict: meanModel, hopSeconds: 0.5 };

  it('gives analyzeSignal readings for any chunking, none skipped', async () => {
    const whole = await analyzeSignal(x, opts);
    expect(whole.map((r) => r.time)).toEqual(Array.from({ length: 18 }, (_, i) => (i + 1) * 0.5));
    expect(whole.some((r) => r.speech) && whole.some((r) => !r.speech)).toBe(true);
    for (const sizes of [[1 << 16], [8000], [7, 4093, 12000], [x.length]]) {
      const got = await analyzeChunks(blocksOf(x, sizes), opts);
      expect(values(got)).toEqual(values(whole));
      expect(got.every((r) => r.skipped === 0)).toBe(true);
    }
  });

  it('takes an async stream, and gives a signal shorter than one hop its one reading at t_1', async () => {
    const short = x.subarray(0, 5000);
    async function* twoBlocks() {
      yield short.subarray(0, 2000);
      yield short.subarray(2000);
    }
    const got = await analyzeChunks(twoBlocks(), opts);
    expect(got.map((r) => r.time)).toEqual([0.5]);
    expect(values(got)).toEqual(values(await analyzeSignal(short, opts)));
    expect(await analyzeChunks([], opts)).toEqual([]);
  });
});

describe('StreamingReportWindow', () => {
  for (const [rate, seconds] of [[44100, 12], [16000, 3], [8000, 9], [22050, 7.7]] as const) {
    it(`${rate} Hz, ${seconds} s: equals clipWindow of the whole clip, and is full as soon as the window is known`, () => {
      const x = signal(Math.round(rate * seconds), rate);
      const w = new StreamingReportWindow(rate);
      let fed = 0;
      for (const block of blocksOf(x, [4096, 777])) {
        w.push(block);
        fed += block.length;
        if (w.full) break;
      }
      // Compared with ===: at 8 kHz the batch form copies the input's -0 where the streaming one adds +0; the same sample.
      const want = clipWindow(x, rate);
      const got = w.window();
      expect(got.length).toBe(want.length);
      expect(got.findIndex((v, i) => v !== want[i])).toBe(-1);
      // A long clip stops early: within one block past the 7.6875 s window plus the filter's reach.
      if (seconds > 8) expect(fed).toBeLessThan(rate * 7.6875 + 4096 + 100);
    });
  }

  it('refuses a clip of no samples, as clipWindow does', () => {
    expect(() => new StreamingReportWindow(16000).window()).toThrow(/empty|no samples/);
    expect(() => clipWindow(new Float32Array(0), 16000)).toThrow(/empty|no samples/);
  });
});
