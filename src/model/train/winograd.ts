// A k x k convolution (stride 1) with Winograd's minimal filtering F(m, k) along the width:
// each run of m output columns takes alpha = m + k - 1 "phase" products instead of m * k, so
// the XNNPACK work becomes alpha phase convolutions with k x 1 kernels, alpha * k / m taps per
// output column instead of k * k (F(4, 5), the default: 10 instead of 25). XNNPACK's 128-bit
// SIMD with no FMA is what bounds the training step on wasm, so fewer multiplications is the
// lever left.
//
// Transforms (Toom-Cook with the point at infinity, matrices built in winogradMatrices):
//   forward   V_xi = BT x (per tile of alpha input columns), U_xi = G w, M_xi = V_xi (*) U_xi,
//             y = AT M  (M_xi summed into m output columns);
//   backward  dM = A dy, dU_xi = dW(V_xi, dM_xi), dw = G^T dU, dV_xi = dX(dM_xi, U_xi),
//             dx = B dV (overlapping tiles add up).
// Every phase tensor is one image [1, rows, S, C] with S = N * tiles: a k x 1 kernel never
// mixes columns, so the samples' tiles can sit side by side. The transforms are straight-line
// code generated from the matrices (winograd-matrices.ts, winograd-codegen.ts) and committed
// in winograd-kernels/, one module per tile; the phase convolutions run on the active backend (wasm).
import * as tf from '@tensorflow/tfjs-core';
import { WINOGRAD_KERNELS } from './winograd-kernels/index.generated.ts';
import { kernelKey, type WinogradKernels } from './winograd-kernels.ts';
import { readInto } from './wasm-read.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function kernelsFor(m: number, r: number): WinogradKernels {
  const k = WINOGRAD_KERNELS.get(kernelKey(m, r));
  // The table holds every tile with interpolation points (winograd-codegen.test.ts).
  if (!k) throw new Error(`no Winograd points for F(${m}, ${r})`);
  return k;
}

/**
 * Reusable scratch arrays: a training step needs the same sizes every time, and fresh
 * arrays per step showed up as garbage-collector time. Only for arrays that no tensor
 * outlives (the cpu backend keeps the arrays it is given), so one workspace per thread, and
 * a forward's saved arrays are valid until the next forward with the same tag.
 */
export class WinogradWorkspace {
  private readonly arrays = new Map<string, Float32Array>();

  /** An array of `size` values with unspecified contents (the caller overwrites all of it). */
  array(key: string, size: number): Float32Array {
    let a = this.arrays.get(key);
    if (!a || a.length !== size) {
      a = new Float32Array(size);
      this.arrays.set(key, a);
    }
    return a;
  }

  /** An array of `size` zeros. */
  zeros(key: string, size: number): Float32Array {
    const a = this.arrays.get(key);
    if (a && a.length === size) return a.fill(0);
    return this.array(key, size);
  }
}

/** Fresh arrays, for callers without a workspace. */
const noWorkspace = {
  array: (_key: string, size: number) => new Float32Array(size),
  zeros: (_key: string, size: number) => new Float32Array(size),
};

/** What the backward pass needs from the forward (plain arrays: no tensors to dispose). */
export interface WinogradSaved {
  m: number;
  k: number;
  padding: number;
  /** Core padding min(padding, k - 1), and the border of constant output (see convGeometry). */
  corePadding: number;
  border: number;
  xShape: [number, number, number, number];
  cout: number;
  tiles: number;
  /** Transformed input per phase, [H + 2 pc, Cin, S] (the weight gradient's layout). */
  vt: Float32Array[];
  /** Flipped phase kernels [k, Cout, Cin] (the input gradient's). */
  uf: Float32Array[];
  /** Where the backward pass takes its scratch arrays from (see WinogradWorkspace). */
  workspace?: WinogradWorkspace;
  tag: string;
}

/**
 * Writes the bias into the border of y [N, hf, wf, C]: the e outermost rows and columns,
 * whose outputs see only padding. The generated output transform writes the rest.
 */
function fillBorder(y: Float32Array, n: number, hf: number, wf: number, e: number, bias: Float32Array): void {
  const c = bias.length;
  const fill = (from: number, count: number) => {
    for (let i = from; i < from + count * c; i += c) for (let co = 0; co < c; co++) y[i + co] = bias[co];
  };
  for (let nn = 0; nn < n; nn++) {
    for (let row = 0; row < hf; row++) {
      const at = (nn * hf + row) * wf * c;
      if (row < e || row >= hf - e) fill(at, wf);
      else if (e > 0) {
        fill(at, e);
        fill(at + (wf - e) * c, e);
      }
    }
  }
}

const rowPad = (p: number): [[number, number], [number, number], [number, number], [number, number]] => [
  [0, 0],
  [p, p],
  [0, 0],
  [0, 0],
];

/**
 * y = conv2d(pad(x, padding), w) + b like convForward (conv-grad.ts), computed with F(m, k)
 * along the width. w and b are the weight values (HWIO [k, k, Cin, Cout], [Cout]).
 */
export function winogradForward(
  x: tf.Tensor4D,
  w: Float32Array,
  b: Float32Array,
  k: number,
  padding: number,
  m: number,
  workspace?: WinogradWorkspace,
  tag = '',
): { y: tf.Tensor4D; saved: WinogradSaved } {
  const ws = workspace ?? noWorkspace;
  const [n, h, wIn, cin] = x.shape;
  const cout = b.length;
  if (w.length !== k * k * cin * cout) throw new Error(`winogradForward: ${w.length} weights do not fit [${k}, ${k}, ${cin}, ${cout}]`);
  const kern = kernelsFor(m, k);
  const alpha = m + k - 1;
  const pc = Math.min(padding, k - 1);
  const e = padding - pc;
  const ho = h + 2 * pc - k + 1;
  const wo = wIn + 2 * pc - k + 1;
  const t = Math.ceil(wo / m);
  const wp = m * t + k - 1;
  const s = n * t;

  // Zero-pad the columns once so the transform's loads need no bounds checks.
  const xs = readInto(x, ws.array(`${tag}x`, x.size));
  const xp = ws.zeros(`${tag}xp`, n * h * wp * cin);
  for (let row = 0; row < n * h; row++) xp.set(xs.subarray(row * wIn * cin, (row + 1) * wIn * cin), (row * wp + pc) * cin);
  const v = range(alpha).map((xi) => ws.array(`${tag}v${xi}`, h * s * cin));
  const vt = range(alpha).map((xi) => ws.zeros(`${tag}vt${xi}`, (h + 2 * pc) * cin * s));
  kern.input(xp, n, h, wp, cin, t, pc, v, vt);
  const u = range(alpha).map((xi) => ws.array(`${tag}u${xi}`, k * cin * cout));
  const uf = range(alpha).map((xi) => ws.array(`${tag}uf${xi}`, k * cin * cout));
  kern.filter(w, k, cin, cout, u, uf);

  const mm: Float32Array[] = [];
  for (let xi = 0; xi < alpha; xi++) {
    // (Not returned from tidy: tidy walks a returned typed array's every index.)
    tf.tidy(() => {
      const out = tf.conv2d(tf.tensor4d(v[xi], [1, h, s, cin]), tf.tensor4d(u[xi], [k, 1, cin, cout]), 1, rowPad(pc));
      mm.push(readInto(out, ws.array(`${tag}mm${xi}`, out.size)));
    });
  }
  const y = new Float32Array(n * (ho + 2 * e) * (wo + 2 * e) * cout);
  fillBorder(y, n, ho + 2 * e, wo + 2 * e, e, b);
  kern.output(mm, n, ho, wo, cout, t, e, b, y);
  return {
    y: tf.tensor4d(y, [n, ho + 2 * e, wo + 2 * e, cout]),
    saved: { m, k, padding, corePadding: pc, border: e, xShape: [n, h, wIn, cin], cout, tiles: t, vt, uf, workspace, tag },
  };
}

/**
 * Gradients of winogradForward given dy (the loss gradient for y): dw and db always, dx
 * when asked for. Same results as convBackward up to float rounding.
 */
export function winogradBackward(saved: WinogradSaved, dy: tf.Tensor4D, needDx: boolean): { dx?: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D } {
  const { m, k, corePadding: pc, border: e, cout, tiles: t, vt, uf, tag } = saved;
  const ws = saved.workspace ?? noWorkspace;
  const [n, h, wIn, cin] = saved.xShape;
  const kern = kernelsFor(m, k);
  const alpha = m + k - 1;
  const ho = h + 2 * pc - k + 1;
  const wo = wIn + 2 * pc - k + 1;
  const s = n * t;
  const wp = m * t + k - 1;

  const dys = readInto(dy, ws.array(`${tag}dy`, dy.size));
  const db = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D; // (wasm's sum: ~3x a JS loop here)
  const dm = range(alpha).map((xi) => ws.array(`${tag}dm${xi}`, ho * s * cout));
  kern.outputAdjoint(dys, n, ho, wo, cout, t, e, dm);

  const du: Float32Array[] = [];
  const dv: Float32Array[] = [];
  for (let xi = 0; xi < alpha; xi++) {
    tf.tidy(() => {
      const dmT = tf.tensor4d(dm[xi], [1, ho, s, cout]);
      // dU[a, ci, co] = sum_(row, col) VT[row + a, ci, col] dM[row, col, co]: a conv whose
      // taps are dM's rows and whose contraction runs over the S columns (as in
      // convBackpropFilterShifted, with kernel width 1).
      const input = tf.tensor4d(vt[xi], [1, h + 2 * pc, cin, s]);
      const filter = tf.reshape(dmT, [ho, 1, s, cout]) as tf.Tensor4D;
      const g = tf.conv2d(input, filter, 1, 'valid'); // [1, k, Cin, Cout]
      du.push(readInto(g, ws.array(`${tag}du${xi}`, g.size)));
      if (needDx) {
        const gx = tf.conv2d(dmT, tf.tensor4d(uf[xi], [k, 1, cout, cin]), 1, rowPad(k - 1 - pc)); // [1, H, S, Cin]
        dv.push(readInto(gx, ws.array(`${tag}dv${xi}`, gx.size)));
      }
    });
  }
  const dw = new Float32Array(k * k * cin * cout);
  kern.filterAdjoint(du, k, cin * cout, dw);
  const grads: { dx?: tf.Tensor4D; dw: tf.Tensor4D; db: tf.Tensor1D } = {
    dw: tf.tensor4d(dw, [k, k, cin, cout]),
    db,
  };
  if (needDx) {
    const dxp = ws.zeros(`${tag}dxp`, n * h * wp * cin);
    kern.inputAdjoint(dv, n, h, wp, cin, t, dxp);
    const dx = new Float32Array(n * h * wIn * cin);
    for (let row = 0; row < n * h; row++) dx.set(dxp.subarray((row * wp + pc) * cin, (row * wp + pc + wIn) * cin), row * wIn * cin);
    grads.dx = tf.tensor4d(dx, [n, h, wIn, cin]);
  }
  return grads;
}
