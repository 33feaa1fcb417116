// The data of one train/validation split for a recipe, through the feature cache: whole
// 8 kHz signals for training when the recipe augments (needsSignals), else fixed features;
// validation (one set per corpus) and a held-out corpus always get the report's-rule
// features. Unreadable files are listed, not fatal.
import type { Clip } from '../../src/training/corpus.ts';
import { needsSignals, type Recipe } from '../../src/training/recipe.ts';
import type { ProgressReporter, RunInput, TrainItem } from '../../src/training/train-loop.ts';
import type { EvalSet } from '../../src/training/score.ts';
import { loadFeatures, loadSignals, type ClipFailure, type FeatureCache } from '../lib/feature-cache.ts';

export interface LoadedSplit {
  input: RunInput;
  failures: ClipFailure[];
}

/** What a run trains on, what chooses its epoch (per corpus) and what it holds out. */
export interface SplitClips {
  train: Clip[];
  val: { corpus: string; clips: Clip[] }[];
  holdout: { corpus: string; clips: Clip[] } | null;
}

const labelsOf = (c: Clip) => ({ valence: c.valence, arousal: c.arousal });

/** Features / signals of one split, through the cache. */
export function loadSplit(cache: FeatureCache, split: SplitClips, recipe: Recipe, progress: ProgressReporter): LoadedSplit {
  const tick = (what: string) => (p: { done: number; total: number }) => {
    if (p.done === p.total || p.done % 200 === 0) progress.line(`  ${what}: ${p.done}/${p.total}`);
  };
  const failures: ClipFailure[] = [];
  let train: TrainItem[];
  if (needsSignals(recipe)) {
    const r = loadSignals(cache, split.train, tick('train signals'));
    failures.push(...r.failures);
    train = r.items.map(({ clip, value }) => ({ ...labelsOf(clip), corpus: clip.corpus, signal: value }));
  } else {
    const r = loadFeatures(cache, split.train, recipe.config.features, recipe.normalisation, tick('train features'));
    failures.push(...r.failures);
    train = r.items.map(({ clip, value }) => ({ ...labelsOf(clip), corpus: clip.corpus, features: value }));
  }
  const evalSet = (corpus: string, clips: Clip[], what: string): EvalSet => {
    const v = loadFeatures(cache, clips, recipe.config.features, recipe.normalisation, tick(what));
    failures.push(...v.failures);
    return { corpus, features: v.items.map((i) => i.value), labels: v.items.map((i) => labelsOf(i.clip)) };
  };
  const many = split.val.length > 1;
  const val = split.val.map((v) => evalSet(v.corpus, v.clips, many ? `validation features (${v.corpus})` : 'validation features'));
  const holdout = split.holdout ? evalSet(split.holdout.corpus, split.holdout.clips, `held-out features (${split.holdout.corpus})`) : null;
  return { input: { train, val, holdout }, failures };
}

/** Tells the user which files were skipped (the first 20 of them). */
export function describeFailures(failures: readonly ClipFailure[], progress: ProgressReporter): void {
  if (failures.length === 0) return;
  progress.line(`skipped ${failures.length} unreadable file(s):`);
  for (const f of failures.slice(0, 20)) progress.line(`  ${f.path}: ${f.reason}`);
  if (failures.length > 20) progress.line(`  ... and ${failures.length - 20} more`);
}
