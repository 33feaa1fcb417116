// Speaker-independent splits of a multi-corpus run (SPEC section 4): each corpus is split by
// its own speakers (listed, or by default the last fifth of its speakers in sorted order,
// which for RAVDESS's actors 01-20 is the report's 17-20), and one corpus may be held out
// whole (leave-one-corpus-out): never trained on and never used to choose an epoch, only scored.
import type { Clip } from './corpus.ts';
import { SplitError, speakersOf, splitBySpeakers } from './split.ts';

/** One corpus of a run: its name and clips. */
export interface CorpusClips {
  name: string;
  clips: readonly Clip[];
}

export interface CorpusSplit {
  /** Training clips of every corpus that trains, in corpus order. */
  train: Clip[];
  /** Each training corpus's validation clips (its held-out speakers): they choose the epoch. */
  val: { corpus: string; speakers: string[]; clips: Clip[] }[];
  /** The held-out corpus, scored every epoch (the honest test of carrying over). */
  holdout: { corpus: string; clips: Clip[] } | null;
}

/** The default validation speakers of a corpus: the last max(1, round(n / 5)) in sorted order. */
export function defaultValSpeakers(clips: readonly Clip[]): string[] {
  const speakers = speakersOf(clips);
  if (speakers.length < 2) throw new SplitError(`a corpus with ${speakers.length} speaker(s) cannot be split by speaker`);
  return speakers.slice(speakers.length - Math.max(1, Math.round(speakers.length / 5)));
}

/**
 * Splits each corpus by speaker. `valSpeakers` maps a corpus name to its validation
 * speaker list (as parseSpeakerList reads it); a corpus not named takes the default.
 * `holdout` names a corpus to hold out whole. Throws a SplitError naming what is wrong.
 */
export function splitCorpora(corpora: readonly CorpusClips[], valSpeakers: ReadonlyMap<string, string>, holdout: string | null): CorpusSplit {
  const names = corpora.map((c) => c.name);
  for (const name of valSpeakers.keys()) {
    if (!names.includes(name)) throw new SplitError(`--val-speakers names corpus "${name}", which is not in this run (corpora: ${names.join(', ')})`);
  }
  if (holdout !== null) {
    if (!names.includes(holdout)) throw new SplitError(`--holdout-corpus "${holdout}" is not in this run (corpora: ${names.join(', ')})`);
    if (corpora.length < 2) throw new SplitError('--holdout-corpus needs at least two corpora: one to hold out, one to train on');
    if (valSpeakers.has(holdout)) throw new SplitError(`corpus "${holdout}" is held out whole: it takes no --val-speakers`);
  }
  const out: CorpusSplit = { train: [], val: [], holdout: null };
  for (const c of corpora) {
    if (c.name === holdout) {
      out.holdout = { corpus: c.name, clips: [...c.clips] };
      continue;
    }
    const list = valSpeakers.get(c.name) ?? defaultValSpeakers(c.clips).join(',');
    let split;
    try {
      split = splitBySpeakers(c.clips, list);
    } catch (e) {
      if (e instanceof SplitError && corpora.length > 1) throw new SplitError(`corpus "${c.name}": ${e.message}`);
      throw e;
    }
    out.train.push(...split.train);
    out.val.push({ corpus: c.name, speakers: speakersOf(split.val), clips: split.val });
  }
  return out;
}
