// One STFT frame -> one Mel column, as torchaudio's MelSpectrogram computes it:
// reflect padding (center=True), periodic Hann window centred in nFft, |FFT|^2, then the
// filterbank. Shared by the batch melSpectrogram and the incremental SlidingMel so that
// both run the same arithmetic and agree bit for bit. Holds its scratch buffers: no
// allocation per frame.
import { createPowerSpectrum, type PowerSpectrum } from './fft.ts';
import { applyFilterbank, melFilterbank, type MelFilterbank } from './mel-filterbank.ts';
import { checkMelParams, frameCount, padLength, type MelParams } from './mel-params.ts';
import { torchHannWindowF32 } from './torch-float32.ts';

export class MelFrames {
  readonly params: MelParams;
  readonly nMels: number;
  /** Reflect padding on each side (floor(nFft / 2)). */
  readonly pad: number;
  private readonly nFft: number;
  private readonly hop: number;
  /** The Hann window zero-padded to nFft, centred as torch.stft places it. */
  private readonly window: Float64Array;
  private readonly fft: PowerSpectrum;
  private readonly fb: MelFilterbank;
  private readonly frame: Float64Array;
  private readonly power: Float64Array;

  constructor(params: MelParams) {
    checkMelParams(params);
    this.params = { ...params };
    this.nMels = params.nMels;
    this.nFft = params.nFft;
    this.hop = params.hopLength;
    this.pad = padLength(params);
    this.window = new Float64Array(params.nFft);
    const left = Math.floor((params.nFft - params.winLength) / 2);
    this.window.set(torchHannWindowF32(params.winLength), left);
    this.fft = createPowerSpectrum(params.nFft);
    this.fb = melFilterbank(params);
    this.frame = new Float64Array(params.nFft);
    this.power = new Float64Array((params.nFft >> 1) + 1);
  }

  /** Frames of a signal of `length` samples. */
  frameCount(length: number): number {
    return frameCount(length, this.params);
  }

  /** First sample (relative to the signal) that frame `i` reads, before reflection. */
  frameStart(i: number): number {
    return i * this.hop - this.pad;
  }

  /** True when frame `i` of a `length`-sample signal reads no reflect padding. */
  isInterior(length: number, i: number): boolean {
    const start = this.frameStart(i);
    return start >= 0 && start + this.nFft <= length;
  }

  /**
   * Mel column of frame `i` of the signal src[offset .. offset + length), written to
   * out[outIndex + m * outStride] for m = 0..nMels-1. The caller has checked that the
   * signal is longer than the padding (reflection then stays inside it).
   */
  compute(
    src: Float32Array,
    offset: number,
    length: number,
    i: number,
    out: Float32Array,
    outIndex: number,
    outStride: number,
  ): void {
    const n = this.nFft;
    const w = this.window;
    const frame = this.frame;
    const start = this.frameStart(i);
    // torch multiplies the float32 frame by the float32 window in float32: round likewise.
    if (start >= 0 && start + n <= length) {
      const base = offset + start;
      for (let t = 0; t < n; t++) frame[t] = Math.fround(src[base + t] * w[t]);
    } else {
      const last = length - 1;
      for (let t = 0; t < n; t++) {
        let j = start + t;
        if (j < 0) j = -j;
        else if (j > last) j = 2 * last - j;
        frame[t] = Math.fround(src[offset + j] * w[t]);
      }
    }
    this.fft.power(frame, this.power);
    for (let m = 0; m < this.nMels; m++) {
      out[outIndex + m * outStride] = applyFilterbank(this.fb, this.power, m);
    }
  }
}
