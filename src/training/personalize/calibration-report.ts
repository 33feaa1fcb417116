// The pieces of a calibration (calibrate.ts) that need no TF.js: which of its k + 1
// fine-tunes each of several workers runs, and the honest report put together from what
// they read. The page runs the fine-tunes in parallel workers and assembles the report
// here; Node runs them in turn and assembles it with the same function, so both agree.
import { knownMetrics, type ValenceMetrics } from '../metrics.ts';
import type { Labels } from '../score.ts';

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

/** What one fold's model read: its held-out clips (indices) and their readings, `outputs` values each. */
export interface FoldReadings {
  fold: number;
  clips: number[];
  values: Float32Array;
}

/** The readings a share of the runs produced (calibrateRuns). */
export interface CalibrationReadings {
  /** The base model's readings of every clip, `outputs` values each, when this share made them. */
  before: Float32Array | null;
  after: FoldReadings[];
}

/**
 * Runs 1..folds are the fold models, folds + 1 the personal model. Dealt to `workers`
 * (at most one per run, at least one) in turn, the personal model first so that the worker
 * that must also write the model folder starts on it.
 */
export function dealRuns(folds: number, workers: number): number[][] {
  const runs = [folds + 1, ...Array.from({ length: folds }, (_, i) => i + 1)];
  const n = Math.max(1, Math.min(Math.floor(workers) || 1, runs.length));
  const shares: number[][] = Array.from({ length: n }, () => []);
  runs.forEach((run, i) => shares[i % n].push(run));
  return shares;
}

function scores(predicted: Float32Array, clips: readonly Labels[], outputs: number): ScoreSet {
  const column = (d: number) => Array.from({ length: clips.length }, (_, i) => predicted[i * outputs + d]);
  return {
    valence: knownMetrics(column(0), clips.map((c) => c.valence)),
    arousal: outputs === 2 ? knownMetrics(column(1), clips.map((c) => c.arousal)) : null,
  };
}

/** The report from every share's readings: refuses a missing or repeated fold, or no "before". */
export function calibrationReport(clips: readonly Labels[], outputs: number, folds: number, shares: readonly CalibrationReadings[]): CalibrationReport {
  const before = shares.find((s) => s.before)?.before;
  if (!before) throw new Error('calibration: no share read the clips with the base model');
  const after = new Float32Array(clips.length * outputs);
  const seen = new Set<number>();
  const covered = new Set<number>();
  for (const r of shares.flatMap((s) => s.after)) {
    if (seen.has(r.fold)) throw new Error(`calibration: fold ${r.fold + 1} was read twice`);
    seen.add(r.fold);
    r.clips.forEach((c, j) => {
      after.set(r.values.subarray(j * outputs, (j + 1) * outputs), c * outputs);
      covered.add(c);
    });
  }
  if (seen.size !== folds || covered.size !== clips.length) {
    throw new Error(`calibration: ${seen.size} of ${folds} folds read, ${covered.size} of ${clips.length} clips`);
  }
  return { clips: clips.length, folds, before: scores(before, clips, outputs), after: scores(after, clips, outputs) };
}
