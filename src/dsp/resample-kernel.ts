// The polyphase filter bank of the resampler (resample.ts): torchaudio 0.13.1's windowed
// sinc kernel, one filter per output phase, cut to its support and laid out for the SIMD
// inner loop (resample-convolve.ts). Built once per (rates, options) and cached.
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
import { RESAMPLE } from './params.ts';
import { TAP_BLOCK } from './resample-wasm.ts';
import { SignalError, assertSampleRate } from './validate.ts';

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (torchaudio's lowpass_filter_width, default 6). */
  lowpassFilterWidth?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency (default 0.99). */
  rolloff?: number;
}

/** The per-phase filters of one (from, to, lpw, rolloff) set, support only. */
export interface PolyphaseKernel {
  /** Rates divided by their gcd. */
  readonly orig: number;
  readonly newF: number;
  /** torchaudio's `width`: the zero padding on the left. */
  readonly width: number;
  /** First tap of phase p, as an input offset relative to f*orig. */
  readonly lo: Int32Array;
  /** Last tap of phase p, same reference (lo - 1 for an empty support). */
  readonly hi: Int32Array;
  /**
   * Where phase p's taps start in `taps`: its support, then zeros up to a multiple of
   * TAP_BLOCK (what the SIMD loop reads; the zeros multiply inputs past hi).
   */
  readonly off: Int32Array;
  readonly taps: Float32Array;
  /** Over all phases, the input offsets (relative to f*orig) the loop reads: readLo .. readEnd-1. */
  readonly readLo: number;
  readonly readEnd: number;
}

/** Past this many taps the filter bank (4 bytes each) is refused as unreasonable. */
const MAX_TAPS = 1 << 24;
/** Distinct rate pairs kept; a page rarely sees more than two or three. */
const CACHE_SIZE = 16;
const kernelCache = new Map<string, PolyphaseKernel>();

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function checkRates(fromRate: number, toRate: number): void {
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
export const IDENTITY: PolyphaseKernel = {
  orig: 1,
  newF: 1,
  width: 0,
  lo: Int32Array.of(0),
  hi: Int32Array.of(0),
  off: Int32Array.of(0, TAP_BLOCK),
  taps: Float32Array.from({ length: TAP_BLOCK }, (_, i) => (i === 0 ? 1 : 0)),
  readLo: 0,
  readEnd: TAP_BLOCK,
};

export function getKernel(fromRate: number, toRate: number, opts: ResampleOptions | undefined): PolyphaseKernel {
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
  let readLo = Infinity;
  let readEnd = -Infinity;
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
    const padded = Math.ceil((b - a + 1) / TAP_BLOCK) * TAP_BLOCK;
    if (padded > 0) {
      readLo = Math.min(readLo, a);
      readEnd = Math.max(readEnd, a + padded);
    }
    total += padded;
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
  // Every support empty (extreme options): nothing is read.
  if (readLo === Infinity) [readLo, readEnd] = [0, 0];
  return { orig, newF, width, lo, hi, off, taps, readLo, readEnd };
}

/** Index of the first input sample output m's filter reads. */
export function firstInputOf(k: PolyphaseKernel, m: number): number {
  const p = m % k.newF;
  return ((m - p) / k.newF) * k.orig + k.lo[p];
}

/** Index of the last input sample output m needs. */
export function lastInputOf(k: PolyphaseKernel, m: number): number {
  const p = m % k.newF;
  return ((m - p) / k.newF) * k.orig + k.hi[p];
}

export function lengthFor(k: PolyphaseKernel, nIn: number): number {
  // torchaudio: int(math.ceil(new_freq * length / orig_freq)) with the reduced rates.
  return Math.ceil((k.newF * nIn) / k.orig);
}
