// Which of a speaker's clips a personal fine-tune trains on when the rest are scored
// (npm run evaluate -- --personalize K): K clips stratified by valence label, drawn with a
// fixed seed, so each label keeps about its share and every label is there at least once.
// Pure.
import { createRng, shuffled } from '../random.ts';
import { PersonalizeError } from './recipe.ts';

/** Indices into the speaker's clips: the K to train on and the others, each ascending. */
export interface ClipSelection {
  train: number[];
  rest: number[];
}

/** Strata: the clips of each distinct valence label (unknown is one), labels ascending, unknown last. */
export function strata(valence: readonly (number | null)[]): number[][] {
  const groups = new Map<number | null, number[]>();
  valence.forEach((v, i) => {
    const g = groups.get(v);
    if (g) g.push(i);
    else groups.set(v, [i]);
  });
  const key = (v: number | null) => (v === null ? Infinity : v);
  return [...groups.keys()].sort((a, b) => key(a) - key(b)).map((v) => groups.get(v) ?? []);
}

/**
 * How many clips each stratum gives: its share of k (largest remainders get the spare
 * clips, earlier strata first on ties), at least one each and at most its size.
 */
export function allocate(sizes: readonly number[], k: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const quota = sizes.map((s) => (k * s) / n);
  const alloc = quota.map((q, i) => Math.min(sizes[i], Math.max(1, Math.floor(q))));
  let sum = alloc.reduce((a, b) => a + b, 0);
  const pick = (ok: (i: number) => boolean, score: (i: number) => number) => {
    let best = -1;
    for (let i = 0; i < sizes.length; i++) if (ok(i) && (best < 0 || score(i) > score(best))) best = i;
    return best;
  };
  while (sum < k) {
    const i = pick((j) => alloc[j] < sizes[j], (j) => quota[j] - alloc[j]);
    alloc[i]++;
    sum++;
  }
  while (sum > k) {
    const i = pick((j) => alloc[j] > 1, (j) => alloc[j] - quota[j]);
    alloc[i]--;
    sum--;
  }
  return alloc;
}

/**
 * K of a speaker's clips (given by their valence labels) stratified by label, drawn with
 * `seed`; the others are left to score. Throws when K leaves no clip to score or cannot
 * give every label a clip.
 */
export function selectClips(valence: readonly (number | null)[], k: number, seed: number): ClipSelection {
  if (!Number.isInteger(k) || k < 1) throw new PersonalizeError(`K must be a whole number >= 1, got ${k}`);
  if (k >= valence.length) throw new PersonalizeError(`K = ${k} leaves none of the ${valence.length} clips to score: K must be below the clip count`);
  const groups = strata(valence);
  if (k < groups.length) throw new PersonalizeError(`K = ${k} is fewer than the ${groups.length} distinct labels: every label needs a clip`);
  const alloc = allocate(groups.map((g) => g.length), k);
  const rng = createRng(seed);
  const chosen = new Set(groups.flatMap((g, i) => shuffled(g, rng).slice(0, alloc[i])));
  const all = valence.map((_, i) => i);
  return { train: all.filter((i) => chosen.has(i)), rest: all.filter((i) => !chosen.has(i)) };
}
