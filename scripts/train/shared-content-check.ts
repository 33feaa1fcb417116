// Refuses a training run whose splits put the same audio on two sides (training, validation,
// held out): by content hash (scripts/lib/content-hash.ts), so a copy under another name or
// speaker is found as well as one file listed twice. Runs before any feature is loaded.
import { SplitError } from '../../src/training/split.ts';
import { sharedContent, sharedContentMessage, type Side } from '../../src/training/shared-content.ts';
import { ContentHashes } from '../lib/content-hash.ts';
import type { SplitClips } from './load-split.ts';

/** Throws a SplitError naming the files when a split's sides share audio. */
export function assertNoSharedContent(splits: readonly { name: string; split: SplitClips }[], hashes = new ContentHashes()): void {
  for (const { name, split } of splits) {
    const sides: Side[] = [
      { name: 'training', clips: hashes.clips(split.train) },
      { name: 'validation', clips: hashes.clips(split.val.flatMap((v) => v.clips)) },
    ];
    if (split.holdout) sides.push({ name: 'held out', clips: hashes.clips(split.holdout.clips) });
    const shared = sharedContent(sides);
    if (shared.length > 0) throw new SplitError(sharedContentMessage(shared, `split "${name}"`));
  }
}
