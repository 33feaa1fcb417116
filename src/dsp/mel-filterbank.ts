// The triangular Mel filterbank of torchaudio.functional.melscale_fbanks (HTK scale,
// norm=None), built with torch's float32 steps so the weights are torch's own, and
// stored sparsely: filter m covers FFT bins first[m] .. first[m] + count - 1.
import type { MelParams } from './mel-params.ts';
import { torchLinspaceF32 } from './torch-float32.ts';
import { TORCH_MEL_POINTS, TORCH_MEL_POINTS_FOR } from './torch-mel-points.ts';

const f32 = Math.fround;

export interface MelFilterbank {
  readonly nFreqs: number;
  readonly nMels: number;
  /** First FFT bin with a non-zero weight in filter m (0 for an empty filter). */
  readonly first: Int32Array;
  /** Filter m's weights are weights[offset[m] .. offset[m + 1]). */
  readonly offset: Int32Array;
  /** torch's float32 weights, held as float64 for the float64 sums. */
  readonly weights: Float64Array;
}

/** torchaudio's _hz_to_mel, HTK: Python float (float64) arithmetic. */
export function hzToMelHtk(hz: number): number {
  return 2595.0 * Math.log10(1.0 + hz / 700.0);
}

/**
 * torchaudio's _mel_to_hz, HTK, on a float32 tensor: each step rounds to float32. Only
 * pow differs from torch, by 1 ulp on ~2% of inputs (torch uses SLEEF's powf).
 */
function melToHzHtkF32(mel: number): number {
  return f32(700.0 * f32(f32(Math.pow(10.0, f32(mel / 2595.0))) - 1.0));
}

type EdgeParams = Pick<MelParams, 'fMin' | 'fMax' | 'nMels'>;

/** The nMels + 2 filter edges (Hz) by the float32 emulation: within 1 ulp of torch's. */
export function emulatedMelPoints(p: EdgeParams): Float32Array {
  const mPts = torchLinspaceF32(hzToMelHtk(p.fMin), hzToMelHtk(p.fMax), p.nMels + 2);
  return mPts.map(melToHzHtkF32);
}

/** The nMels + 2 filter edges (Hz): torch's own for the app's parameters, else emulated. */
export function melPoints(p: EdgeParams): Float32Array {
  const t = TORCH_MEL_POINTS_FOR;
  if (p.fMin === t.fMin && p.fMax === t.fMax && p.nMels === t.nMels) return TORCH_MEL_POINTS.slice();
  return emulatedMelPoints(p);
}

/** Dense (nFreqs x nMels, row-major) weights exactly as melscale_fbanks lays them out. */
export function melFilterbankDense(p: MelParams): Float32Array {
  const nFreqs = Math.floor(p.nFft / 2) + 1;
  const allFreqs = torchLinspaceF32(0, Math.floor(p.sampleRate / 2), nFreqs);
  const fPts = melPoints(p);
  const fb = new Float32Array(nFreqs * p.nMels);
  for (let m = 0; m < p.nMels; m++) {
    const fDiffDown = f32(fPts[m + 1] - fPts[m]);
    const fDiffUp = f32(fPts[m + 2] - fPts[m + 1]);
    for (let k = 0; k < nFreqs; k++) {
      // slopes = f_pts - all_freqs; down = -slopes[m] / f_diff[m]; up = slopes[m+2] / f_diff[m+1]
      const down = f32(-f32(fPts[m] - allFreqs[k]) / fDiffDown);
      const up = f32(f32(fPts[m + 2] - allFreqs[k]) / fDiffUp);
      fb[k * p.nMels + m] = Math.max(0, Math.min(down, up));
    }
  }
  return fb;
}

/** The filterbank in sparse form: each filter's contiguous run of non-zero weights. */
export function melFilterbank(p: MelParams): MelFilterbank {
  const nFreqs = Math.floor(p.nFft / 2) + 1;
  const dense = melFilterbankDense(p);
  const first = new Int32Array(p.nMels);
  const offset = new Int32Array(p.nMels + 1);
  const runs: number[] = [];
  for (let m = 0; m < p.nMels; m++) {
    let lo = 0;
    while (lo < nFreqs && dense[lo * p.nMels + m] === 0) lo++;
    let hi = nFreqs;
    while (hi > lo && dense[(hi - 1) * p.nMels + m] === 0) hi--;
    first[m] = lo < hi ? lo : 0;
    for (let k = lo; k < hi; k++) runs.push(dense[k * p.nMels + m]);
    offset[m + 1] = runs.length;
  }
  return { nFreqs, nMels: p.nMels, first, offset, weights: Float64Array.from(runs) };
}

/** mel[m] = sum_k weights(m, k) * power[k], summed in float64. */
export function applyFilterbank(fb: MelFilterbank, power: Float64Array, m: number): number {
  const start = fb.offset[m];
  const end = fb.offset[m + 1];
  const base = fb.first[m] - start;
  const w = fb.weights;
  let sum = 0;
  for (let j = start; j < end; j++) sum += w[j] * power[base + j];
  return sum;
}
