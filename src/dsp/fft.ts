// Power spectrum of one real frame, |X_k|^2 for k = 0..n/2: the FFT step of the STFT.
// Powers of two go through fft.js (radix-4, float64; measured fastest in
// scripts/bench-fft.ts); other sizes, which no fast package handles, fall back to a
// direct DFT with an exact twiddle table. Objects are reusable and allocate nothing
// per call, so they can run inside an AudioWorklet.
import FFT from 'fft.js';
import { SignalError } from './validate.ts';

/** A reusable transform for frames of `size` real samples. */
export interface PowerSpectrum {
  readonly size: number;
  /**
   * Writes |X_k|^2 for k = 0..size/2 into `out[0..size/2]`. `frame` holds `size`
   * samples; neither buffer is kept.
   */
  power(frame: Float64Array, out: Float64Array): void;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** The fastest exact-enough transform for `size`: fft.js for powers of two, else a DFT. */
export function createPowerSpectrum(size: number): PowerSpectrum {
  if (!Number.isInteger(size) || size < 2) {
    throw new SignalError(`FFT size must be a whole number >= 2, got ${size}`);
  }
  return isPowerOfTwo(size) ? new FftJsPowerSpectrum(size) : new DftPowerSpectrum(size);
}

function checkBuffers(size: number, frame: Float64Array, out: Float64Array): void {
  if (frame.length < size || out.length < (size >> 1) + 1) {
    throw new SignalError(
      `FFT of size ${size} needs a ${size}-sample frame and ${(size >> 1) + 1} outputs, ` +
        `got ${frame.length} and ${out.length}`,
    );
  }
}

/** fft.js realTransform: fills the complex bins 0..n/2 of an interleaved buffer. */
class FftJsPowerSpectrum implements PowerSpectrum {
  readonly size: number;
  private readonly fft: FFT;
  private readonly complex: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.fft = new FFT(size);
    this.complex = new Float64Array(2 * size);
  }

  power(frame: Float64Array, out: Float64Array): void {
    checkBuffers(this.size, frame, out);
    const c = this.complex;
    this.fft.realTransform(c, frame);
    const half = this.size >> 1;
    for (let k = 0; k <= half; k++) {
      const re = c[2 * k];
      const im = c[2 * k + 1];
      out[k] = re * re + im * im;
    }
  }
}

/** O(n^2) DFT for sizes that are not powers of two (e.g. n_fft = 400). */
class DftPowerSpectrum implements PowerSpectrum {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.cos = new Float64Array(size);
    this.sin = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const a = (2 * Math.PI * i) / size;
      this.cos[i] = Math.cos(a);
      this.sin[i] = Math.sin(a);
    }
  }

  power(frame: Float64Array, out: Float64Array): void {
    checkBuffers(this.size, frame, out);
    const n = this.size;
    const half = n >> 1;
    for (let k = 0; k <= half; k++) {
      let re = 0;
      let im = 0;
      // The twiddle index k*t mod n keeps every angle exact instead of accumulating.
      let idx = 0;
      for (let t = 0; t < n; t++) {
        const v = frame[t];
        re += v * this.cos[idx];
        im -= v * this.sin[idx];
        idx += k;
        if (idx >= n) idx -= n;
      }
      out[k] = re * re + im * im;
    }
  }
}
