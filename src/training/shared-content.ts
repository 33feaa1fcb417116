// Finds the same audio on two sides of a split: a clip trained on and also validated or
// scored as held out (one WAV copied under two names, or two manifest rows naming one file
// under two speakers) makes a score look held-out when it is not. Speakers alone cannot see
// it, so clips are compared by a hash of their content; this module is the pure comparison
// (the hashing is the caller's). Same-side repeats are no leak and are not reported.

/** A clip and the hash of its content (equal hashes: the same audio). */
export interface HashedClip {
  path: string;
  hash: string;
}

/** One side of a split ("training", "validation", ...) and its clips. */
export interface Side {
  name: string;
  clips: readonly HashedClip[];
}

/** One content found on more than one side: every file that holds it, with its side. */
export interface SharedContent {
  hash: string;
  files: { side: string; path: string }[];
}

/**
 * The contents that occur on two or more sides, in order of first appearance; each lists
 * every file holding it (copies on the same side too), in side order. Sides with the same
 * name count as one side.
 */
export function sharedContent(sides: readonly Side[]): SharedContent[] {
  const byHash = new Map<string, { sides: Set<string>; files: { side: string; path: string }[] }>();
  for (const side of sides) {
    for (const clip of side.clips) {
      let entry = byHash.get(clip.hash);
      if (!entry) byHash.set(clip.hash, (entry = { sides: new Set(), files: [] }));
      entry.sides.add(side.name);
      // One file listed twice on a side is one file here.
      if (!entry.files.some((f) => f.side === side.name && f.path === clip.path)) entry.files.push({ side: side.name, path: clip.path });
    }
  }
  return [...byHash].filter(([, e]) => e.sides.size > 1).map(([hash, e]) => ({ hash, files: e.files }));
}

/**
 * The refusal's text: what is wrong, then one line per shared content naming its files and
 * their sides (the first `limit`, then a count of the rest). `what` names the split.
 */
export function sharedContentMessage(shared: readonly SharedContent[], what: string, limit = 10): string {
  const lines = shared.slice(0, limit).map((s) => `  ${s.files.map((f) => `${f.path} (${f.side})`).join(' = ')}`);
  if (shared.length > limit) lines.push(`  ... and ${shared.length - limit} more`);
  return (
    `${what}: ${shared.length} clip(s) of the same audio are on two sides, so their scores would not be held-out:\n` +
    `${lines.join('\n')}\n` +
    'remove the copies, or give each copy the same speaker so that they stay on one side'
  );
}
