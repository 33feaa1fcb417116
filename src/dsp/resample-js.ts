// The resampler's inner loop in plain JavaScript, for an engine without WebAssembly SIMD
// (Safari before 16.4, say): the same memory layout and calls as resample-wasm.ts's module,
// and the same arithmetic to the bit (two partial sums of four lanes, each product and sum
// rounded to float32 as the f32x4 ops round them, then (s0 + s1) + (s2 + s3)), so the
// numbers never depend on the engine; only slower (about 10x).
import { TAP_BLOCK, type ConvMemory, type ConvModule } from './resample-wasm.ts';

const PAGE = 65536;

/** A growable memory like WebAssembly.Memory's (buffer replaced on growth, old bytes kept). */
class JsMemory implements ConvMemory {
  buffer = new ArrayBuffer(PAGE);
  grow(pages: number): number {
    const before = this.buffer.byteLength / PAGE;
    const next = new ArrayBuffer(this.buffer.byteLength + pages * PAGE);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return before;
  }
}

const f = Math.fround;

export function jsConvModule(): ConvModule {
  const memory = new JsMemory();
  return {
    memory,
    conv(taps, lo, off, newF, orig, p, frame, count, buf, out) {
      const F = new Float32Array(memory.buffer);
      const I = new Int32Array(memory.buffer);
      const t0 = taps >> 2;
      const o0 = out >> 2;
      for (let i = 0; i < count; i++) {
        const j1 = I[(off >> 2) + p + 1];
        let s = (buf >> 2) + frame + I[(lo >> 2) + p];
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0; // prettier-ignore
        for (let j = I[(off >> 2) + p]; j < j1; j += TAP_BLOCK, s += TAP_BLOCK) {
          const t = t0 + j;
          a0 = f(a0 + f(F[t] * F[s]));
          a1 = f(a1 + f(F[t + 1] * F[s + 1]));
          a2 = f(a2 + f(F[t + 2] * F[s + 2]));
          a3 = f(a3 + f(F[t + 3] * F[s + 3]));
          b0 = f(b0 + f(F[t + 4] * F[s + 4]));
          b1 = f(b1 + f(F[t + 5] * F[s + 5]));
          b2 = f(b2 + f(F[t + 6] * F[s + 6]));
          b3 = f(b3 + f(F[t + 7] * F[s + 7]));
        }
        F[o0 + i] = f(f(f(a0 + b0) + f(a1 + b1)) + f(f(a2 + b2) + f(a3 + b3)));
        if (++p === newF) {
          p = 0;
          frame += orig;
        }
      }
    },
    finite(ptr, bytes) {
      const F = new Float32Array(memory.buffer, ptr, bytes >> 2);
      for (let i = 0; i < F.length; i++) if (!Number.isFinite(F[i])) return 1;
      return 0;
    },
  };
}
