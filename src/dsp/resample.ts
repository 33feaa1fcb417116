// Sample-rate conversion equal to torchaudio 0.13.1 `torchaudio.functional.resample`
// (windowed sinc, Hann window, defaults lowpass_filter_width=6, rolloff=0.99), in a batch
// form and a streaming form that share one polyphase kernel and one inner loop, so a
// chunk boundary never changes a number (SPEC section 1).
//
// torchaudio's algorithm, after reducing the rates by their gcd to orig:new: pad the
// input with `width` zeros on the left and `width + orig` on the right, run a conv1d
// with stride `orig` and `new` output channels (one filter per output phase), interleave
// the channels and keep the first ceil(new * len / orig) samples. Output m = f*new + p
// (frame f, phase p) is therefore a dot product of filter p with the input around
// f*orig. Each filter is a Hann-windowed sinc in t = base_freq * (i/orig - m/new),
// clamped to |t| <= lpw; outside |t| < lpw the window is cos^2(pi/2), which float32 makes
// ~2e-15 rather than 0, so those taps (1e-16 at most; ~1e-24 for integer lpw) are
// dropped. The kept taps, the filter's "support", also define which outputs are
// computable in the streaming form: once the last input of their support exists.
import { RESAMPLE, TARGET_RATE } from './params.ts';
import { convolve, type PolyphaseKernel } from './polyphase.ts';
import { SignalError, assertFiniteSamples, assertNonEmpty, assertSampleRate } from './validate.ts';

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (torchaudio's lowpass_filter_width, default 6). */
  lowpassFilterWidth?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency (default 0.99). */
  rolloff?: number;
}

/** Past this many taps the filter bank (4 bytes each) is refused as unreasonable. */
const MAX_TAPS = 1 << 24;
/** Distinct rate pairs kept; a page rarely sees more than two or three. */
const CACHE_SIZE = 16;
const kernelCache = new Map<string, PolyphaseKernel>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checkRates(fromRate: number, toRate: number): void {
  assertSampleRate(fromRate, 'input sample rate');
  assertSampleRate(toRate, 'output sample rate');
}

function resolveOptions(opts: ResampleOptions | undefined): { lpw: number; rolloff: number } {
  const lpw = opts?.lowpassFilterWidth ?? RESAMPLE.lowpassFilterWidth;
  const rolloff = opts?.rolloff ?? RESAMPLE.rolloff;
  if (typeof lpw !== 'number' || !Number.isFinite(lpw) || lpw <= 0) {
    throw new SignalError(`lowpassFilterWidth must be a positive number, got ${String(lpw)}`);
  }
  if (typeof rolloff !== 'number' || !Number.isFinite(rolloff) || rolloff <= 0) {
    throw new SignalError(`rolloff must be a positive number, got ${String(rolloff)}`);
  }
  return { lpw, rolloff };
}

/** Equal rates: torchaudio returns the input itself, which a single unit tap reproduces. */
const IDENTITY: PolyphaseKernel = {
  orig: 1,
  newF: 1,
  width: 0,
  lo: Int32Array.of(0),
  hi: Int32Array.of(0),
  off: Int32Array.of(0, 1),
  taps: Float32Array.of(1),
};

function getKernel(fromRate: number, toRate: number, opts: ResampleOptions | undefined): PolyphaseKernel {
  checkRates(fromRate, toRate);
  const { lpw, rolloff } = resolveOptions(opts);
  if (fromRate === toRate) return IDENTITY;
  const key = `${fromRate}:${toRate}:${lpw}:${rolloff}`;
  let k = kernelCache.get(key);
  if (k === undefined) {
    k = buildKernel(fromRate, toRate, lpw, rolloff);
    if (kernelCache.size >= CACHE_SIZE) {
      const oldest = kernelCache.keys().next().value;
      if (oldest !== undefined) kernelCache.delete(oldest);
    }
    kernelCache.set(key, k);
  }
  return k;
}

const f32 = Math.fround;
const PI32 = f32(Math.PI);

function buildKernel(fromRate: number, toRate: number, lpw: number, rolloff: number): PolyphaseKernel {
  const g = gcd(fromRate, toRate);
  const orig = fromRate / g;
  const newF = toRate / g;
  // Same double arithmetic as torchaudio's Python, so `width` is the same integer.
  const baseFreq = Math.min(orig, newF) * rolloff;
  const width = Math.ceil((lpw * orig) / baseFreq);
  // Tap r of phase p (input f*orig + r) has t = baseFreq * d / (orig*new), d = r*new - p*orig;
  // it is in the support when |t| < lpw, i.e. |d| * baseFreq < lpw*orig*new.
  const limit = lpw * orig * newF;
  const inSupport = (r: number, p: number): boolean => Math.abs(r * newF - p * orig) * baseFreq < limit;
  const halfSpan = (lpw * orig) / baseFreq;
  const rMin = -width;
  const rMax = width + orig - 1; // the conv window, which contains every support

  const lo = new Int32Array(newF);
  const hi = new Int32Array(newF);
  const off = new Int32Array(newF + 1);
  let total = 0;
  for (let p = 0; p < newF; p++) {
    const centre = (p * orig) / newF;
    // Start a step outside the float estimate and walk in: the test above decides.
    let a = Math.max(rMin, Math.floor(centre - halfSpan) - 1);
    while (a <= rMax && a <= centre && !inSupport(a, p)) a++;
    let b = Math.min(rMax, Math.ceil(centre + halfSpan) + 1);
    while (b >= a && b >= centre && !inSupport(b, p)) b--;
    if (a > b || !inSupport(a, p)) {
      // Empty support (only for extreme options): no taps, ordered like its neighbours.
      b = Math.floor(centre);
      a = b + 1;
    }
    lo[p] = a;
    hi[p] = b;
    off[p] = total;
    total += b - a + 1;
    if (total > MAX_TAPS) {
      throw new SignalError(`resampling ${fromRate} Hz to ${toRate} Hz needs a filter bank too large to build`);
    }
  }
  off[newF] = total;

  // Tap values: torchaudio computes the kernel in the waveform's dtype (float32), step by
  // step; each step is rounded to float32 here the same way. The taps then equal torch's
  // except ~1% that differ by a few ulp (torch's vectorised float32 sin/cos round
  // differently from Math.sin/cos), far inside the 1e-5 tolerance.
  const taps = new Float32Array(total);
  const origF = f32(orig);
  const newFF = f32(newF);
  const baseF = f32(baseFreq);
  const lpwF = f32(lpw);
  const scaleF = f32(baseFreq / orig);
  for (let p = 0; p < newF; p++) {
    const phase = f32(f32(-p) / newFF); // arange(0, -new, -1) / new
    for (let r = lo[p], j = off[p]; r <= hi[p]; r++, j++) {
      const idx = f32(f32(r) / origF); // arange(-width, width + orig) / orig
      let t = f32(f32(phase + idx) * baseF);
      if (t > lpwF) t = lpwF;
      else if (t < -lpwF) t = -lpwF;
      const c = f32(Math.cos(f32(f32(f32(t * PI32) / lpwF) / 2)));
      const win = f32(c * c);
      const tp = f32(t * PI32);
      const sinc = tp === 0 ? 1 : f32(f32(Math.sin(tp)) / tp);
      taps[j] = f32(sinc * f32(win * scaleF));
    }
  }
  return { orig, newF, width, lo, hi, off, taps };
}

/** Index of the last input sample output m needs. */
function lastInputOf(k: PolyphaseKernel, m: number): number {
  const p = m % k.newF;
  return ((m - p) / k.newF) * k.orig + k.hi[p];
}

function lengthFor(k: PolyphaseKernel, nIn: number): number {
  // torchaudio: int(math.ceil(new_freq * length / orig_freq)) with the reduced rates.
  return Math.ceil((k.newF * nIn) / k.orig);
}

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
  assertFiniteSamples(x, 'audio to resample');
  if (k === IDENTITY) return x.slice();
  const n = x.length;
  // torchaudio's padding: width zeros before, width + orig after (enough for every support).
  const padded = new Float32Array(k.width + n + k.width + k.orig);
  padded.set(x, k.width);
  const out = new Float32Array(lengthFor(k, n));
  convolve(k, padded, -k.width, 0, out.length, out, 0);
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
    this.flushed = false;
  }

  /** Returns the newly computable output samples (computableLength(total) - previous). */
  push(chunk: Float32Array): Float32Array {
    if (this.flushed) throw new SignalError('StreamingResampler.push() after flush(): call reset() first');
    assertFiniteSamples(chunk, 'audio chunk');
    this.append(chunk, chunk.length);
    this.nIn += chunk.length;
    let end = this.nOut;
    // Walk forward (amortised O(1) per output); same criterion as computableLength().
    const limit = lengthFor(this.k, this.nIn);
    while (end < limit && lastInputOf(this.k, end) < this.nIn) end++;
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
    const out = new Float32Array(end - this.nOut);
    if (out.length > 0) {
      convolve(this.k, this.hist, this.histStart, this.nOut, end, out, 0);
      this.nOut = end;
    }
    return out;
  }

  /** Appends `count` samples from src (zeros when src is null), dropping what no future output needs. */
  private append(src: Float32Array | null, count: number): void {
    if (this.histLen + count > this.hist.length) {
      // First input the next output needs; everything before it is history no one reads.
      // (Clamped: with extreme options the next output may need nothing held yet.)
      const keepFrom = Math.min(this.histLen, Math.max(0, this.firstInputOf(this.nOut) - this.histStart));
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

  private firstInputOf(m: number): number {
    const p = m % this.k.newF;
    return ((m - p) / this.k.newF) * this.k.orig + this.k.lo[p];
  }

  /** Samples of input history held now (for tests: it must stay bounded). */
  get historyCapacity(): number {
    return this.hist.length;
  }
}
