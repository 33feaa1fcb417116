// What a training run keeps as it goes and a resumed run starts from: each epoch's record,
// the best epoch so far (its weights), and the checkpoint written at the end of every epoch.
// Types only; scripts/train/checkpoint.ts writes and reads checkpoints on disk.
import type { TrainerState } from '../model/train/train-step.ts';
import type { ValenceMetrics } from './metrics.ts';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  seconds: number;
  val: ValenceMetrics;
}

/** The epoch that scored best on validation so far, with the weights it ended with. */
export interface BestEpoch {
  epoch: number;
  val: ValenceMetrics;
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
}
