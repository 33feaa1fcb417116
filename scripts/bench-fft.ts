// Reproducible FFT comparison behind src/dsp/fft.ts: the chosen package (fft.js through
// the project's wrapper) against a plain hand-written radix-2 real FFT, both checked for
// accuracy against a direct float64 DFT. Prints ms per power spectrum and the ratio.
//   npx tsx scripts/bench-fft.ts [n=1024] [seconds per timing=1]
import { createPowerSpectrum, isPowerOfTwo, type PowerSpectrum } from '../src/dsp/fft.ts';
import { createRng } from '../src/training/random.ts';

const n = Number(process.argv[2] ?? 1024);
const seconds = Number(process.argv[3] ?? 1);
if (!isPowerOfTwo(n) || n < 4) throw new Error(`n must be a power of two >= 4, got ${n}`);

/** Deterministic uniform [0, 1) so every run measures the same frames. */
const mulberry32 = createRng;

/** The textbook algorithm: complex radix-2 FFT of n/2 points plus the real-input split. */
class HandRealFft implements PowerSpectrum {
  readonly size: number;
  private readonly m: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly rev: Uint32Array;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;

  constructor(size: number) {
    this.size = size;
    const m = size >> 1;
    this.m = m;
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    this.rev = new Uint32Array(m);
    const bits = Math.log2(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosM = new Float64Array(m >> 1 || 1);
    this.sinM = new Float64Array(m >> 1 || 1);
    for (let j = 0; j < m >> 1; j++) {
      this.cosM[j] = Math.cos((2 * Math.PI * j) / m);
      this.sinM[j] = Math.sin((2 * Math.PI * j) / m);
    }
    this.cosN = new Float64Array(m + 1);
    this.sinN = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cosN[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinN[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  power(frame: Float64Array, out: Float64Array): void {
    const { m, re, im, rev } = this;
    for (let i = 0; i < m; i++) {
      const r = rev[i];
      re[r] = frame[2 * i];
      im[r] = frame[2 * i + 1];
    }
    for (let len = 2; len <= m; len <<= 1) {
      const half = len >> 1;
      const step = m / len;
      for (let i = 0; i < m; i += len) {
        for (let j = 0; j < half; j++) {
          const wr = this.cosM[j * step];
          const wi = -this.sinM[j * step];
          const a = i + j;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    for (let k = 0; k <= m; k++) {
      const ar = re[k % m];
      const ai = im[k % m];
      const br = re[(m - k) % m];
      const bi = im[(m - k) % m];
      const eR = 0.5 * (ar + br);
      const eI = 0.5 * (ai - bi);
      const oR = 0.5 * (ai + bi);
      const oI = -0.5 * (ar - br);
      const c = this.cosN[k];
      const s = -this.sinN[k];
      const xr = eR + c * oR - s * oI;
      const xi = eI + c * oI + s * oR;
      out[k] = xr * xr + xi * xi;
    }
  }
}

/** Reference: direct DFT in float64 with exact twiddle indices. */
function dftPower(frame: Float64Array): Float64Array {
  const out = new Float64Array((n >> 1) + 1);
  for (let k = 0; k <= n >> 1; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (2 * Math.PI * ((k * t) % n)) / n;
      re += frame[t] * Math.cos(a);
      im -= frame[t] * Math.sin(a);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

/** Hann-windowed noise plus a tone: a realistic STFT frame with a wide dynamic range. */
function makeFrames(count: number): Float64Array[] {
  const rnd = mulberry32(12345);
  const frames: Float64Array[] = [];
  for (let f = 0; f < count; f++) {
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / n);
      x[t] = w * (Math.fround(2 * rnd() - 1) * 0.01 + Math.sin(0.3 * t + f));
    }
    frames.push(x);
  }
  return frames;
}

function accuracy(fft: PowerSpectrum, frames: Float64Array[], refs: Float64Array[]): string {
  const out = new Float64Array((n >> 1) + 1);
  let worstRel = 0;
  let worst60 = 0;
  frames.forEach((frame, i) => {
    fft.power(frame, out);
    const ref = refs[i];
    const max = Math.max(...ref);
    for (let k = 0; k < out.length; k++) {
      const err = Math.abs(out[k] - ref[k]);
      worstRel = Math.max(worstRel, err / max);
      if (ref[k] >= max * 1e-6) worst60 = Math.max(worst60, err / ref[k]);
    }
  });
  return `max err / frame max ${worstRel.toExponential(2)}, max rel err within 60 dB ${worst60.toExponential(2)}`;
}

function msPerFft(fft: PowerSpectrum, frames: Float64Array[]): number {
  const out = new Float64Array((n >> 1) + 1);
  let sink = 0;
  const run = (iterations: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      fft.power(frames[i % frames.length], out);
      sink += out[1];
    }
    return performance.now() - t0;
  };
  run(2000); // JIT warm-up
  let iterations = 1000;
  while (run(iterations) < 50) iterations *= 2;
  const rounds: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) rounds.push(run(iterations) / iterations);
  if (!Number.isFinite(sink)) throw new Error('non-finite output');
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]; // median round
}

const frames = makeFrames(16);
const refs = frames.map(dftPower);
const chosen = createPowerSpectrum(n);
const hand = new HandRealFft(n);

console.log(`real FFT power spectrum, n = ${n}, Node ${process.version}`);
console.log(`fft.js (src/dsp/fft.ts)  ${accuracy(chosen, frames, refs)}`);
console.log(`hand radix-2             ${accuracy(hand, frames, refs)}`);
const tChosen = msPerFft(chosen, frames);
const tHand = msPerFft(hand, frames);
console.log(`fft.js (src/dsp/fft.ts)  ${tChosen.toFixed(5)} ms per FFT`);
console.log(`hand radix-2             ${tHand.toFixed(5)} ms per FFT`);
console.log(`hand / fft.js time ratio ${(tHand / tChosen).toFixed(2)}`);
