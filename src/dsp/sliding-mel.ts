// Incremental Mel spectrogram of the newest `windowLength` samples, for the live monitor.
// spectrogram() equals melSpectrogram() of the current window bit for bit. It is cheap
// because a frame that reads no reflect padding depends only on its absolute position
// in the stream: such frames are cached by absolute start and reused after the window
// has moved by a multiple of the hop. Only new frames and the two edge frames (which
// reflect at the window's ends) are computed again. A move by a non-multiple of the
// hop shifts every frame off the cached positions, so everything is recomputed.
import { MelFrames } from './mel-frames.ts';
import { assertLongEnough, melParams, type MelParams } from './mel-params.ts';
import { WINDOW_LENGTH } from './params.ts';
import type { Spectrogram } from './spectrogram.ts';
import { SignalError, assertFiniteSamples } from './validate.ts';

export class SlidingMel {
  readonly windowLength: number;
  readonly nMels: number;
  readonly nFrames: number;
  private readonly frames: MelFrames;
  private readonly hop: number;
  /** Samples; the window is buf[end - windowLength, end). Twice the window, compacted. */
  private readonly buf: Float32Array;
  private end: number;
  /** Samples pushed since construction or reset; the window starts at total - windowLength. */
  private total = 0;
  /** Cache slot s holds the column of the interior frame starting at absolute keys[s]. */
  private readonly keys: Float64Array;
  private readonly columns: Float32Array;
  private computed = 0;

  constructor(windowLength: number = WINDOW_LENGTH, params: MelParams = melParams()) {
    if (!Number.isInteger(windowLength) || windowLength < 1) {
      throw new SignalError(`window length must be a whole number >= 1, got ${windowLength}`);
    }
    this.frames = new MelFrames(params);
    assertLongEnough(windowLength, params, 'the sliding Mel window');
    this.windowLength = windowLength;
    this.nMels = params.nMels;
    this.hop = params.hopLength;
    this.nFrames = this.frames.frameCount(windowLength);
    this.buf = new Float32Array(2 * windowLength);
    this.end = windowLength;
    // One slot per frame suffices: the interior frames of one window start one hop
    // apart, so floor(start / hop) takes consecutive values and the slots differ.
    this.keys = new Float64Array(this.nFrames).fill(Number.NaN);
    this.columns = new Float32Array(this.nFrames * this.nMels);
  }

  /** Real samples in the window; the rest of it (at the start) is zeros. */
  get filled(): number {
    return Math.min(this.total, this.windowLength);
  }

  /** Frames computed (not taken from the cache) since construction: for tests and benches. */
  get framesComputed(): number {
    return this.computed;
  }

  /** Appends samples; only the newest windowLength are kept. Allocates nothing. */
  push(x: Float32Array): void {
    assertFiniteSamples(x, 'audio chunk');
    const w = this.windowLength;
    const buf = this.buf;
    if (x.length >= w) {
      const from = x.length - w;
      for (let i = 0; i < w; i++) buf[i] = x[from + i];
      this.end = w;
    } else {
      if (this.end + x.length > buf.length) {
        buf.copyWithin(0, this.end - w, this.end);
        this.end = w;
      }
      buf.set(x, this.end);
      this.end += x.length;
    }
    this.total += x.length;
  }

  /** A copy of the current window (zeros where no samples have arrived yet). */
  windowSamples(): Float32Array {
    return this.buf.slice(this.end - this.windowLength, this.end);
  }

  /** Mel power spectrogram of the current window; `out` is reused when given. */
  spectrogram(out?: Spectrogram): Spectrogram {
    const { nMels, nFrames, windowLength: w, frames, keys, columns } = this;
    const data = out && out.data.length === nMels * nFrames ? out.data : new Float32Array(nMels * nFrames);
    const offset = this.end - w;
    const windowStart = this.total - w;
    for (let i = 0; i < nFrames; i++) {
      if (!frames.isInterior(w, i)) {
        frames.compute(this.buf, offset, w, i, data, i, nFrames);
        this.computed++;
        continue;
      }
      const key = windowStart + frames.frameStart(i);
      const slot = mod(Math.floor(key / this.hop), nFrames);
      const col = slot * nMels;
      if (keys[slot] !== key) {
        frames.compute(this.buf, offset, w, i, columns, col, 1);
        keys[slot] = key;
        this.computed++;
      }
      for (let m = 0; m < nMels; m++) data[m * nFrames + i] = columns[col + m];
    }
    if (out) {
      out.data = data;
      out.nMels = nMels;
      out.nFrames = nFrames;
      return out;
    }
    return { data, nMels, nFrames };
  }

  /** Back to an all-zero window; forgets every cached frame. */
  reset(): void {
    this.buf.fill(0);
    this.end = this.windowLength;
    this.total = 0;
    this.keys.fill(Number.NaN);
  }
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
