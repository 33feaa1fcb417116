// What each generated Winograd transform of one F(m, r) does, and its data layouts
// (winograd-kernels/*.generated.ts implement this, one module per tile; winograd.ts calls them).
// S = N * tiles: every phase tensor is one image whose columns are the samples' tiles side
// by side, and xi = 0 .. alpha - 1 numbers the phases.

/** The six transforms of one F(m, r), with the matrices as literal constants in their code. */
export interface WinogradKernels {
  /** x [N, H, Wp, C] (columns already zero padded to Wp = m T + r - 1) -> V[xi] [H, S, C] and VT[xi] [H + 2 pr, C, S]. */
  input(x: Float32Array, n: number, h: number, wp: number, c: number, t: number, pr: number, v: Float32Array[], vt: Float32Array[]): void;
  /** Adjoint of input: dV[xi] [H, S, C] -> dxp [N, H, Wp, C] (accumulates; dxp starts at 0). */
  inputAdjoint(dv: Float32Array[], n: number, h: number, wp: number, c: number, t: number, dxp: Float32Array): void;
  /** w [k, r, Cin, Cout] -> U[xi] [k, Cin, Cout] and UF[xi] [k, Cout, Cin] (rows reversed, in / out swapped). */
  filter(w: Float32Array, k: number, cin: number, cout: number, u: Float32Array[], uf: Float32Array[]): void;
  /** Adjoint of filter (U part): dU[xi] [k, Cin, Cout] -> dw [k, r, Cin, Cout] (cio = Cin * Cout). */
  filterAdjoint(du: Float32Array[], k: number, cio: number, dw: Float32Array): void;
  /**
   * M[xi] [Ho, S, C] -> the core of y [N, Ho + 2e, Wo + 2e, C]: bias + product at every
   * output that sees the input. The border of width e is the caller's (it is the bias).
   */
  output(mm: Float32Array[], n: number, ho: number, wo: number, c: number, t: number, e: number, bias: Float32Array, y: Float32Array): void;
  /** Adjoint of output: dy [N, Ho + 2e, Wo + 2e, C] (core read only) -> dM[xi] [Ho, S, C]. */
  outputAdjoint(dy: Float32Array, n: number, ho: number, wo: number, c: number, t: number, e: number, dm: Float32Array[]): void;
}

/** The key of F(m, r) in the generated table. */
export const kernelKey = (m: number, r: number): string => `${m},${r}`;
