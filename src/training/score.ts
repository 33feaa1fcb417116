// Scores a model on labelled feature sets, one corpus at a time (SPEC section 4: each
// dimension and each corpus apart), and the summary that chooses a training run's epoch: the
// mean over the validation corpora of their valence metrics (with one corpus: its metrics).
import type * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../model/config.ts';
import { predict } from '../model/predict.ts';
import type { ValenceMetrics } from './metrics.ts';
import { scoreByCorpus, type CorpusScores } from './corpus-scores.ts';

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

/** Spectrograms per model call. */
const BATCH = 16;

/** The model's metrics on one set. */
export function scoreSet(model: tf.LayersModel, config: CnnConfig, set: EvalSet): CorpusScores {
  const n = set.features.length;
  const valence = new Float32Array(n);
  let arousal: Float32Array | null = null;
  for (let i = 0; i < n; i += BATCH) {
    const p = predict(model, set.features.slice(i, i + BATCH), config);
    valence.set(p.valence, i);
    if (p.arousal) {
      arousal ??= new Float32Array(n);
      arousal.set(p.arousal, i);
    }
  }
  const clips = set.labels.map((l) => ({ ...l, corpus: set.corpus }));
  return scoreByCorpus(clips, { valence, arousal }, [set.corpus]).corpora[0];
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
