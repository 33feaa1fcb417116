// A personal model from the user's own clips, with an honest score (issue 16 section 2):
// k-fold over the clips, each clip read by a model fine-tuned on the other folds only
// ("after"), against the base model's reading of the same clip ("before"); then the
// personal model itself, fine-tuned on every clip. One fine-tune (fine-tune.ts, the recipe
// evaluate --personalize measures), k + 1 times, over one window pool built once. Runs in the app's calibration worker and
// in Node (the worker's result is tested against it).
import { outputCount } from '../../model/config.ts';
import { knownMetrics, type ValenceMetrics } from '../metrics.ts';
import { fineTune, predictClips, windowPoolFor, type FineTuneHooks, type FineTuneInput } from './fine-tune.ts';
import { assignFolds, calibrationProblem, DEFAULT_FOLDS } from './folds.ts';
import { DEFAULT_PERSONALIZE, PersonalizeError, type PersonalizeRecipe } from './recipe.ts';

export { assignFolds, calibrationProblem, DEFAULT_FOLDS } from './folds.ts';

/** Scores of one set of readings against the clips' labels (null: no known label, or a one-output model's arousal). */
export interface ScoreSet {
  valence: ValenceMetrics | null;
  arousal: ValenceMetrics | null;
}

export interface CalibrationReport {
  clips: number;
  folds: number;
  /** The base model's readings of every clip. */
  before: ScoreSet;
  /** Each clip read by the fold model that did not train on it. */
  after: ScoreSet;
}

export interface CalibrationProgress {
  /** 1-based fine-tune in progress: folds 1..k, then k + 1 for the personal model. */
  run: number;
  runs: number;
  step: number;
  steps: number;
  /** Steps done over every run, of stepsTotal. */
  done: number;
  total: number;
}

export interface CalibrationHooks {
  onProgress?: (p: CalibrationProgress) => void;
  signal?: AbortSignal;
}

export interface CalibrationResult {
  /** The personal model's weights (LayersModel order), trained on every clip. */
  weights: Float32Array[];
  /** The recipe's baseline offset folded into them (null: none). */
  offset: number[] | null;
  report: CalibrationReport;
}

function scores(predicted: Float32Array, input: FineTuneInput): ScoreSet {
  const k = outputCount(input.config);
  const column = (d: number) => Array.from({ length: input.clips.length }, (_, i) => predicted[i * k + d]);
  return {
    valence: knownMetrics(column(0), input.clips.map((c) => c.valence)),
    arousal: k === 2 ? knownMetrics(column(1), input.clips.map((c) => c.arousal)) : null,
  };
}

/** Fine-tunes `input.weights` on the clips with `recipe`, k-fold scored; see the module comment. */
export async function calibrate(
  input: FineTuneInput,
  recipe: PersonalizeRecipe = DEFAULT_PERSONALIZE,
  folds = DEFAULT_FOLDS,
  hooks: CalibrationHooks = {},
): Promise<CalibrationResult> {
  const valence = input.clips.map((c) => c.valence);
  const problem = calibrationProblem(valence, folds);
  if (problem) throw new PersonalizeError(problem);
  const fold = assignFolds(valence, folds, recipe.seed);
  const k = outputCount(input.config);
  const runs = folds + 1;
  const total = runs * recipe.steps;
  const hooksFor = (run: number): FineTuneHooks => ({
    signal: hooks.signal,
    onProgress: (p) => hooks.onProgress?.({ run, runs, step: p.step, steps: p.steps, done: (run - 1) * recipe.steps + p.step, total }),
  });

  const before = predictClips(input, input.weights);
  // One window pool for every run: each fold takes its clips' rows.
  const pool = recipe.pool > 0 ? windowPoolFor(input, recipe) : undefined;
  const poolOf = (keep: (i: number) => boolean) => (pool ? { ...pool, rows: pool.rows.filter((_, i) => keep(i)) } : undefined);
  const after = new Float32Array(before.length);
  for (let f = 0; f < folds; f++) {
    const train = input.clips.filter((_, i) => fold[i] !== f);
    const held = input.clips.map((_, i) => i).filter((i) => fold[i] === f);
    const tuned = await fineTune({ ...input, clips: train, pool: poolOf((i) => fold[i] !== f) }, recipe, hooksFor(f + 1));
    const read = predictClips({ ...input, clips: held.map((i) => input.clips[i]) }, tuned.weights);
    held.forEach((i, j) => after.set(read.subarray(j * k, (j + 1) * k), i * k));
  }
  const personal = await fineTune({ ...input, pool }, recipe, hooksFor(runs));
  return {
    weights: personal.weights,
    offset: personal.offset,
    report: { clips: input.clips.length, folds, before: scores(before, input), after: scores(after, input) },
  };
}
