// Adam exactly as PyTorch's torch.optim.Adam (bias-corrected, eps added after the square
// root of the corrected second moment, no weight decay), on plain Float32Arrays so the
// single-thread and the parallel trainer share one update (the parallel trainer's workers
// each run adamUpdateRange on part of one flat parameter vector). tf.train.adam differs: it
// puts eps inside the bias correction, which changes early steps.

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The report's setup: Adam, lr 1e-4, PyTorch's defaults otherwise. */
export const DEFAULT_ADAM: Readonly<AdamOptions> = Object.freeze({ lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

/**
 * Adam step number `step` (1 for the first) on elements [from, to) of p, m and v, in place.
 * The gradient is the sum of `grads` (summed in order: data-parallel shards add up to the
 * batch's gradient).
 */
export function adamUpdateRange(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  grads: readonly Float32Array[],
  from: number,
  to: number,
  step: number,
  options: AdamOptions,
): void {
  const { lr, beta1, beta2, eps } = options;
  const c1 = 1 - beta1 ** step;
  const sqrtC2 = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / c1;
  const g0 = grads[0];
  const g1 = grads.length > 1 ? grads[1] : null;
  for (let i = from; i < to; i++) {
    let gi = g0[i];
    if (g1) {
      gi += g1[i];
      for (let s = 2; s < grads.length; s++) gi += grads[s][i];
    }
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
  }
}

/** Adam's state: first and second moments, one array per parameter tensor. */
export interface AdamMoments {
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  readonly options: AdamOptions;
  /** Steps taken so far (PyTorch's state["step"]). */
  step = 0;
  readonly m: Float32Array[];
  readonly v: Float32Array[];

  /** moments: storage to use (zeros for a fresh start, or a saved state); new zeros if absent. */
  constructor(sizes: readonly number[], options: Partial<AdamOptions> = {}, moments?: AdamMoments) {
    this.options = { ...DEFAULT_ADAM, ...options };
    if (moments) {
      const ok = (a: Float32Array[]) => a.length === sizes.length && a.every((t, i) => t.length === sizes[i]);
      if (!ok(moments.m) || !ok(moments.v)) throw new Error('Adam: moments do not match the parameter sizes');
    }
    this.m = moments?.m ?? sizes.map((n) => new Float32Array(n));
    this.v = moments?.v ?? sizes.map((n) => new Float32Array(n));
  }

  /** Updates params in place from grads (same order and sizes as the constructor's). */
  update(params: Float32Array[], grads: readonly Float32Array[]): void {
    if (params.length !== this.m.length || grads.length !== this.m.length) {
      throw new Error(`Adam: expected ${this.m.length} parameter tensors, got ${params.length} / ${grads.length}`);
    }
    params.forEach((p, t) => {
      if (p.length !== this.m[t].length || grads[t].length !== this.m[t].length) {
        throw new Error(`Adam: tensor ${t} has ${p.length} / ${grads[t].length} values, expected ${this.m[t].length}`);
      }
    });
    this.step += 1;
    for (let t = 0; t < params.length; t++) {
      adamUpdateRange(params[t], this.m[t], this.v[t], [grads[t]], 0, params[t].length, this.step, this.options);
    }
  }
}
