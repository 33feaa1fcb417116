// Mel spectrograms: every `mel` case of the reference fixtures through the shared checker
// (SPEC section 5's tolerances, src/model/reference-check.ts), with the spectrogram's shape
// and frame count; parameters, input checks and dB conversion on hand-worked values.
import { describe, expect, it } from 'vitest';
import { casesOfKind, fixtureSet } from '../model/reference-fixtures.ts';
import { melCaseParams, runCase, TOLERANCE } from '../model/reference-check.ts';
import { expectCasePasses } from '../model/test-support.ts';
import { maxAbsDiff, maxValue } from './compare.ts';
import { frameCount, melParams, melSpectrogram, powerToDb } from './mel.ts';
import { MEL, WINDOW_FRAMES, WINDOW_LENGTH } from './params.ts';
import { SignalError } from './validate.ts';

const fixtures = fixtureSet();
const melCases = fixtures.cases('mel');

describe('melSpectrogram against torchaudio fixtures', () => {
  it('has mel cases to check', () => {
    expect(casesOfKind(fixtures.manifest(), 'mel').length).toBeGreaterThan(0);
  });

  for (const c of melCases) {
    it(`${c.name}: power within ${TOLERANCE.melPowerRel} of the max, dB within tolerance`, () => {
      const manifest = fixtures.manifest();
      const r = runCase(fixtures.dir, manifest, c);
      console.log(`${c.name}: ${r.measures.map((m) => `${m.what} ${m.error}`).join(', ')}`);
      expectCasePasses(r);
      // The shape, not only the length, is torchaudio's: mels x frames.
      const params = melCaseParams(manifest, c);
      const input = fixtures.array(c.input);
      const spec = melSpectrogram(input, params);
      const refs = [c.mel_power, c.mel_db].filter((ref) => ref !== undefined);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect([spec.nMels, spec.nFrames]).toEqual(ref.shape);
      }
      expect(spec.nFrames).toBe(frameCount(input.length, params));
      const db = powerToDb(spec);
      expect([db.nMels, db.nFrames]).toEqual([spec.nMels, spec.nFrames]);
      // The checker scales by the reference's max, or takes the error as absolute where the
      // reference is all zeros (silence): here that case is held to exact zeros.
      if (c.mel_power) {
        const ref = fixtures.array(c.mel_power);
        if (maxValue(ref) === 0) expect(maxAbsDiff(spec.data, ref)).toBe(0);
      }
    });
  }
});

describe('melParams and frameCount', () => {
  it('defaults to params.ts MEL', () => {
    expect(melParams()).toEqual({ ...MEL });
  });

  it('follows torchaudio defaults for derived parameters', () => {
    const p = melParams({ sampleRate: 16000, nFft: 400 });
    expect(p.winLength).toBe(400);
    expect(p.fMax).toBe(8000);
  });

  it('gives the SPEC frame count for a window', () => {
    expect(frameCount(WINDOW_LENGTH)).toBe(WINDOW_FRAMES);
    expect(frameCount(WINDOW_LENGTH)).toBe(121);
  });

  it('rejects parameters torchaudio would reject or divide by zero with', () => {
    expect(() => melParams({ nFft: 0 })).toThrow(SignalError);
    expect(() => melParams({ winLength: 2048 })).toThrow(/winLength/);
    expect(() => melParams({ hopLength: 1.5 })).toThrow(/hopLength/);
    expect(() => melParams({ fMin: 5000 })).toThrow(/fMin/);
    expect(() => melParams({ fMax: Number.NaN })).toThrow(/fMax/);
  });
});

describe('melSpectrogram input checks', () => {
  it('names a non-finite sample', () => {
    const x = new Float32Array(4000);
    x[1234] = Number.NaN;
    expect(() => melSpectrogram(x)).toThrow(SignalError);
    expect(() => melSpectrogram(x)).toThrow(/index 1234/);
    x[1234] = Number.POSITIVE_INFINITY;
    expect(() => melSpectrogram(x)).toThrow(/non-finite/);
  });

  it('refuses empty input', () => {
    expect(() => melSpectrogram(new Float32Array(0))).toThrow(/empty/);
  });

  it('refuses input no longer than the reflect padding, as torch does', () => {
    // torch: "Padding size should be less than the corresponding input dimension" at 512.
    expect(() => melSpectrogram(new Float32Array(512))).toThrow(SignalError);
    expect(() => melSpectrogram(new Float32Array(512))).toThrow(/512 samples/);
    const spec = melSpectrogram(new Float32Array(513));
    expect([spec.nMels, spec.nFrames]).toEqual([64, 2]);
  });
});

describe('powerToDb', () => {
  it('clamps at amin and at max - topDb per spectrogram', () => {
    const spec = { data: new Float32Array([1, 1e-3, 1e-12, 0]), nMels: 2, nFrames: 2 };
    const db = powerToDb(spec, 50);
    expect(db.data[0]).toBe(0);
    expect(db.data[1]).toBeCloseTo(-30, 5);
    expect(db.data[2]).toBe(-50);
    expect(db.data[3]).toBe(-50);
    expect(powerToDb(spec, 200).data[3]).toBeCloseTo(-100, 5);
  });

  it('refuses a negative topDb', () => {
    const spec = { data: new Float32Array(4), nMels: 2, nFrames: 2 };
    expect(() => powerToDb(spec, -1)).toThrow(SignalError);
  });
});
