// Tests of the resampler against torchaudio's outputs in ../shared/reference (every
// `resample` case of the manifest, through the shared checker of SPEC section 5), and of
// the streaming form against the batch form.
import { describe, expect, it } from 'vitest';
import { casesOfKind, fixtureSet, type ResampleCase } from '../model/reference-fixtures.ts';
import { runCase, TOLERANCE as SPEC_TOLERANCE } from '../model/reference-check.ts';
import { expectCasePasses } from '../model/test-support.ts';
import { maxAbsDiff } from './compare.ts';
import { TARGET_RATE } from './params.ts';
import {
  StreamingResampler,
  computableLength,
  resample,
  resampledLength,
  type ResampleOptions,
} from './resample.ts';
import { SignalError } from './validate.ts';
import { createRng } from '../training/random.ts';

const TOLERANCE = SPEC_TOLERANCE.resampleAbs;
const fixtures = fixtureSet();
/** Declared while collecting: none without the fixture set (the first test then says why). */
const cases = fixtures.cases('resample');

function optionsOf(c: ResampleCase): ResampleOptions {
  return { lowpassFilterWidth: c.lowpass_filter_width, rolloff: c.rolloff };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Seeded, so the "random" chunkings are the same on every run. */
const prng = createRng;

/**
 * Streams x through a StreamingResampler in chunks of nextSize() samples, checking that
 * every push returns exactly the newly computable samples; returns all outputs + flush.
 */
function stream(c: ResampleCase, x: Float32Array, nextSize: () => number): Float32Array {
  const s = new StreamingResampler(c.orig_freq, c.new_freq, optionsOf(c));
  const parts: Float32Array[] = [];
  let pos = 0;
  let emitted = 0;
  while (pos < x.length) {
    const n = Math.min(nextSize(), x.length - pos);
    const y = s.push(x.subarray(pos, pos + n));
    pos += n;
    const computable = computableLength(pos, c.orig_freq, c.new_freq, optionsOf(c));
    if (y.length !== computable - emitted) {
      throw new Error(`push at ${pos} returned ${y.length} samples, expected ${computable - emitted}`);
    }
    emitted += y.length;
    parts.push(y);
  }
  expect(s.inputCount).toBe(x.length);
  expect(s.outputCount).toBe(emitted);
  parts.push(s.flush());
  expect(s.outputCount).toBe(resampledLength(x.length, c.orig_freq, c.new_freq));
  return concat(parts);
}

describe('resample vs torchaudio fixtures', () => {
  it('the fixture set has resample cases', () => {
    expect(casesOfKind(fixtures.manifest(), 'resample').length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.orig_freq} -> ${c.new_freq} Hz within ${TOLERANCE}`, () => {
      expectCasePasses(runCase(fixtures.dir, fixtures.manifest(), c));
      const x = fixtures.array(c.input);
      const expected = fixtures.array(c.output);
      expect(resampledLength(x.length, c.orig_freq, c.new_freq)).toBe(expected.length);
    });
  }

  it('defaults to TARGET_RATE and the SPEC filter', () => {
    const c = cases.find((k) => k.new_freq === TARGET_RATE && k.lowpass_filter_width === undefined && k.rolloff === undefined);
    if (c === undefined) return; // only a fixture set without such a case
    const x = fixtures.array(c.input);
    expect(resample(x, c.orig_freq)).toEqual(resample(x, c.orig_freq, TARGET_RATE, optionsOf(c)));
  });
});

describe.skipIf(cases.length === 0)('StreamingResampler equals the batch form', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const x = fixtures.array(c.input);
      const batch = resample(x, c.orig_freq, c.new_freq, optionsOf(c));
      const expected = fixtures.array(c.output);

      it('in 128-sample quanta (bit-for-bit, and within tolerance of torchaudio)', () => {
        const y = stream(c, x, () => 128);
        expect(y.length).toBe(batch.length);
        expect(maxAbsDiff(y, batch)).toBe(0);
        expect(maxAbsDiff(y, expected)).toBeLessThanOrEqual(TOLERANCE);
      });

      it('in random chunk sizes 0..2000 (seeded)', () => {
        const rnd = prng(0x5eed + x.length);
        const y = stream(c, x, () => Math.floor(rnd() * 2001));
        expect(y.length).toBe(batch.length);
        expect(maxAbsDiff(y, batch)).toBe(0);
      });

      it('in odd random chunk sizes 1..15 (seeded)', () => {
        const rnd = prng(12345);
        const y = stream(c, x, () => 1 + 2 * Math.floor(rnd() * 8));
        expect(maxAbsDiff(y, batch)).toBe(0);
      });

      it('sample by sample', () => {
        const y = stream(c, x, () => 1);
        expect(y.length).toBe(batch.length);
        expect(maxAbsDiff(y, batch)).toBe(0);
      });

      it('in one chunk, and again after reset()', () => {
        const s = new StreamingResampler(c.orig_freq, c.new_freq, optionsOf(c));
        s.push(x.subarray(0, 1000));
        s.reset();
        expect(s.inputCount).toBe(0);
        expect(s.outputCount).toBe(0);
        const y = concat([s.push(x), s.flush()]);
        expect(maxAbsDiff(y, batch)).toBe(0);
        expect(y.length).toBe(batch.length);
        expect(s.flush().length).toBe(0);
        expect(() => s.push(x.subarray(0, 1))).toThrow(SignalError);
      });
    });
  }
});

describe.skipIf(cases.length === 0)('computableLength', () => {
  for (const c of cases) {
    it(`${c.name}: computable outputs of a prefix need no right padding`, () => {
      const x = fixtures.array(c.input);
      const expected = fixtures.array(c.output);
      const opts = optionsOf(c);
      let previous = 0;
      for (const n of [1, 7, 128, 1000, 4097, Math.floor(x.length / 2), x.length - 1, x.length]) {
        if (n < 1 || n > x.length) continue;
        const k = computableLength(n, c.orig_freq, c.new_freq, opts);
        expect(k).toBeGreaterThanOrEqual(previous);
        expect(k).toBeLessThanOrEqual(resampledLength(n, c.orig_freq, c.new_freq));
        previous = k;
        // The first k outputs from only n inputs are torchaudio's outputs on the whole input.
        const prefix = resample(x.subarray(0, n), c.orig_freq, c.new_freq, opts).subarray(0, k);
        expect(maxAbsDiff(prefix, expected.subarray(0, k))).toBeLessThanOrEqual(TOLERANCE);
      }
      // Only a short kernel's worth of outputs is missing at the end (well under 0.01 s).
      const tail = resampledLength(x.length, c.orig_freq, c.new_freq) - computableLength(x.length, c.orig_freq, c.new_freq, opts);
      expect(tail).toBeGreaterThan(0);
      expect(tail).toBeLessThan(c.new_freq / 100);
      expect(computableLength(0, c.orig_freq, c.new_freq, opts)).toBe(0);
    });
  }
});

describe('equal rates', () => {
  it('returns a copy of the input (torchaudio returns it unchanged)', () => {
    const x = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i));
    const y = resample(x, 16000, 16000);
    expect(y).not.toBe(x);
    expect(y).toEqual(x);
    expect(resampledLength(300, 16000, 16000)).toBe(300);
    expect(computableLength(300, 16000, 16000)).toBe(300);
    const s = new StreamingResampler(16000, 16000);
    expect(concat([s.push(x.subarray(0, 128)), s.push(x.subarray(128)), s.flush()])).toEqual(x);
  });
});

describe('bad input', () => {
  const x = new Float32Array(1000);

  it('rejects non-finite samples', () => {
    const bad = x.slice();
    bad[500] = Number.NaN;
    expect(() => resample(bad, 48000)).toThrow(SignalError);
    bad[500] = Number.POSITIVE_INFINITY;
    expect(() => resample(bad, 48000)).toThrow(/non-finite/);
    expect(() => new StreamingResampler(48000).push(bad)).toThrow(SignalError);
    expect(() => resample(bad, 8000, 8000)).toThrow(SignalError);
  });

  it('rejects bad sample rates', () => {
    for (const rate of [0, -48000, 44100.5, Number.NaN, Number.POSITIVE_INFINITY, '48000' as unknown as number]) {
      expect(() => resample(x, rate)).toThrow(SignalError);
      expect(() => resample(x, 48000, rate)).toThrow(SignalError);
      expect(() => new StreamingResampler(rate)).toThrow(SignalError);
      expect(() => resampledLength(10, rate)).toThrow(SignalError);
      expect(() => computableLength(10, 48000, rate)).toThrow(SignalError);
    }
  });

  it('rejects bad options and counts', () => {
    expect(() => resample(x, 48000, 8000, { lowpassFilterWidth: 0 })).toThrow(/lowpassFilterWidth/);
    expect(() => resample(x, 48000, 8000, { rolloff: -1 })).toThrow(/rolloff/);
    expect(() => resample(x, 48000, 8000, { rolloff: Number.NaN })).toThrow(SignalError);
    expect(() => resampledLength(-1, 48000)).toThrow(SignalError);
    expect(() => computableLength(1.5, 48000)).toThrow(SignalError);
  });

  it('rejects empty batch input (torchaudio raises too); an empty stream flushes to nothing', () => {
    expect(() => resample(new Float32Array(0), 48000)).toThrow(/empty/);
    const s = new StreamingResampler(48000);
    expect(s.push(new Float32Array(0)).length).toBe(0);
    expect(s.flush().length).toBe(0);
  });
});

describe('long streams', () => {
  it('keep a bounded history (10 minutes of 44.1 kHz in 128-sample quanta)', () => {
    const s = new StreamingResampler(44100);
    const quantum = new Float32Array(128);
    for (let i = 0; i < 128; i++) quantum[i] = Math.sin(i * 0.1);
    for (let i = 0; i < 100; i++) s.push(quantum);
    const capacity = s.historyCapacity;
    const quanta = Math.ceil((600 * 44100) / 128);
    let out = 0;
    for (let i = 100; i < quanta; i++) out += s.push(quantum).length;
    expect(s.historyCapacity).toBe(capacity);
    expect(capacity).toBeLessThan(4096);
    expect(s.inputCount).toBe(quanta * 128);
    expect(s.outputCount).toBe(computableLength(quanta * 128, 44100));
    expect(out).toBeGreaterThan(0);
  });
});
