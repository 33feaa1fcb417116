// The data of one train/validation split for a recipe, through the feature cache: whole
// 8 kHz signals for training when the recipe augments (needsSignals), else fixed features;
// validation always gets the report's-rule features. Unreadable files are listed, not fatal.
import type { Split } from '../../src/training/split.ts';
import { needsSignals, type Recipe } from '../../src/training/recipe.ts';
import type { ProgressReporter, RunInput, TrainItem } from '../../src/training/train-loop.ts';
import { loadFeatures, loadSignals, type ClipFailure, type FeatureCache } from '../lib/feature-cache.ts';

export interface LoadedSplit {
  input: RunInput;
  failures: ClipFailure[];
}

/** Features / signals of one split, through the cache. */
export function loadSplit(cache: FeatureCache, split: Split, recipe: Recipe, progress: ProgressReporter): LoadedSplit {
  const tick = (what: string) => (p: { done: number; total: number }) => {
    if (p.done === p.total || p.done % 200 === 0) progress.line(`  ${what}: ${p.done}/${p.total}`);
  };
  const failures: ClipFailure[] = [];
  let train: TrainItem[];
  if (needsSignals(recipe)) {
    const r = loadSignals(cache, split.train, tick('train signals'));
    failures.push(...r.failures);
    train = r.items.map(({ clip, value }) => ({ valence: clip.valence, signal: value }));
  } else {
    const r = loadFeatures(cache, split.train, recipe.config.features, recipe.normalisation, tick('train features'));
    failures.push(...r.failures);
    train = r.items.map(({ clip, value }) => ({ valence: clip.valence, features: value }));
  }
  const v = loadFeatures(cache, split.val, recipe.config.features, recipe.normalisation, tick('validation features'));
  failures.push(...v.failures);
  return {
    input: { train, val: { features: v.items.map((i) => i.value), valence: v.items.map((i) => i.clip.valence) } },
    failures,
  };
}

/** Tells the user which files were skipped (the first 20 of them). */
export function describeFailures(failures: readonly ClipFailure[], progress: ProgressReporter): void {
  if (failures.length === 0) return;
  progress.line(`skipped ${failures.length} unreadable file(s):`);
  for (const f of failures.slice(0, 20)) progress.line(`  ${f.path}: ${f.reason}`);
  if (failures.length > 20) progress.line(`  ... and ${failures.length - 20} more`);
}
