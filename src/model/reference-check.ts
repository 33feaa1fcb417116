// Runs the cases of a torchaudio/PyTorch fixture set against the project's implementation
// and measures each against SPEC section 5's tolerances: the one checker behind
// `npm run check-reference` and the unit tests' fixture cases. Knows the format and the
// kinds (mel, resample, model), never particular case names or signals. It lives in
// src/model because the model case needs TF.js; the comparison itself is src/dsp/compare.ts.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { resample } from '../dsp/resample.ts';
import { melParams, melSpectrogram, powerToDb, type MelParams } from '../dsp/mel.ts';
import { DB } from '../dsp/params.ts';
import { maxAbsDiff, maxValue } from '../dsp/compare.ts';
import { parseSafetensors } from './safetensors.ts';
import { configFromTorchTensors, importTorchWeights } from './torch-weights.ts';
import { buildCnn } from './cnn.ts';
import { predictValence } from './predict.ts';
import {
  readArray,
  type Manifest,
  type ManifestMelParams,
  type MelCase,
  type ModelCase,
  type ResampleCase,
  type FixtureCase,
} from './reference-fixtures.ts';

/** SPEC section 5. */
export const TOLERANCE = {
  resampleAbs: 1e-5,
  melPowerRel: 1e-5,
  dbNearAbs: 1e-4,
  dbFarAbs: 1e-2,
  /** "near": bins within this many dB of the spectrogram's max. */
  dbNearRange: 60,
  modelAbs: 1e-4,
} as const;

export interface Measure {
  what: string;
  error: number;
  tolerance: number;
  ok: boolean;
}

export interface CaseResult {
  name: string;
  kind: string;
  ok: boolean;
  measures: Measure[];
  /** Why the case could not run, if it could not. */
  failure?: string;
}

function measure(what: string, error: number, tolerance: number): Measure {
  return { what, error, tolerance, ok: error <= tolerance };
}

function sameLength(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: ${got} values, reference has ${want}`);
}

function melParamsOf(m?: Partial<ManifestMelParams>): Partial<MelParams> {
  if (!m) return {};
  const p: Partial<MelParams> = {};
  if (m.sample_rate !== undefined) p.sampleRate = m.sample_rate;
  if (m.n_fft !== undefined) p.nFft = m.n_fft;
  if (m.win_length !== undefined) p.winLength = m.win_length;
  if (m.hop_length !== undefined) p.hopLength = m.hop_length;
  if (m.n_mels !== undefined) p.nMels = m.n_mels;
  if (m.f_min !== undefined) p.fMin = m.f_min;
  if (m.f_max !== undefined && m.f_max !== null) p.fMax = m.f_max;
  return p;
}

/** Parameters torchaudio used that this port does not implement: refuse rather than guess. */
function unsupportedMel(m?: Partial<ManifestMelParams>): string | null {
  if (!m) return null;
  if (m.power !== undefined && m.power !== 2) return `power ${m.power} (only 2 is implemented)`;
  if (m.center === false) return 'center=false';
  if (m.pad_mode !== undefined && m.pad_mode !== 'reflect') return `pad_mode ${m.pad_mode}`;
  if (m.mel_scale !== undefined && m.mel_scale !== 'htk') return `mel_scale ${m.mel_scale}`;
  if (m.norm !== undefined && m.norm !== null) return `norm ${m.norm}`;
  return null;
}

/** A Mel case's parameters in the port's terms: the manifest's, overridden by the case's. */
export function melCaseParams(manifest: Manifest, c: MelCase): MelParams {
  return melParams({ ...melParamsOf(manifest.mel), ...melParamsOf(c.mel) });
}

function runMel(dir: string, manifest: Manifest, c: MelCase): Measure[] {
  const merged = { ...manifest.mel, ...c.mel };
  const bad = unsupportedMel(merged);
  if (bad) throw new Error(`unsupported Mel parameter: ${bad}`);
  const params = melCaseParams(manifest, c);
  const input = readArray(dir, c.input);
  const power = melSpectrogram(input, params);
  const out: Measure[] = [];
  if (c.mel_power) {
    const ref = readArray(dir, c.mel_power);
    sameLength('mel power', power.data.length, ref.length);
    const scale = maxValue(ref) > 0 ? maxValue(ref) : 1; // all-zero reference: absolute error
    out.push(measure('power (rel. to max)', maxAbsDiff(power.data, ref) / scale, TOLERANCE.melPowerRel));
  }
  if (c.mel_db) {
    const ref = readArray(dir, c.mel_db);
    const db = powerToDb(power, merged.top_db ?? DB.topDb).data;
    sameLength('mel dB', db.length, ref.length);
    const top = maxValue(ref);
    let near = 0;
    let far = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = Math.abs(db[i] - ref[i]);
      const e = Number.isNaN(d) ? Infinity : d;
      if (ref[i] >= top - TOLERANCE.dbNearRange) near = Math.max(near, e);
      else far = Math.max(far, e);
    }
    out.push(measure('dB within 60 dB of max', near, TOLERANCE.dbNearAbs));
    out.push(measure('dB other bins', far, TOLERANCE.dbFarAbs));
  }
  if (out.length === 0) throw new Error('case has neither mel_power nor mel_db');
  return out;
}

function runResample(dir: string, c: ResampleCase): Measure[] {
  const input = readArray(dir, c.input);
  const ref = readArray(dir, c.output);
  const got = resample(input, c.orig_freq, c.new_freq, {
    lowpassFilterWidth: c.lowpass_filter_width,
    rolloff: c.rolloff,
  });
  sameLength('resampled output', got.length, ref.length);
  return [measure('max abs', maxAbsDiff(got, ref), TOLERANCE.resampleAbs)];
}

function runModel(dir: string, c: ModelCase): Measure[] {
  const { tensors } = parseSafetensors(new Uint8Array(readFileSync(join(dir, c.weights))));
  const config = configFromTorchTensors(tensors, c.config, c.input.shape.slice(-2) as [number, number]);
  const model = buildCnn(config);
  try {
    importTorchWeights(model, config, tensors);
    const input = readArray(dir, c.input);
    const ref = readArray(dir, c.output);
    const [, channels, h, w] = c.input.shape;
    if (channels !== 1) throw new Error(`model input has ${channels} channels, expected 1`);
    const per = h * w;
    const batch: Float32Array[] = [];
    for (let i = 0; i < input.length; i += per) batch.push(input.subarray(i, i + per));
    const got = predictValence(model, batch, config);
    sameLength('model output', got.length, ref.length);
    return [measure('abs', maxAbsDiff(got, ref), TOLERANCE.modelAbs)];
  } finally {
    model.dispose();
  }
}

export function runCase(dir: string, manifest: Manifest, c: FixtureCase): CaseResult {
  const base = { name: c.name ?? '(unnamed)', kind: c.kind ?? '(no kind)' };
  try {
    let measures: Measure[];
    if (c.kind === 'mel') measures = runMel(dir, manifest, c as MelCase);
    else if (c.kind === 'resample') measures = runResample(dir, c as ResampleCase);
    else if (c.kind === 'model') measures = runModel(dir, c as ModelCase);
    else throw new Error(`unknown case kind "${c.kind}"`);
    return { ...base, ok: measures.every((m) => m.ok), measures };
  } catch (e) {
    return { ...base, ok: false, measures: [], failure: (e as Error).message };
  }
}
