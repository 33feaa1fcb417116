// Sample-rate conversion equal to torchaudio 0.13.1 `torchaudio.functional.resample`
// (windowed sinc, Hann window, defaults lowpass_filter_width=6, rolloff=0.99), in a batch
// form and a streaming form that share one polyphase kernel (resample-kernel.ts) and one
// inner loop (resample-convolve.ts, WebAssembly SIMD), so a chunk boundary never changes
// a number (SPEC section 1).
import { TARGET_RATE } from './params.ts';
import { assertFinite, convolve } from './resample-convolve.ts';
import {
  IDENTITY,
  checkRates,
  firstInputOf,
  gcd,
  getKernel,
  lastInputOf,
  lengthFor,
  type PolyphaseKernel,
  type ResampleOptions,
} from './resample-kernel.ts';
import { SignalError, assertNonEmpty } from './validate.ts';

export type { ResampleOptions } from './resample-kernel.ts';

function checkCount(nIn: number): void {
  if (!Number.isInteger(nIn) || nIn < 0) {
    throw new SignalError(`sample count must be a whole number >= 0, got ${String(nIn)}`);
  }
}

/** Output length of the batch form: ceil(to * n / from) after gcd reduction. */
export function resampledLength(nIn: number, fromRate: number, toRate: number = TARGET_RATE): number {
  checkCount(nIn);
  checkRates(fromRate, toRate);
  if (fromRate === toRate) return nIn;
  const g = gcd(fromRate, toRate);
  return Math.ceil(((toRate / g) * nIn) / (fromRate / g));
}

function computableFor(k: PolyphaseKernel, nIn: number): number {
  // lastInputOf is nondecreasing in m, so the computable outputs are a prefix: bisect it.
  let a = 0;
  let b = lengthFor(k, nIn); // never more than the batch form has
  while (a < b) {
    const mid = a + Math.floor((b - a) / 2);
    if (lastInputOf(k, mid) <= nIn - 1) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * How many output samples are fully computable (need no zero right-padding) from the
 * first nIn inputs: output m counts once the last input of its filter's support exists,
 * i.e. input index < nIn for every tap with |t| < lowpass_filter_width (torchaudio's
 * taps beyond that are ~1e-16 and multiply padding only). For 48000 -> 8000 an output
 * needs 36 inputs past its own time; for 44100 -> 8000, up to 34.
 */
export function computableLength(
  nIn: number,
  fromRate: number,
  toRate: number = TARGET_RATE,
  opts?: ResampleOptions,
): number {
  checkCount(nIn);
  return computableFor(getKernel(fromRate, toRate, opts), nIn);
}

/**
 * Batch: equals torchaudio.functional.resample(x, fromRate, toRate) (max abs error far
 * below 1e-5). Equal rates return a copy. Empty input throws a SignalError, as torchaudio
 * raises on it too; non-finite samples or bad rates/options throw a SignalError.
 */
export function resample(
  x: Float32Array,
  fromRate: number,
  toRate: number = TARGET_RATE,
  opts?: ResampleOptions,
): Float32Array {
  const k = getKernel(fromRate, toRate, opts);
  assertNonEmpty(x, 'audio to resample');
  assertFinite(x, 'audio to resample');
  if (k === IDENTITY) return x.slice();
  // torchaudio's zero padding on both sides: convolve reads inputs outside x as zeros.
  const out = new Float32Array(lengthFor(k, x.length));
  convolve(k, x, 0, x.length, 0, out.length, out, 0);
  return out;
}

/** Floats per shared output buffer of the streaming form. */
const POOL = 1 << 14;
let pool = new ArrayBuffer(0);
let poolUsed = 0;

/**
 * A fresh array of n floats for push()'s result: a view into a shared buffer that is
 * never reused (a new one when it is used up), because a separate small ArrayBuffer per
 * 20-sample push costs more to allocate and collect than the resampling itself.
 */
function takeOutput(n: number): Float32Array {
  if (4 * (poolUsed + n) > pool.byteLength) {
    pool = new ArrayBuffer(4 * Math.max(POOL, n));
    poolUsed = 0;
  }
  const out = new Float32Array(pool, 4 * poolUsed, n);
  poolUsed += n;
  return out;
}

/**
 * Streaming form: push chunks of any size; the concatenation of push() outputs and then
 * flush() is bit-for-bit resample() of the concatenated input. Keeps only the inputs the
 * next outputs need (about 2 * lpw * from / (rolloff * min(from, to)) samples plus the
 * largest chunk), whatever the stream's length.
 */
export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  private readonly k: PolyphaseKernel;
  /** hist[i] is input sample histStart + i (negative indices: the left zero padding). */
  private hist: Float32Array;
  private histStart = 0;
  private histLen = 0;
  private nIn = 0;
  private nOut = 0;
  /** Output nOut's phase, and the input its frame starts at. */
  private nextPhase = 0;
  private nextFrame = 0;
  private flushed = false;

  constructor(fromRate: number, toRate: number = TARGET_RATE, opts?: ResampleOptions) {
    this.k = getKernel(fromRate, toRate, opts);
    this.fromRate = fromRate;
    this.toRate = toRate;
    const span = this.k.width * 2 + this.k.orig;
    this.hist = new Float32Array(Math.max(1024, 4 * span));
    this.reset();
  }

  get inputCount(): number {
    return this.nIn;
  }

  get outputCount(): number {
    return this.nOut;
  }

  reset(): void {
    // The left zero padding of the batch form: inputs lo[0] .. -1 (lo[0] <= 0 always).
    const lead = -this.k.lo[0];
    this.hist.fill(0, 0, lead);
    this.histStart = -lead;
    this.histLen = lead;
    this.nIn = 0;
    this.nOut = 0;
    this.nextPhase = 0;
    this.nextFrame = 0;
    this.flushed = false;
  }

  /**
   * Returns the newly computable output samples (computableLength(total) - previous), as
   * a view whose ArrayBuffer other pushes' results share: copy it before transferring it.
   */
  push(chunk: Float32Array): Float32Array {
    if (this.flushed) throw new SignalError('StreamingResampler.push() after flush(): call reset() first');
    assertFinite(chunk, 'audio chunk');
    this.append(chunk, chunk.length);
    this.nIn += chunk.length;
    // Walk forward (amortised O(1) per output); same criterion as computableLength().
    const { newF, orig, hi } = this.k;
    const limit = lengthFor(this.k, this.nIn);
    let end = this.nOut;
    let p = this.nextPhase;
    let frame = this.nextFrame;
    while (end < limit && frame + hi[p] < this.nIn) {
      end++;
      if (++p === newF) {
        p = 0;
        frame += orig;
      }
    }
    return this.emit(end);
  }

  /** End of stream: the remaining samples (zero right-padding as the batch form), up to resampledLength(total). */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    this.append(null, this.k.width + this.k.orig);
    return this.emit(lengthFor(this.k, this.nIn));
  }

  private emit(end: number): Float32Array {
    const out = takeOutput(end - this.nOut);
    if (out.length > 0) {
      convolve(this.k, this.hist, this.histStart, this.histLen, this.nOut, end, out, 0);
      this.nOut = end;
      this.nextPhase = end % this.k.newF;
      this.nextFrame = ((end - this.nextPhase) / this.k.newF) * this.k.orig;
    }
    return out;
  }

  /** Appends `count` samples from src (zeros when src is null), dropping what no future output needs. */
  private append(src: Float32Array | null, count: number): void {
    if (this.histLen + count > this.hist.length) {
      // First input the next output needs; everything before it is history no one reads.
      // (Clamped: with extreme options the next output may need nothing held yet.)
      const keepFrom = Math.min(this.histLen, Math.max(0, firstInputOf(this.k, this.nOut) - this.histStart));
      const keep = this.histLen - keepFrom;
      if (keep + count > this.hist.length) {
        const bigger = new Float32Array(Math.max(2 * this.hist.length, 2 * (keep + count)));
        bigger.set(this.hist.subarray(keepFrom, this.histLen));
        this.hist = bigger;
      } else {
        this.hist.copyWithin(0, keepFrom, this.histLen);
      }
      this.histStart += keepFrom;
      this.histLen = keep;
    }
    if (src === null) this.hist.fill(0, this.histLen, this.histLen + count);
    else this.hist.set(src, this.histLen);
    this.histLen += count;
  }

  /** Samples of input history held now (for tests: it must stay bounded). */
  get historyCapacity(): number {
    return this.hist.length;
  }
}
