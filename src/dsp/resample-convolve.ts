// The resampler's one inner loop, shared by the batch and the streaming form: runs the
// SIMD kernel of resample-wasm.ts over a range of outputs. Each output's arithmetic
// depends only on its taps and its inputs, never on where a block or a chunk starts, so
// a chunk boundary never changes a number.
//
// The input is copied into the module's memory a block at a time (at most about
// BLOCK_INPUTS samples, so a two-hour file needs no more memory than a second), the
// outputs copied back out. Inputs outside `src` read as zeros: the batch form's padding.
import { instantiateConv, simdSupported, type ConvModule } from './resample-wasm.ts';
import { jsConvModule } from './resample-js.ts';
import type { PolyphaseKernel } from './resample-kernel.ts';
import { assertFiniteSamples } from './validate.ts';

const BLOCK_INPUTS = 1 << 16;
const PAGE = 65536;
const align = (bytes: number) => Math.ceil(bytes / 32) * 32;

let mod: ConvModule | null = null;
/** The SIMD module, or where the engine lacks SIMD the same loop in JS (same numbers, slower). */
const instantiate = (): ConvModule => (simdSupported() ? instantiateConv() : jsConvModule());
/** The kernel whose tables sit at the start of the memory now. */
let loaded: PolyphaseKernel | null = null;
let offAt = 0;
let tapsAt = 0;
let tablesEnd = 0;
let f32: Float32Array = new Float32Array(0);
let i32: Int32Array = new Int32Array(0);

/** Makes the memory at least `bytes` long; the typed views follow a grown buffer. */
function reserve(m: ConvModule, bytes: number): void {
  // (f32's length, not memory.buffer: that getter costs more than a short block's work.)
  if (bytes <= 4 * f32.length) return;
  const have = m.memory.buffer.byteLength;
  if (bytes > have) m.memory.grow(Math.ceil((bytes - have) / PAGE));
  f32 = new Float32Array(m.memory.buffer);
  i32 = new Int32Array(m.memory.buffer);
}

/** Layout: lo at 0, off, taps (32-byte aligned), then per block the outputs and the inputs. */
function load(m: ConvModule, k: PolyphaseKernel): void {
  if (loaded === k) return;
  offAt = align(4 * k.newF);
  tapsAt = align(offAt + 4 * (k.newF + 1));
  tablesEnd = align(tapsAt + 4 * k.taps.length);
  reserve(m, tablesEnd);
  i32.set(k.lo, 0);
  i32.set(k.off, offAt / 4);
  f32.set(k.taps, tapsAt / 4);
  loaded = k;
}

/**
 * Outputs mStart..mEnd-1 into out[outPos...]. src[i - srcStart] (i - srcStart < srcLen)
 * is input sample i; every other input counts as zero (it must, wherever a tap in the
 * support reads it).
 */
export function convolve(
  k: PolyphaseKernel,
  src: Float32Array,
  srcStart: number,
  srcLen: number,
  mStart: number,
  mEnd: number,
  out: Float32Array,
  outPos: number,
): void {
  if (mEnd <= mStart) return;
  const m = (mod ??= instantiate());
  load(m, k);
  const { orig, newF, readLo, readEnd } = k;
  const perBlock = Math.max(1, Math.floor((BLOCK_INPUTS * newF) / orig));
  const srcEnd = srcStart + srcLen;
  for (let m0 = mStart; m0 < mEnd; m0 += perBlock) {
    const count = Math.min(perBlock, mEnd - m0);
    const p0 = m0 % newF;
    const frame0 = ((m0 - p0) / newF) * orig;
    const lastFrame = Math.floor((m0 + count - 1) / newF) * orig;
    // Every input the block's outputs read, whatever their phase: first .. end-1.
    const first = frame0 + readLo;
    const end = lastFrame + readEnd;
    const outAt = tablesEnd >> 2;
    const bufAt = align(tablesEnd + 4 * count) >> 2;
    reserve(m, 4 * (bufAt + end - first));
    const base = bufAt - first; // f32 index of input i: base + i
    const a = Math.min(Math.max(first, srcStart), end);
    const b = Math.max(Math.min(end, srcEnd), a);
    f32.fill(0, base + first, base + a);
    // (subarray + set beats an element loop even for 20 samples: measured.)
    f32.set(src.subarray(a - srcStart, b - srcStart), base + a);
    f32.fill(0, base + b, base + end);
    m.conv(tapsAt, 0, offAt, newF, orig, p0, frame0 - first, count, 4 * bufAt, 4 * outAt);
    out.set(f32.subarray(outAt, outAt + count), outPos + (m0 - mStart));
  }
}

/**
 * assertFiniteSamples (same SignalError, naming the first bad sample), faster: the module
 * scans four lanes at a time, and only when it finds a NaN or an infinity does the JS
 * scan run to name it. (The JS check was 40% of a batch call, and as costly as the
 * convolution of a 128-sample push: measured.)
 */
export function assertFinite(x: Float32Array, what: string): void {
  const m = (mod ??= instantiate());
  const at = tablesEnd >> 2; // scratch after the kernel's tables
  for (let s = 0; s < x.length; s += BLOCK_INPUTS) {
    const n = Math.min(BLOCK_INPUTS, x.length - s);
    const n4 = Math.ceil(n / 4) * 4;
    reserve(m, 4 * (at + n4));
    f32.set(x.subarray(s, s + n), at);
    f32.fill(0, at + n, at + n4);
    if (m.finite(4 * at, 4 * n4) !== 0) assertFiniteSamples(x, what);
  }
}
