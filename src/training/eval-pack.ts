// The sets a run scores every epoch (validation per corpus, the held-out corpus) packed once
// into one shared array, so the gradient workers run their forward pass in place
// (ParallelTrainer.predict) while the main thread only computes the metrics from the
// outputs (per dimension, over the known labels).
import { ModelError } from '../model/errors.ts';
import type { Prediction } from '../model/predict.ts';
import { scoreByCorpus, type CorpusScores } from './corpus-scores.ts';
import type { EvalSet } from './score.ts';

/** Every set's features, row-major [n, mels x frames], set after set. */
export interface EvalPack {
  x: Float32Array;
  n: number;
  /** First row of each set (same order as the sets packed), and one past the last set. */
  starts: number[];
}

/**
 * Packs the sets' features on a SharedArrayBuffer; checks each has `per` values, all finite
 * (as predict() does: a NaN would silently turn a score into NaN).
 */
export function packEvalSets(sets: readonly EvalSet[], per: number): EvalPack {
  const starts = [0];
  for (const s of sets) starts.push(starts[starts.length - 1] + s.features.length);
  const n = starts[starts.length - 1];
  const x = new Float32Array(new SharedArrayBuffer(4 * n * per));
  sets.forEach((s, k) =>
    s.features.forEach((f, i) => {
      if (f.length !== per) throw new ModelError(`${s.corpus}: input ${i} has ${f.length} values, the model needs ${per}`);
      const bad = f.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ModelError(`${s.corpus}: input ${i} has a non-finite value (${f[bad]}) at index ${bad}`);
      x.set(f, (starts[k] + i) * per);
    }),
  );
  return { x, n, starts };
}

/** One set's valence (and arousal) from the pack's outputs [n, outputs] row-major. */
export function setPrediction(pack: EvalPack, set: number, outputs: Float32Array, k: 1 | 2): Prediction {
  const from = pack.starts[set];
  const count = pack.starts[set + 1] - from;
  const valence = new Float32Array(count);
  const arousal = k === 2 ? new Float32Array(count) : null;
  for (let i = 0; i < count; i++) {
    valence[i] = outputs[(from + i) * k];
    if (arousal) arousal[i] = outputs[(from + i) * k + 1];
  }
  return { valence, arousal };
}

/** A set's metrics from its predictions (per dimension over its known labels). */
export function scorePrediction(set: EvalSet, p: Prediction): CorpusScores {
  const clips = set.labels.map((l) => ({ ...l, corpus: set.corpus }));
  return scoreByCorpus(clips, p, [set.corpus]).corpora[0];
}
