// The folds of a calibration's honest score (calibrate.ts) and what clips it needs: pure,
// no TF.js, so the page and the CLI can check the clips before anything heavy loads.
import { createRng, shuffled } from '../random.ts';
import { PersonalizeError } from './recipe.ts';
import { strata } from './select.ts';

/**
 * Folds of the honest score. Three, not four: a calibration is folds + 1 fine-tunes, and four
 * of them split evenly over the two workers of a 2-core machine (two rounds, against three
 * for five), which is what brings it near a minute there. Each fold model then learns from
 * two thirds of the clips (8 of 12) rather than three quarters, so the score is a little
 * pessimistic for the personal model, which learns from all of them.
 */
export const DEFAULT_FOLDS = 3;

/** The fewest clips a calibration takes: two per fold leave every fold model something to learn from. */
export const MIN_CALIBRATION_CLIPS = 2 * DEFAULT_FOLDS;

/**
 * Fold of each clip: the clips of each valence label (select.ts's strata) shuffled with
 * `seed` and dealt in turn, the deal running on from one label to the next, so every fold
 * gets about its share of each label and the folds' sizes differ by at most one.
 */
export function assignFolds(valence: readonly (number | null)[], folds: number, seed: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new PersonalizeError(`folds must be a whole number >= 2, got ${folds}`);
  if (valence.length < folds) throw new PersonalizeError(`${valence.length} clips cannot make ${folds} folds: record at least ${folds}`);
  const rng = createRng(seed);
  const fold = new Array<number>(valence.length);
  let next = 0;
  for (const group of strata(valence)) for (const i of shuffled(group, rng)) fold[i] = next++ % folds;
  return fold;
}

/** Refuses clips that cannot give a meaningful score: too few, or one label only (CCC needs labels that vary). */
export function calibrationProblem(valence: readonly (number | null)[], folds = DEFAULT_FOLDS): string | null {
  const min = 2 * folds;
  if (valence.length < min) return `Calibration needs at least ${min} clips; there ${valence.length === 1 ? 'is' : 'are'} ${valence.length}.`;
  const known = new Set(valence.filter((v) => v !== null));
  if (known.size < 2) return 'Calibration needs clips of at least two different tones (for example neutral and happy).';
  return null;
}
