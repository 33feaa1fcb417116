// The labelled feature sets a training run scores, one corpus at a time (SPEC section 4: each
// dimension and each corpus apart; the gradient workers run the forward pass, eval-pack.ts),
// and the summary that chooses the epoch: the mean over the validation corpora of their
// valence metrics (with one corpus: its metrics).
import type { ValenceMetrics } from './metrics.ts';
import type { CorpusScores } from './corpus-scores.ts';

export type { CorpusScores } from './corpus-scores.ts';

/** A clip's labels; null: unknown. */
export interface Labels {
  valence: number | null;
  arousal: number | null;
}

/** Fixed features of one corpus's clips with their labels (validation or a held-out corpus). */
export interface EvalSet {
  corpus: string;
  features: Float32Array[];
  labels: Labels[];
}

/**
 * The selection summary: with one scored corpus its valence metrics exactly; with several,
 * each metric's mean over the corpora (so a large corpus does not outvote a small one) and
 * n their total. NaN metrics when no corpus has valence labels.
 */
export function summarise(scores: readonly CorpusScores[]): ValenceMetrics {
  const v = scores.flatMap((s) => (s.valence ? [s.valence] : []));
  if (v.length === 1) return { ...v[0] };
  if (v.length === 0) return { n: 0, mse: NaN, ccc: NaN, pearson: NaN, sign_acc: NaN };
  const mean = (k: 'mse' | 'ccc' | 'pearson' | 'sign_acc') => v.reduce((s, m) => s + m[k], 0) / v.length;
  return { n: v.reduce((s, m) => s + m.n, 0), mse: mean('mse'), ccc: mean('ccc'), pearson: mean('pearson'), sign_acc: mean('sign_acc') };
}
