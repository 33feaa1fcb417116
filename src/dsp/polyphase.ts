// The resampler's one inner loop (resample.ts builds the filters): outputs mStart..mEnd-1
// of a polyphase filter bank over an input buffer, in WebAssembly SIMD where the platform
// has it (polyphase-wasm.ts) and otherwise in JS with exactly the same arithmetic (float32
// values, float64 sums), so the numbers never depend on which ran.

import { polyphaseWasm, type PolyphaseWasm } from './polyphase-wasm.ts';

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
  /** Where phase p's taps start in `taps`. */
  readonly off: Int32Array;
  /** float32 values (each was rounded to float32 when built). */
  readonly taps: Float32Array;
}

/** The JS form of the loop: float64 sums in the wasm loop's order, one float32 rounding per output. */
function convolveJs(k: PolyphaseKernel, buf: Float32Array, bufStart: number, mStart: number, mEnd: number, out: Float32Array, outPos: number): void {
  const { orig, newF, lo, off, taps } = k;
  let p = mStart % newF;
  let frame = ((mStart - p) / newF) * orig - bufStart;
  for (let m = mStart; m < mEnd; m++) {
    const j0 = off[p];
    const j1 = off[p + 1];
    const s = frame + lo[p] - j0;
    // Four partial sums (the wasm loop's four lanes): independent chains also let a CPU
    // overlap the multiply-adds.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      a0 += taps[j] * buf[s + j];
      a1 += taps[j + 1] * buf[s + j + 1];
      a2 += taps[j + 2] * buf[s + j + 2];
      a3 += taps[j + 3] * buf[s + j + 3];
    }
    for (; j < j1; j++) a0 += taps[j] * buf[s + j];
    out[outPos++] = a0 + a1 + (a2 + a3);
    if (++p === newF) {
      p = 0;
      frame += orig;
    }
  }
}

/** Where the kernel last copied into the module's memory lives (it stays until another kernel runs). */
let installed: { w: PolyphaseWasm; kernel: PolyphaseKernel; lo: number; off: number; taps: number; end: number } | null = null;
let heap: { f32: Float32Array; i32: Int32Array } | null = null;

function views(w: PolyphaseWasm, bytes: number): { f32: Float32Array; i32: Int32Array } {
  const have = w.memory.buffer.byteLength;
  if (have < bytes) w.memory.grow(Math.ceil((bytes - have) / 65536));
  if (!heap || heap.f32.buffer !== w.memory.buffer) heap = { f32: new Float32Array(w.memory.buffer), i32: new Int32Array(w.memory.buffer) };
  return heap;
}

function install(w: PolyphaseWasm, k: PolyphaseKernel): NonNullable<typeof installed> {
  if (installed?.w === w && installed.kernel === k) return installed;
  const lo = 0;
  const off = lo + 4 * k.newF;
  const taps = off + 4 * (k.newF + 1);
  const end = taps + 4 * k.taps.length;
  const h = views(w, end);
  h.i32.set(k.lo, lo / 4);
  h.i32.set(k.off, off / 4);
  h.f32.set(k.taps, taps / 4);
  installed = { w, kernel: k, lo, off, taps, end };
  return installed;
}

function convolveWasm(w: PolyphaseWasm, k: PolyphaseKernel, buf: Float32Array, bufStart: number, mStart: number, mEnd: number, out: Float32Array, outPos: number): void {
  const at = install(w, k);
  const p0 = mStart % k.newF;
  const frame = ((mStart - p0) / k.newF) * k.orig - bufStart;
  // Only the inputs these outputs read: from the first output's first tap to the last one's last.
  const pl = (mEnd - 1) % k.newF;
  let first = frame + k.lo[p0];
  let last = ((mEnd - 1 - pl) / k.newF) * k.orig - bufStart + k.hi[pl];
  // (An empty support can put hi below lo: keep the range well formed.)
  first = Math.max(0, Math.min(first, last));
  last = Math.min(buf.length - 1, Math.max(last, first));
  const inputs = last - first + 1;
  const bufAt = at.end;
  const outAt = bufAt + 4 * inputs + 16;
  const count = mEnd - mStart;
  const h = views(w, outAt + 4 * count);
  h.f32.set(buf.subarray(first, last + 1), bufAt / 4);
  // buf index i sits at bufAt + 4 (i - first); the module adds 4 (frame + lo[p]) to its base.
  w.run(at.lo, at.off, at.taps, (bufAt - 4 * first) | 0, outAt, count, p0, frame, k.orig, k.newF);
  out.set(h.f32.subarray(outAt / 4, outAt / 4 + count), outPos);
}

/**
 * Outputs mStart..mEnd-1 into out[outPos...]. buf[i - bufStart] holds input sample i (zeros
 * where torchaudio pads); it must cover every support used.
 */
export function convolve(k: PolyphaseKernel, buf: Float32Array, bufStart: number, mStart: number, mEnd: number, out: Float32Array, outPos: number): void {
  if (mEnd <= mStart) return;
  const w = polyphaseWasm();
  if (w) convolveWasm(w, k, buf, bufStart, mStart, mEnd, out, outPos);
  else convolveJs(k, buf, bufStart, mStart, mEnd, out, outPos);
}

/** The JS loop alone, for the test that holds the two forms to the same bits. */
export const convolveInJs = convolveJs;
