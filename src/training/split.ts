// Speaker-independent splits (SPEC section 4: never one speaker on both sides): a named
// validation-speaker list (the RAVDESS default: actors 17-20), and k-fold cross-validation
// by speaker. Pure and seeded.
import type { Clip } from './corpus.ts';
import { createRng, shuffled } from './random.ts';

/** The default validation speakers for RAVDESS (actors 17-20; 01-16 train). */
export const RAVDESS_VAL_SPEAKERS = '17-20';

export interface Split {
  train: Clip[];
  val: Clip[];
}

export class SplitError extends Error {
  override name = 'SplitError';
}

const INT_RE = /^\d+$/;

/** One item of a speaker list: a name, or an inclusive range of numeric ids. */
type SpeakerPattern = { name: string } | { from: number; to: number };

/**
 * Parses a speaker list as given on the command line: comma-separated names, and ranges of
 * numeric ids ("17-20"). Numeric items match numeric speaker ids by value, so "3" matches "03".
 */
export function parseSpeakerList(list: string): SpeakerPattern[] {
  const items = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new SplitError(`speaker list "${list}" names no speakers`);
  return items.map((item) => {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > to) throw new SplitError(`speaker range "${item}" runs backwards`);
      return { from, to };
    }
    return { name: item };
  });
}

/** Does `speaker` match one of the patterns? */
export function matchesSpeakers(speaker: string, patterns: readonly SpeakerPattern[]): boolean {
  const numeric = INT_RE.test(speaker) ? Number(speaker) : null;
  return patterns.some((p) => {
    if ('name' in p) return p.name === speaker || (numeric !== null && INT_RE.test(p.name) && Number(p.name) === numeric);
    return numeric !== null && numeric >= p.from && numeric <= p.to;
  });
}

/** The distinct speakers of some clips, sorted (numeric ids by value). */
export function speakersOf(clips: readonly Clip[]): string[] {
  return [...new Set(clips.map((c) => c.speaker))].sort((a, b) =>
    INT_RE.test(a) && INT_RE.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
  );
}

/** Keeps only the clips of the listed speakers; throws if none match. */
export function selectSpeakers(clips: readonly Clip[], list: string): Clip[] {
  const patterns = parseSpeakerList(list);
  const kept = clips.filter((c) => matchesSpeakers(c.speaker, patterns));
  if (kept.length === 0) {
    throw new SplitError(`no clips of speakers "${list}" (the corpus has: ${speakersOf(clips).join(', ')})`);
  }
  return kept;
}

/**
 * Validation = clips of the listed speakers, train = the rest. Throws if either side is
 * empty, naming the corpus's speakers.
 */
export function splitBySpeakers(clips: readonly Clip[], valSpeakers: string = RAVDESS_VAL_SPEAKERS): Split {
  const patterns = parseSpeakerList(valSpeakers);
  const train: Clip[] = [];
  const val: Clip[] = [];
  for (const c of clips) (matchesSpeakers(c.speaker, patterns) ? val : train).push(c);
  const have = speakersOf(clips).join(', ');
  if (val.length === 0) throw new SplitError(`no clips of validation speakers "${valSpeakers}" (the corpus has: ${have})`);
  if (train.length === 0) throw new SplitError(`validation speakers "${valSpeakers}" leave no clips to train on`);
  return { train, val };
}

/**
 * k folds by speaker: every speaker is in exactly one fold's validation set, and fold i
 * trains on the others. Speakers are shuffled with `seed`, then dealt largest first to the
 * fold with the fewest clips so far, so folds stay balanced when speakers differ in size.
 * Clips keep their input order within each side.
 */
export function kFoldBySpeaker(clips: readonly Clip[], k: number, seed: number): Split[] {
  const speakers = speakersOf(clips);
  if (!Number.isInteger(k) || k < 2) throw new SplitError(`folds must be a whole number >= 2, got ${k}`);
  if (k > speakers.length) throw new SplitError(`${k} folds need at least ${k} speakers, the corpus has ${speakers.length}`);
  const counts = new Map<string, number>();
  for (const c of clips) counts.set(c.speaker, (counts.get(c.speaker) ?? 0) + 1);
  // Stable sort after the shuffle: equal-sized speakers keep their shuffled order.
  const order = shuffled(speakers, createRng(seed)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const foldOf = new Map<string, number>();
  const load = new Array<number>(k).fill(0);
  const members = new Array<number>(k).fill(0);
  for (const s of order) {
    // Fewest clips first; then fewest speakers, so every fold gets one before any gets two.
    let best = 0;
    for (let f = 1; f < k; f++) {
      if (members[f] === 0 && members[best] > 0) best = f;
      else if ((members[f] === 0) === (members[best] === 0) && load[f] < load[best]) best = f;
    }
    foldOf.set(s, best);
    load[best] += counts.get(s)!;
    members[best]++;
  }
  return Array.from({ length: k }, (_, f) => ({
    train: clips.filter((c) => foldOf.get(c.speaker) !== f),
    val: clips.filter((c) => foldOf.get(c.speaker) === f),
  }));
}
