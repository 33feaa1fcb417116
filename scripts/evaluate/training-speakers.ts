// Which of the speakers evaluate is asked to score the model was trained on, as its card
// tells: scores of training speakers are not held-out scores, so evaluate warns about them.
// New cards list each corpus's training speakers (data.corpora[].trainSpeakers); legacy
// cards (the bundled models) name one corpus and its split in words, e.g. source
// "RAVDESS-layout folder ../shared/data/ravdess-16k", split "validation speakers 17-20".
import { basename, extname } from 'node:path';
import type { ModelCard } from '../../src/model/artifacts.ts';
import { matchesSpeakers, parseSpeakerList } from '../../src/training/split.ts';
import type { NamedCorpus } from '../lib/corpus.ts';

/** A corpus the card says the model saw, and how to tell its training speakers. */
interface CardCorpus {
  /** The corpus name it matches; null: a legacy RAVDESS card, matching any RAVDESS-layout corpus. */
  name: string | null;
  /** Training speakers: the ids listed, or every speaker but those of a validation list. */
  train: { ids: readonly string[] } | { allBut: string } | { only: string } | 'unknown';
  /** The held-out speakers, as a --speakers list, when the card says. */
  heldOut: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The data.corpora list of a new card, or null when the card has none. */
function listedCorpora(data: Record<string, unknown>): CardCorpus[] | null {
  if (!Array.isArray(data.corpora)) return null;
  return data.corpora.filter(isObject).flatMap((c): CardCorpus[] => {
    if (typeof c.name !== 'string') return [];
    const val = isStrings(c.valSpeakers) && c.valSpeakers.length > 0 ? c.valSpeakers.join(',') : null;
    return [{ name: c.name, train: isStrings(c.trainSpeakers) ? { ids: c.trainSpeakers } : 'unknown', heldOut: val }];
  });
}

/** The one corpus of a legacy card, read from its words; null when it names none. */
function legacyCorpus(data: Record<string, unknown>): CardCorpus | null {
  const source = typeof data.source === 'string' ? data.source : typeof data.corpus === 'string' ? data.corpus : null;
  if (source === null) return null;
  let name: string | null;
  if (/ravdess/i.test(source)) name = null;
  else if (source.startsWith('manifest ')) name = basename(source.slice(9), extname(source.slice(9)));
  else if (source.startsWith('folder ')) name = basename(source.slice(7));
  else return null;
  const split = typeof data.split === 'string' ? data.split : '';
  // "validation speakers 17-20" (train's cards); "actors 01-16 train" (the PyTorch model's card).
  const val = /validation speakers (\S+)/.exec(split) ?? /actors (\S+) validate/.exec(split);
  const trained = /actors (\S+) train/.exec(split);
  const train = val ? { allBut: val[1] } : trained ? { only: trained[1] } : 'unknown';
  return { name, train, heldOut: val ? val[1] : null };
}

/** What the card says about the corpora the model was trained on; empty when it says nothing. */
function cardCorpora(card: ModelCard): CardCorpus[] {
  if (!isObject(card.data)) return [];
  const listed = listedCorpora(card.data);
  if (listed) return listed;
  const legacy = legacyCorpus(card.data);
  return legacy ? [legacy] : [];
}

/** Training speakers found among a scored corpus's speakers. */
export interface TrainingOverlap {
  corpus: string;
  /** Null when the card names the corpus but not which of its speakers trained. */
  speakers: string[] | null;
  /** The card's held-out speakers of the corpus (a --speakers list), when it says. */
  heldOut: string | null;
}

/**
 * For each scored corpus the card says the model saw: its scored speakers that trained the
 * model (corpora the card does not name were never trained on and are left out). A new
 * card matches corpora by name; a legacy RAVDESS card matches every RAVDESS-layout corpus.
 */
export function trainingOverlap(
  card: ModelCard,
  scored: readonly { name: string; layout: NamedCorpus['layout']; speakers: readonly string[] }[],
): TrainingOverlap[] {
  const known = cardCorpora(card);
  return scored.flatMap((corpus): TrainingOverlap[] => {
    const entry = known.find((k) => (k.name === null ? corpus.layout === 'ravdess' : k.name === corpus.name));
    if (!entry) return [];
    const { train } = entry;
    if (train === 'unknown') return [{ corpus: corpus.name, speakers: null, heldOut: entry.heldOut }];
    let isTraining: (speaker: string) => boolean;
    if ('ids' in train) {
      const ids = new Set(train.ids);
      isTraining = (s) => ids.has(s);
    } else {
      const patterns = parseSpeakerList('only' in train ? train.only : train.allBut);
      isTraining = 'only' in train ? (s) => matchesSpeakers(s, patterns) : (s) => !matchesSpeakers(s, patterns);
    }
    const speakers = corpus.speakers.filter(isTraining);
    return speakers.length > 0 ? [{ corpus: corpus.name, speakers, heldOut: entry.heldOut }] : [];
  });
}

/** The warning lines for stderr (without the tool's prefix). */
export function overlapWarnings(overlaps: readonly TrainingOverlap[]): string[] {
  return overlaps.map((o) => {
    const restrict = o.heldOut ? `; --speakers ${o.corpus}=${o.heldOut} scores its held-out speakers only` : '';
    if (o.speakers === null) {
      return `warning: the model was trained on corpus ${o.corpus} and its card does not say on which speakers: these scores may not be held-out`;
    }
    return (
      `warning: corpus ${o.corpus}: the model's card lists speaker(s) ${o.speakers.join(', ')} as training speakers; ` +
      `they are scored, but their scores are not held-out${restrict}`
    );
  });
}
