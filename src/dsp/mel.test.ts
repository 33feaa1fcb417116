import { describe, expect, it } from 'vitest';
import {
  SHARED_REFERENCE,
  casesOfKind,
  loadManifest,
  readArray,
  type ManifestMelParams,
} from '../../scripts/lib/reference-fixtures.ts';
import { frameCount, melParams, melSpectrogram, powerToDb, type MelParams } from './mel.ts';
import { MEL, WINDOW_FRAMES, WINDOW_LENGTH } from './params.ts';
import { SignalError } from './validate.ts';

// SPEC section 5.
const POWER_REL_TOL = 1e-5;
const DB_TOL_NEAR = 1e-4;
const DB_TOL_FAR = 1e-2;
const DB_NEAR_RANGE = 60;

const manifest = loadManifest(SHARED_REFERENCE);
const melCases = casesOfKind(manifest, 'mel');

/** torchaudio's names -> ours; per-case values override the manifest's. */
function paramsFrom(...blocks: (Partial<ManifestMelParams> | undefined)[]): MelParams {
  const m: Partial<ManifestMelParams> = Object.assign({}, ...blocks);
  return melParams({
    sampleRate: m.sample_rate,
    nFft: m.n_fft,
    winLength: m.win_length ?? undefined,
    hopLength: m.hop_length,
    nMels: m.n_mels,
    fMin: m.f_min,
    fMax: m.f_max ?? undefined,
  });
}

function maxOf(a: Float32Array): number {
  let m = -Infinity;
  for (const v of a) m = Math.max(m, v);
  return m;
}

describe('melSpectrogram against torchaudio fixtures', () => {
  it('has mel cases to check', () => {
    expect(melCases.length).toBeGreaterThan(0);
  });

  for (const c of melCases) {
    const params = paramsFrom(manifest.mel, c.mel);
    const input = readArray(SHARED_REFERENCE, c.input);

    it(`${c.name}: power within ${POWER_REL_TOL} of the max, dB within tolerance`, () => {
      const spec = melSpectrogram(input, params);
      const refs = [c.mel_power, c.mel_db].filter((r) => r !== undefined);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect([spec.nMels, spec.nFrames]).toEqual(ref.shape);
      }
      expect(spec.nFrames).toBe(frameCount(input.length, params));

      if (c.mel_power) {
        const ref = readArray(SHARED_REFERENCE, c.mel_power);
        const scale = maxOf(ref);
        let worst = 0;
        for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(spec.data[i] - ref[i]));
        console.log(`${c.name}: power max error / max = ${scale > 0 ? worst / scale : worst}`);
        expect(worst).toBeLessThanOrEqual(POWER_REL_TOL * scale);
      }

      if (c.mel_db) {
        const ref = readArray(SHARED_REFERENCE, c.mel_db);
        const db = powerToDb(spec);
        expect([db.nMels, db.nFrames]).toEqual([spec.nMels, spec.nFrames]);
        const top = maxOf(ref);
        let near = 0;
        let far = 0;
        for (let i = 0; i < ref.length; i++) {
          const err = Math.abs(db.data[i] - ref[i]);
          if (ref[i] >= top - DB_NEAR_RANGE) near = Math.max(near, err);
          else far = Math.max(far, err);
        }
        console.log(`${c.name}: dB max error ${near} (within 60 dB), ${far} (below)`);
        expect(near).toBeLessThanOrEqual(DB_TOL_NEAR);
        expect(far).toBeLessThanOrEqual(DB_TOL_FAR);
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
