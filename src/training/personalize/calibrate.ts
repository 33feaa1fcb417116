// A personal model from the user's own clips, with an honest score (issue 16 section 2):
// k-fold over the clips, each clip read by a model fine-tuned on the other folds only
// ("after"), against the base model's reading of the same clip ("before"); then the
// personal model itself, fine-tuned on every clip. One fine-tune (fine-tune.ts, the recipe
// evaluate --personalize measures), k + 1 times, over one window pool built once. The runs
// are independent, so calibrateRuns does any share of them: the app deals them to parallel
// workers (calibration-report.ts assembles the report), Node runs them all in turn
// (calibrate); each run's result is the same either way.
import { outputCount } from '../../model/config.ts';
import { calibrationReport, type CalibrationReadings, type CalibrationReport, type FoldReadings } from './calibration-report.ts';
import { fineTune, predictClips, windowPoolFor, type FineTuneHooks, type FineTuneInput, type FineTuneResult } from './fine-tune.ts';
import { assignFolds, calibrationProblem, DEFAULT_FOLDS } from './folds.ts';
import { DEFAULT_PERSONALIZE, PersonalizeError, type PersonalizeRecipe } from './recipe.ts';

export { assignFolds, calibrationProblem, DEFAULT_FOLDS } from './folds.ts';
export type { CalibrationReport, ScoreSet } from './calibration-report.ts';

export interface CalibrationProgress {
  /** 1-based fine-tune in progress: folds 1..k, then k + 1 for the personal model. */
  run: number;
  runs: number;
  step: number;
  steps: number;
  /** Steps done over the runs of this call (every run, for calibrate), of `total`. */
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

export interface RunsOptions {
  /** Also read every clip with the base model (one share of a calibration must). */
  before: boolean;
}

export interface RunsResult {
  readings: CalibrationReadings;
  /** The personal model's fine-tune, when run folds + 1 was among the runs. */
  personal: FineTuneResult | null;
}

/** Refuses clips that cannot be scored; the folds of the clips otherwise. */
export function calibrationFolds(input: FineTuneInput, recipe: PersonalizeRecipe, folds: number): number[] {
  const valence = input.clips.map((c) => c.valence);
  const problem = calibrationProblem(valence, folds);
  if (problem) throw new PersonalizeError(problem);
  return assignFolds(valence, folds, recipe.seed);
}

/** Runs `runs` (1..folds: fold models; folds + 1: the personal model) of the calibration of `input`, in that order. */
export async function calibrateRuns(
  input: FineTuneInput,
  recipe: PersonalizeRecipe,
  folds: number,
  runs: readonly number[],
  options: RunsOptions,
  hooks: CalibrationHooks = {},
): Promise<RunsResult> {
  const fold = calibrationFolds(input, recipe, folds);
  const bad = runs.find((r) => !Number.isInteger(r) || r < 1 || r > folds + 1);
  if (bad !== undefined) throw new PersonalizeError(`run ${bad} is not one of 1..${folds + 1}`);
  const total = runs.length * recipe.steps;
  const hooksFor = (run: number, index: number): FineTuneHooks => ({
    signal: hooks.signal,
    onProgress: (p) => hooks.onProgress?.({ run, runs: folds + 1, step: p.step, steps: p.steps, done: index * recipe.steps + p.step, total }),
  });

  const before = options.before ? predictClips(input, input.weights) : null;
  // One window pool for every run: each fold takes its clips' rows.
  const pool = recipe.pool > 0 ? windowPoolFor(input, recipe) : undefined;
  const poolOf = (keep: (i: number) => boolean) => (pool ? { ...pool, rows: pool.rows.filter((_, i) => keep(i)) } : undefined);
  const after: FoldReadings[] = [];
  let personal: FineTuneResult | null = null;
  for (const [index, run] of runs.entries()) {
    if (run === folds + 1) {
      personal = await fineTune({ ...input, pool }, recipe, hooksFor(run, index));
      continue;
    }
    const f = run - 1;
    const train = input.clips.filter((_, i) => fold[i] !== f);
    const held = input.clips.map((_, i) => i).filter((i) => fold[i] === f);
    const tuned = await fineTune({ ...input, clips: train, pool: poolOf((i) => fold[i] !== f) }, recipe, hooksFor(run, index));
    after.push({ fold: f, clips: held, values: predictClips({ ...input, clips: held.map((i) => input.clips[i]) }, tuned.weights) });
  }
  return { readings: { before, after }, personal };
}

/** Every run in turn and the report; see the module comment. */
export async function calibrate(
  input: FineTuneInput,
  recipe: PersonalizeRecipe = DEFAULT_PERSONALIZE,
  folds = DEFAULT_FOLDS,
  hooks: CalibrationHooks = {},
): Promise<CalibrationResult> {
  const runs = Array.from({ length: folds + 1 }, (_, i) => i + 1);
  const { readings, personal } = await calibrateRuns(input, recipe, folds, runs, { before: true }, hooks);
  if (!personal) throw new Error('calibration: the personal model was not trained');
  return {
    weights: personal.weights,
    offset: personal.offset,
    report: calibrationReport(input.clips, outputCount(input.config), folds, [readings]),
  };
}
