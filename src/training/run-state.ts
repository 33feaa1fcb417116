// What a training run keeps as it goes and a resumed run starts from: each epoch's record,
// the best epoch so far (its weights), and the checkpoint written at the end of every epoch.
// Types only; scripts/train/checkpoint.ts writes and reads checkpoints on disk.
import type { TrainerState } from '../model/train/train-step.ts';
import type { ValenceMetrics } from './metrics.ts';
import type { CorpusScores } from './score.ts';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  seconds: number;
  /** What chooses the epoch: the validation corpora's valence metrics (their mean with several). */
  val: ValenceMetrics;
  /** Each validation corpus apart, both dimensions (absent in checkpoints made before corpora). */
  corpora?: CorpusScores[];
  /** The held-out corpus (leave-one-corpus-out): scored, never used to choose. */
  holdout?: CorpusScores;
}

/** The epoch that scored best on validation so far, with the weights it ended with. */
export interface BestEpoch {
  epoch: number;
  val: ValenceMetrics;
  corpora?: CorpusScores[];
  holdout?: CorpusScores;
  weights: Float32Array[];
}

export interface Checkpoint {
  /** recipeKey of the recipe the run was started with (a resume must match it). */
  recipeKey: string;
  /** Epochs completed. */
  epoch: number;
  history: EpochRecord[];
  best: BestEpoch | null;
  trainer: TrainerState;
  /** With weight averaging: the last epochs' weights, oldest first (weight-average.ts). */
  recent?: Float32Array[][];
}
