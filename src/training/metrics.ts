// Valence metrics of SPEC section 4: MSE, CCC (concordance correlation coefficient),
// Pearson r and sign accuracy on clips whose label is not 0. Sums in float64. A metric that
// is undefined for the data (r of a constant series; CCC of labels that do not vary, as with
// one clip) is NaN; JSON writes it as null, text as n/a, and it never chooses an epoch.

/** The metrics evaluate prints and training logs, with the names of its --json contract. */
export interface ValenceMetrics {
  n: number;
  mse: number;
  ccc: number;
  pearson: number;
  sign_acc: number;
}

export class MetricsError extends Error {
  override name = 'MetricsError';
}

type Values = ArrayLike<number>;

function check(pred: Values, label: Values): number {
  if (pred.length !== label.length) {
    throw new MetricsError(`${pred.length} predictions for ${label.length} labels`);
  }
  if (pred.length === 0) throw new MetricsError('no predictions to score');
  return pred.length;
}

/** Mean as x[0] + mean(x - x[0]): exactly x[0] for a constant series, so its variance is exactly 0. */
function mean(x: Values): number {
  const shift = x[0];
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] - shift;
  return shift + s / x.length;
}

/** Means, population variances and covariance of two equally long series. */
function moments(p: Values, y: Values): { mp: number; my: number; vp: number; vy: number; cov: number } {
  const mp = mean(p);
  const my = mean(y);
  let vp = 0;
  let vy = 0;
  let cov = 0;
  for (let i = 0; i < p.length; i++) {
    const dp = p[i] - mp;
    const dy = y[i] - my;
    vp += dp * dp;
    vy += dy * dy;
    cov += dp * dy;
  }
  const n = p.length;
  return { mp, my, vp: vp / n, vy: vy / n, cov: cov / n };
}

/** Mean squared error. */
export function mse(pred: Values, label: Values): number {
  const n = check(pred, label);
  let s = 0;
  for (let i = 0; i < n; i++) s += (pred[i] - label[i]) ** 2;
  return s / n;
}

/**
 * Lin's CCC: 2 cov / (var_p + var_y + (mean_p - mean_y)^2), population moments. NaN when the
 * labels do not vary (one clip, or one label value): the covariance is then 0 whatever the
 * prediction, so the 0 it would give measures nothing. A constant prediction of varying
 * labels is 0, rightly: it follows none of them.
 */
export function ccc(pred: Values, label: Values): number {
  check(pred, label);
  const { mp, my, vp, vy, cov } = moments(pred, label);
  return vy === 0 ? NaN : (2 * cov) / (vp + vy + (mp - my) ** 2);
}

/** Pearson's r; NaN when either series is constant. */
export function pearson(pred: Values, label: Values): number {
  check(pred, label);
  const { vp, vy, cov } = moments(pred, label);
  return vp === 0 || vy === 0 ? NaN : cov / Math.sqrt(vp * vy);
}

/**
 * Share of clips with a non-zero label whose prediction has the label's sign (a prediction
 * of exactly 0 counts as wrong); NaN when every label is 0.
 */
export function signAccuracy(pred: Values, label: Values): number {
  const n = check(pred, label);
  let scored = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    if (label[i] === 0) continue;
    scored++;
    if (Math.sign(pred[i]) === Math.sign(label[i])) right++;
  }
  return scored === 0 ? NaN : right / scored;
}

/** A metric as text: `digits` decimals, or n/a where it is undefined (NaN, or a checkpoint's JSON null). */
export function metricText(x: number | null, digits = 4): string {
  return x !== null && Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** All metrics at once. */
export function allMetrics(pred: Values, label: Values): ValenceMetrics {
  const n = check(pred, label);
  return { n, mse: mse(pred, label), ccc: ccc(pred, label), pearson: pearson(pred, label), sign_acc: signAccuracy(pred, label) };
}

/**
 * The metrics over the clips whose label is known (SPEC section 3: an unknown label, NaN or
 * null here, takes no part in that dimension's metrics); null when no label is known.
 */
export function knownMetrics(pred: Values, label: ArrayLike<number | null>): ValenceMetrics | null {
  if (pred.length !== label.length) throw new MetricsError(`${pred.length} predictions for ${label.length} labels`);
  const p: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const v = label[i];
    if (v === null || !Number.isFinite(v)) continue;
    p.push(pred[i]);
    y.push(v);
  }
  return y.length === 0 ? null : allMetrics(p, y);
}
