// Per-corpus and pooled scores: each group is scored on its own clips only, unknown labels
// drop out of their dimension only, and a one-output model has no arousal scores.
import { describe, expect, it } from 'vitest';
import { scoreByCorpus } from './corpus-scores.ts';
import { allMetrics } from './metrics.ts';

const clip = (corpus: string, valence: number | null, arousal: number | null) => ({ corpus, valence, arousal });

describe('scoreByCorpus', () => {
  const clips = [
    clip('a', 0.5, 0.2),
    clip('b', -0.4, null),
    clip('a', -0.6, -0.3),
    clip('b', 0.3, 0.6),
    clip('a', null, 0.7),
    clip('b', 0.1, -0.2),
  ];
  const valence = [0.4, -0.1, -0.2, 0.2, 0.9, -0.3];
  const arousal = [0.1, 0.5, -0.4, 0.3, 0.2, 0.1];

  it('scores each corpus on its own clips, and all clips pooled, per dimension', () => {
    const s = scoreByCorpus(clips, { valence, arousal }, ['a', 'b']);
    expect(s.corpora.map((c) => [c.corpus, c.clips])).toEqual([['a', 3], ['b', 3]]);
    // Corpus a: clips 0, 2, 4; clip 4 has no valence label.
    expect(s.corpora[0].valence).toEqual(allMetrics([0.4, -0.2], [0.5, -0.6]));
    expect(s.corpora[0].arousal).toEqual(allMetrics([0.1, -0.4, 0.2], [0.2, -0.3, 0.7]));
    // Corpus b: clips 1, 3, 5; clip 1 has no arousal label.
    expect(s.corpora[1].valence).toEqual(allMetrics([-0.1, 0.2, -0.3], [-0.4, 0.3, 0.1]));
    expect(s.corpora[1].arousal).toEqual(allMetrics([0.3, 0.1], [0.6, -0.2]));
    expect(s.pooled.clips).toBe(6);
    expect(s.pooled.valence).toEqual(allMetrics([0.4, -0.1, -0.2, 0.2, -0.3], [0.5, -0.4, -0.6, 0.3, 0.1]));
    expect(s.pooled.arousal).toEqual(allMetrics([0.1, -0.4, 0.3, 0.2, 0.1], [0.2, -0.3, 0.6, 0.7, -0.2]));
  });

  it('a one-output model has no arousal scores; a dimension without labels scores null', () => {
    const s = scoreByCorpus([clip('a', null, 0.5), clip('a', null, -0.5)], { valence: [0.1, 0.2], arousal: null });
    expect(s.corpora).toEqual([{ corpus: 'a', clips: 2, valence: null, arousal: null }]);
    expect(s.pooled).toEqual({ clips: 2, valence: null, arousal: null });
  });

  it('keeps the given corpus order, with an empty row for a corpus none of whose clips were read', () => {
    const s = scoreByCorpus([clip('b', 0.5, null), clip('c', 0.2, null)], { valence: [0.1, 0.3], arousal: null }, ['a', 'b']);
    expect(s.corpora.map((c) => [c.corpus, c.clips, c.valence?.n ?? null])).toEqual([['a', 0, null], ['b', 1, 1], ['c', 1, 1]]);
  });

  it('refuses predictions that do not match the clips', () => {
    expect(() => scoreByCorpus(clips, { valence: [0], arousal: null })).toThrow(/1 predictions for 6 clips/);
  });
});
