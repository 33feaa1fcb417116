// Fast gradients for the CNN's layers, built only from ops the TF.js wasm backend runs well
// (XNNPACK conv2d, transpose, resize, elementwise; a few reshuffles in JS). The wasm backend has no
// Conv2DBackpropFilter kernel and the cpu backend is minutes per step, so the training step
// (train-step.ts) calls these directly; conv2dFast wraps them as a tf.customGrad op for
// anyone who wants autodiff instead.
//
// Convolutions are stride 1 with symmetric zero padding p, like PyTorch's Conv2d(padding=p).
// When p > k - 1 (the seed: k 5, p 7), the outermost p - (k - 1) output rows and columns see
// only padding, so they equal the bias: we convolve with padding min(p, k - 1) (the "core")
// and add the constant border, which skips about a third of the seed model's work.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, Pooling } from '../config.ts';

/** Where a padded stride-1 convolution does real work. */
export interface ConvGeometry {
  kernelSize: number;
  padding: number;
  /** Padding of the core convolution: min(padding, kernelSize - 1). */
  corePadding: number;
  /** Output rows (and columns) on each side that see only padding: padding - corePadding. */
  border: number;
}

export function convGeometry(kernelSize: number, padding: number): ConvGeometry {
  const corePadding = Math.min(padding, kernelSize - 1);
  return { kernelSize, padding, corePadding, border: padding - corePadding };
}

// Explicit padding: tf.conv2d's numeric padding computes the output size as if the filter
// were square, which is wrong for the dW convolution (its "filter" is dy).
type Pad = 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const padArg = (p: number): Pad => (p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]]);

/** y = conv2d(pad(x, padding), w) + b; x NHWC, w HWIO [k, k, Cin, Cout], b [Cout]. */
export function convForward(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, padding: number): tf.Tensor4D {
  const g = convGeometry(w.shape[0], padding);
  return tf.tidy(() => {
    const core = tf.conv2d(x, w, 1, padArg(g.corePadding));
    const e = g.border;
    const full = e === 0 ? core : tf.pad(core, [[0, 0], [e, e], [e, e], [0, 0]]);
    return tf.add(full, b);
  });
}

export interface ConvGrads {
  /** Gradient for the input; absent when not asked for (the first layer needs none). */
  dx?: tf.Tensor4D;
  dw: tf.Tensor4D;
  db: tf.Tensor1D;
}

/**
 * Gradients of convForward given dy (the loss gradient for its output).
 * dw: convBackpropFilterShifted. dx: a conv2d of dy with the kernel rotated 180 degrees and
 * in/out swapped. Only the core of dy enters both: the border's inputs are all padding.
 */
export function convBackward(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  dy: tf.Tensor4D,
  padding: number,
  needDx: boolean,
  wFlipped?: tf.Tensor4D,
): ConvGrads {
  const k = w.shape[0];
  const g = convGeometry(k, padding);
  return tf.tidy(() => {
    const db = tf.sum(dy, [0, 1, 2]) as tf.Tensor1D;
    const e = g.border;
    const dyCore = e === 0 ? dy : cropBorder(dy, e);
    const dw = convBackpropFilterShifted(x, dyCore, g.corePadding);
    if (!needDx) return { dw, db };
    const dx = convBackpropInput(dyCore, w, g.corePadding, wFlipped);
    return { dx, dw, db };
  });
}

/** Drops e rows and columns on every side of an NHWC tensor. */
export function cropBorder(t: tf.Tensor4D, e: number): tf.Tensor4D {
  const [n, h, w, c] = t.shape;
  // As a 3D slice of [N, H, W*C]: wasm slices in JS, one copy per contiguous run, and the
  // runs are then whole rows instead of single pixels (10x faster here).
  const rows = tf.reshape(t, [n, h, w * c]) as tf.Tensor3D;
  return tf.reshape(tf.slice(rows, [0, e, e * c], [n, h - 2 * e, (w - 2 * e) * c]), [n, h - 2 * e, w - 2 * e, c]);
}

/**
 * The input of convBackpropFilterShifted as plain values: for x NHWC [n, h, w, c], padding p
 * and kernel width k, out[r, ci, b, nn, j] = xpad[nn, r, b + j, ci] (shape [h + 2p, c, k, n,
 * wo], wo = w + 2p - k + 1; zero where xpad is padding). A JS loop: slices + stack on wasm
 * took 2-3x as long; a depthwise conv with one-hot taps + transpose + pad was no faster in
 * wall time (~3.8 vs ~2.2 ms per seed step and worker in a kernel profile).
 */
export function shiftedColumns(x: Float32Array, shape: readonly number[], k: number, p: number): Float32Array {
  const [n, h, w, c] = shape;
  const hp = h + 2 * p;
  const wo = w + 2 * p - k + 1;
  const run = n * wo;
  const out = new Float32Array(hp * c * k * run);
  for (let r = p; r < p + h; r++) {
    for (let ci = 0; ci < c; ci++) {
      for (let b = 0; b < k; b++) {
        const dst = ((r * c + ci) * k + b) * run;
        // Columns j whose source column b + j - p lies inside x.
        const j0 = Math.max(0, p - b);
        const j1 = Math.min(wo, w + p - b);
        for (let nn = 0; nn < n; nn++) {
          const src = ((nn * h + r - p) * w + (b - p)) * c + ci;
          const d = dst + nn * wo;
          for (let j = j0; j < j1; j++) out[d + j] = x[src + j * c];
        }
      }
    }
  }
  return out;
}

/**
 * dL/dw of conv2d(x, w, pad p) (no border trick) from dL/dy; returns HWIO.
 * One conv2d whose taps are dy's rows and whose contraction channels are (sample, column)
 * pairs, so XNNPACK's inner loop runs over N * Wo values instead of N (the textbook form,
 * a conv2d with batch and channels swapped, ran at ~25 instead of ~37 GFLOP/s):
 *   input  I [1, h + 2p, Cin * k, N * Wo]  (shiftedColumns: column shift b baked in),
 *   filter F [Ho, 1, N * Wo, Cout]          (dy with rows first),
 *   output [1, k, Cin * k, Cout] = dw[a, b, ci, co] laid out as [a, ci, b, co].
 * A single image: XNNPACK's row tiles do not span images, and k-wide images waste them.
 */
export function convBackpropFilterShifted(x: tf.Tensor4D, dy: tf.Tensor4D, padding: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  const k = h + 2 * padding - ho + 1;
  if (w + 2 * padding - wo + 1 !== k) throw new Error(`convBackpropFilterShifted: dy [${dy.shape}] does not fit x [${x.shape}] with padding ${padding}`);
  return tf.tidy(() => {
    const shifted = shiftedColumns(x.dataSync() as Float32Array, x.shape, k, padding);
    const input = tf.tensor4d(shifted, [1, h + 2 * padding, c * k, n * wo]);
    const rowsFirst = n === 1 ? dy : tf.transpose(dy, [1, 0, 2, 3]);
    const filter = tf.reshape(rowsFirst, [ho, 1, n * wo, cout]) as tf.Tensor4D;
    const out = tf.conv2d(input, filter, 1, 'valid'); // [1, k, c * k, cout]
    return tf.transpose(tf.reshape(out, [k, c, k, cout]), [0, 2, 1, 3]) as tf.Tensor4D;
  });
}

/**
 * The kernel of the input-gradient convolution: w rotated 180 degrees with in / out
 * swapped, [k, k, Cout, Cin]. (The taps are reversed with a gather: wasm's Reverse is slow.)
 */
export function flipKernel(w: tf.Tensor4D): tf.Tensor4D {
  const [k, , cin, cout] = w.shape;
  return tf.tidy(() => {
    const taps = tf.tensor1d(Array.from({ length: k * k }, (_, i) => k * k - 1 - i), 'int32');
    const rotated = tf.reshape(tf.gather(tf.reshape(w, [k * k, cin * cout]), taps), [k, k, cin, cout]);
    return tf.transpose(rotated, [0, 1, 3, 2]) as tf.Tensor4D;
  });
}

/** flipKernel on plain values (HWIO, shape [k, k, Cin, Cout]): cheaper than any wasm op here. */
export function flipKernelValues(w: Float32Array, shape: readonly number[]): Float32Array {
  const [k, , cin, cout] = shape;
  const out = new Float32Array(w.length);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const src = ((k - 1 - a) * k + (k - 1 - b)) * cin * cout;
      const dst = (a * k + b) * cout * cin;
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) out[dst + o * cin + i] = w[src + i * cout + o];
      }
    }
  }
  return out;
}

/**
 * dL/dx of conv2d(x, w, pad p) (no border trick) from dL/dy; x's size is implied.
 * wFlipped: flipKernel(w), where the caller has it already.
 */
export function convBackpropInput(dy: tf.Tensor4D, w: tf.Tensor4D, padding: number, wFlipped?: tf.Tensor4D): tf.Tensor4D {
  const k = w.shape[0];
  return tf.tidy(() => {
    // dx[i] = sum_a dy[i + p - a] w[a]: a correlation of dy with the flipped kernel.
    const f = wFlipped ?? flipKernel(w);
    return tf.conv2d(dy, f, 1, padArg(k - 1 - padding));
  });
}

/** convForward as an op with a custom gradient (x, w and b all get gradients). */
export function conv2dFast(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, padding: number): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, wi, bi, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: convForward(xi, wi, bi, padding),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const r = convBackward(xs, ws, dy, padding, true);
        return [r.dx as tf.Tensor4D, r.dw, r.db];
      },
    };
  });
  return op(x, w, b) as tf.Tensor4D;
}

export function activate(z: tf.Tensor4D, activation: Activation): tf.Tensor4D {
  return activation === 'relu' ? tf.relu(z) : tf.sigmoid(z);
}

/** dL/dz from dL/da, where a = activate(z); uses the output a only. */
export function activationBackward(da: tf.Tensor4D, a: tf.Tensor4D, activation: Activation): tf.Tensor4D {
  return tf.tidy(() => {
    if (activation === 'relu') return tf.mul(da, tf.step(a)); // step(0) = 0, like PyTorch
    return tf.mul(da, tf.mul(a, tf.sub(1, a)));
  });
}

/** 2x2 pooling, stride 2, dropping an odd last row / column (PyTorch's floor mode). */
export function poolForward(a: tf.Tensor4D, pooling: Pooling): tf.Tensor4D {
  return pooling === 'avg' ? tf.avgPool(a, 2, 2, 'valid') : tf.maxPool(a, 2, 2, 'valid');
}

/**
 * dL/da from dL/dp, where p = poolForward(a). Max pooling sends each gradient to the first
 * maximum of its window in row-major order, as PyTorch and TF.js's cpu kernel do.
 */
export function poolBackward(dp: tf.Tensor4D, a: tf.Tensor4D, p: tf.Tensor4D, pooling: Pooling): tf.Tensor4D {
  const [n, h, w, c] = a.shape;
  const [, hp, wp] = dp.shape;
  return tf.tidy(() => {
    let full: tf.Tensor4D;
    if (pooling === 'avg') {
      full = tf.image.resizeNearestNeighbor(tf.mul(dp, 0.25) as tf.Tensor4D, [2 * hp, 2 * wp]);
    } else {
      // The four window positions as strided views, their first-max masks, then interleave.
      const end = [n, 2 * hp, 2 * wp, c];
      const q = (r: number, s: number) => tf.stridedSlice(a, [0, r, s, 0], end, [1, 2, 2, 1]) as tf.Tensor4D;
      const masked = (m: tf.Tensor) => tf.mul(dp, tf.cast(m, 'float32'));
      let taken = tf.equal(q(0, 0), p);
      const g00 = masked(taken);
      const pick = (r: number, s: number) => {
        const m = tf.logicalAnd(tf.equal(q(r, s), p), tf.logicalNot(taken));
        taken = tf.logicalOr(taken, m);
        return masked(m);
      };
      const g01 = pick(0, 1);
      const g10 = pick(1, 0);
      const g11 = masked(tf.logicalNot(taken));
      const row = (left: tf.Tensor, right: tf.Tensor) => tf.reshape(tf.stack([left, right], 3), [n, hp, 2 * wp, c]);
      full = tf.reshape(tf.stack([row(g00, g01), row(g10, g11)], 2), [n, 2 * hp, 2 * wp, c]) as tf.Tensor4D;
    }
    const dh = h - 2 * hp;
    const dw = w - 2 * wp;
    return dh === 0 && dw === 0 ? full : tf.pad(full, [[0, 0], [0, dh], [0, dw], [0, 0]]);
  });
}
