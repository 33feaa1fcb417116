// The metrics of SPEC section 4 for each dimension and each corpus apart, plus the pooled
// score over all clips: a pooled score alone hides a corpus that fails. A clip whose label
// of a dimension is unknown takes no part in that dimension (knownMetrics). Pure.
import type { Clip } from './corpus.ts';
import { knownMetrics, type ValenceMetrics } from './metrics.ts';

/** The metrics of one group of clips; null where the dimension cannot be scored. */
export interface DimensionScores {
  /** Over the clips with a known valence label; null when none has one. */
  valence: ValenceMetrics | null;
  /** Over the clips with a known arousal label; null for a one-output model or when none has one. */
  arousal: ValenceMetrics | null;
}

export interface CorpusScores extends DimensionScores {
  /** The corpus name (clip.corpus). */
  corpus: string;
  /** Clips scored (with a label of either dimension). */
  clips: number;
}

export interface ScoresByCorpus {
  /**
   * One entry per corpus, in `order` (kept when none of its clips could be read, with null
   * metrics), then any corpus not named there, in first-seen order.
   */
  corpora: CorpusScores[];
  /** Every clip together. */
  pooled: DimensionScores & { clips: number };
}

/** Predictions in clip order; arousal null for a one-output model. */
export interface Predictions {
  valence: ArrayLike<number>;
  arousal: ArrayLike<number> | null;
}

type Labelled = Pick<Clip, 'valence' | 'arousal' | 'corpus'>;

function scoresOf(clips: readonly Labelled[], index: readonly number[], pred: Predictions): DimensionScores {
  const pick = (values: ArrayLike<number>) => index.map((i) => values[i]);
  return {
    valence: knownMetrics(pick(pred.valence), index.map((i) => clips[i].valence)),
    arousal: pred.arousal ? knownMetrics(pick(pred.arousal), index.map((i) => clips[i].arousal)) : null,
  };
}

/** Scores each corpus of `clips` apart and all of them pooled. */
export function scoreByCorpus(clips: readonly Labelled[], pred: Predictions, order: readonly string[] = []): ScoresByCorpus {
  if (pred.valence.length !== clips.length || (pred.arousal && pred.arousal.length !== clips.length)) {
    throw new Error(`${pred.valence.length} predictions for ${clips.length} clips`);
  }
  const groups = new Map<string, number[]>(order.map((name) => [name, []]));
  clips.forEach((c, i) => {
    const group = groups.get(c.corpus);
    if (group) group.push(i);
    else groups.set(c.corpus, [i]);
  });
  const corpora = [...groups].map(([corpus, index]): CorpusScores => ({ corpus, clips: index.length, ...scoresOf(clips, index, pred) }));
  const all = clips.map((_, i) => i);
  return { corpora, pooled: { clips: clips.length, ...scoresOf(clips, all, pred) } };
}
