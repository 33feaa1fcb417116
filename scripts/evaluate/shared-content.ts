// Refuses to score as held-out a clip whose audio the model trained on: a clip of a speaker
// the card does not list as a training speaker that holds the same content (by content
// hash, scripts/lib/content-hash.ts) as a clip of a training speaker among the corpora given.
// The card names speakers, not files, so only the corpora given can be compared.
import type { ModelCard } from '../../src/model/artifacts.ts';
import type { Clip } from '../../src/training/corpus.ts';
import { speakersOf } from '../../src/training/split.ts';
import { sharedContent, sharedContentMessage } from '../../src/training/shared-content.ts';
import { ContentHashes } from '../lib/content-hash.ts';
import type { NamedCorpus } from '../lib/corpus.ts';
import { trainingOverlap } from './training-speakers.ts';

/**
 * The refusal's message, or null when no clip scored as held-out shares audio with a
 * training speaker's clip. `listed`: the corpora as read (every speaker); `scored`: the
 * clips to score (after --speakers).
 */
export function heldOutSharedContent(
  card: ModelCard,
  listed: readonly NamedCorpus[],
  scored: readonly Pick<NamedCorpus, 'clips'>[],
  hashes = new ContentHashes(),
): string | null {
  const overlaps = trainingOverlap(card, listed.map((c) => ({ name: c.name, layout: c.layout, speakers: speakersOf(c.clips) })));
  const trainingOf = new Map(overlaps.flatMap((o) => (o.speakers ? [[o.corpus, new Set(o.speakers)] as const] : [])));
  if (trainingOf.size === 0) return null;
  const isTraining = (c: Clip) => trainingOf.get(c.corpus)?.has(c.speaker) ?? false;
  const shared = sharedContent([
    { name: 'a training speaker', clips: hashes.clips(listed.flatMap((c) => c.clips).filter(isTraining)) },
    { name: 'scored as held-out', clips: hashes.clips(scored.flatMap((c) => c.clips).filter((c) => !isTraining(c))) },
  ]);
  return shared.length > 0 ? sharedContentMessage(shared, "the clips scored and the model's training speakers") : null;
}
