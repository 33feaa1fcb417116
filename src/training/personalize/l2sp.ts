// The L2-SP pull towards the base model's weights (Li et al. 2018, "Explicit inductive bias
// for transfer learning"): (alpha / 2) * sum |w - w_base|^2 over the trained tensors, so a
// fine-tune on a dozen clips keeps what the base learnt from thousands. Pure arrays.

/** The penalty over the tensors marked trainable. */
export function l2spPenalty(params: readonly Float32Array[], base: readonly Float32Array[], alpha: number, trainable: readonly boolean[]): number {
  let sum = 0;
  params.forEach((p, t) => {
    if (!trainable[t]) return;
    const b = base[t];
    for (let i = 0; i < p.length; i++) sum += (p[i] - b[i]) ** 2;
  });
  return (alpha / 2) * sum;
}

/**
 * Adds the penalty's gradient, alpha * (w - w_base), to the trainable tensors' gradients
 * and zeroes the frozen ones' (Adam then leaves them exactly where they are). In place.
 */
export function addL2spGradient(
  grads: Float32Array[],
  params: readonly Float32Array[],
  base: readonly Float32Array[],
  alpha: number,
  trainable: readonly boolean[],
): void {
  grads.forEach((g, t) => {
    if (!trainable[t]) {
      g.fill(0);
      return;
    }
    if (alpha === 0) return;
    const p = params[t];
    const b = base[t];
    for (let i = 0; i < g.length; i++) g[i] += alpha * (p[i] - b[i]);
  });
}
