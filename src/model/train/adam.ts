// Adam exactly as PyTorch's torch.optim.Adam (bias-corrected, eps added after the square
// root of the corrected second moment, no weight decay), on plain Float32Arrays so the
// single-thread and the parallel trainer share one update. tf.train.adam differs: it puts
// eps inside the bias correction, which changes early steps.

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The report's setup: Adam, lr 1e-4, PyTorch's defaults otherwise. */
export const DEFAULT_ADAM: Readonly<AdamOptions> = Object.freeze({ lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

export class Adam {
  readonly options: AdamOptions;
  /** Steps taken so far (PyTorch's state["step"]). */
  step = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(sizes: readonly number[], options: Partial<AdamOptions> = {}) {
    this.options = { ...DEFAULT_ADAM, ...options };
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
  }

  /** Updates params in place from grads (same order and sizes as the constructor's). */
  update(params: Float32Array[], grads: readonly Float32Array[]): void {
    if (params.length !== this.m.length || grads.length !== this.m.length) {
      throw new Error(`Adam: expected ${this.m.length} parameter tensors, got ${params.length} / ${grads.length}`);
    }
    const { lr, beta1, beta2, eps } = this.options;
    this.step += 1;
    const c1 = 1 - beta1 ** this.step;
    const sqrtC2 = Math.sqrt(1 - beta2 ** this.step);
    const stepSize = lr / c1;
    for (let t = 0; t < params.length; t++) {
      const p = params[t];
      const g = grads[t];
      const m = this.m[t];
      const v = this.v[t];
      if (p.length !== m.length || g.length !== m.length) {
        throw new Error(`Adam: tensor ${t} has ${p.length} / ${g.length} values, expected ${m.length}`);
      }
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
      }
    }
  }
}
