// torch 1.13's float32 arithmetic for the constant tables of the Mel transform (linspace,
// hann_window), step by step with Math.fround. Why: torchaudio builds its filterbank in
// float32, and near a triangle's foot a float32 weight can be off by several percent
// from the exact one; a pure tone there (the chirp fixture) would then miss the dB
// tolerance. Emulating the float32 steps reproduces torch's weights to within 1 ulp.
// Verified against torch 1.13 (Debian, CPU capability AVX2): torch.linspace matches
// bit for bit; hann_window and the few pow() results differ by at most 1 ulp where
// torch's vectorised cos/pow (SLEEF, 1-ulp accurate) round differently from Math.

const f32 = Math.fround;

/** Lanes of ATen's AVX2 Vectorized<float>; the linspace kernel writes 2 vectors a step. */
const AVX2_FLOAT_LANES = 8;

/**
 * torch.linspace(start, end, steps) in float32, as ATen's CPU linspace_kernel computes it:
 * step = (end - start) / (steps - 1); the first half counts up from start, the second
 * half down from end (each with a fused multiply-add, as GCC contracts it), and inside
 * a vector block the lanes count up from the block's first value with a separate
 * multiply and add.
 */
export function torchLinspaceF32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  if (steps === 0) return out;
  const s = f32(start);
  const e = f32(end);
  if (steps === 1) {
    out[0] = s;
    return out;
  }
  const step = f32(f32(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  // step * i is exact in float64 (24-bit by < 24-bit), so one fround after the add is
  // the fused multiply-add up to a double rounding that needs an exact float32 tie.
  const scalarAt = (i: number): number =>
    i < halfway ? f32(s + step * i) : f32(e - step * (steps - i - 1));
  const V = AVX2_FLOAT_LANES;
  let idx = 0;
  // Pairs of vectors, each counting from its own first index; then a scalar tail.
  while (idx + 2 * V <= steps) {
    for (let vec = 0; vec < 2; vec++) {
      const base = scalarAt(idx);
      for (let lane = 0; lane < V; lane++) out[idx + lane] = f32(base + f32(lane * step));
      idx += V;
    }
  }
  for (; idx < steps; idx++) out[idx] = scalarAt(idx);
  return out;
}

/**
 * torch.hann_window(length, periodic=True) in float32: ATen's hamming_window with
 * alpha = beta = 0.5 over length + 1 points, computed as
 * arange(n) * (2 pi / length) -> cos -> * -0.5 -> + 0.5, each step rounded to float32.
 */
export function torchHannWindowF32(length: number): Float32Array {
  const w = new Float32Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const scale = f32((2 * Math.PI) / length);
  for (let i = 0; i < length; i++) {
    w[i] = f32(0.5 - 0.5 * f32(Math.cos(f32(i * scale))));
  }
  return w;
}
