// Speaker-independent splits: no speaker on both sides, folds cover every clip once,
// the same seed gives the same folds.
import { describe, expect, it } from 'vitest';
import type { Clip } from './corpus.ts';
import { SplitError, kFoldBySpeaker, matchesSpeakers, parseSpeakerList, selectSpeakers, speakersOf, splitBySpeakers } from './split.ts';

/** `perSpeaker` clips for each speaker id. */
function corpus(speakers: string[], perSpeaker: number | ((s: string) => number) = 3): Clip[] {
  return speakers.flatMap((speaker) => {
    const n = typeof perSpeaker === 'number' ? perSpeaker : perSpeaker(speaker);
    return Array.from({ length: n }, (_, i) => ({ path: `${speaker}/${i}.wav`, valence: 0, arousal: null, speaker, corpus: 'c' }));
  });
}

const ravdessActors = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0'));

const speakerSet = (clips: Clip[]) => new Set(clips.map((c) => c.speaker));

describe('speaker lists', () => {
  it('parses names and numeric ranges; numbers match by value', () => {
    const p = parseSpeakerList('17-20, alice,3');
    expect(matchesSpeakers('17', p)).toBe(true);
    expect(matchesSpeakers('20', p)).toBe(true);
    expect(matchesSpeakers('16', p)).toBe(false);
    expect(matchesSpeakers('alice', p)).toBe(true);
    expect(matchesSpeakers('Alice', p)).toBe(false);
    expect(matchesSpeakers('03', p)).toBe(true);
    expect(matchesSpeakers('spk-3', p)).toBe(false);
    expect(matchesSpeakers('a-b', parseSpeakerList('a-b'))).toBe(true);
  });

  it('refuses empty lists and backward ranges', () => {
    expect(() => parseSpeakerList(' , ')).toThrow(SplitError);
    expect(() => parseSpeakerList('20-17')).toThrow(/runs backwards/);
  });

  it('sorts speakers, numeric ids by value', () => {
    expect(speakersOf(corpus(['10', '9', 'b', 'a'], 1))).toEqual(['9', '10', 'a', 'b']);
  });
});

describe('splitBySpeakers', () => {
  it('defaults to the RAVDESS rule: actors 17-20 validate, 01-16 train', () => {
    const clips = corpus(ravdessActors);
    const { train, val } = splitBySpeakers(clips);
    expect([...speakerSet(val)].sort()).toEqual(['17', '18', '19', '20']);
    expect(speakerSet(train).size).toBe(16);
    expect([...speakerSet(train)].some((s) => speakerSet(val).has(s))).toBe(false);
    expect(train.length + val.length).toBe(clips.length);
  });

  it('takes any list, and refuses one that leaves a side empty', () => {
    const clips = corpus(['alice', 'bob', 'carol']);
    const { train, val } = splitBySpeakers(clips, 'bob');
    expect(speakerSet(val)).toEqual(new Set(['bob']));
    expect(speakerSet(train)).toEqual(new Set(['alice', 'carol']));
    expect(() => splitBySpeakers(clips, 'dave')).toThrow(/no clips of validation speakers "dave" \(the corpus has: alice, bob, carol\)/);
    expect(() => splitBySpeakers(clips, 'alice,bob,carol')).toThrow(/leave no clips to train on/);
  });

  it('selectSpeakers keeps only the listed speakers', () => {
    const clips = corpus(ravdessActors, 2);
    expect(selectSpeakers(clips, '3,17-18').map((c) => c.speaker)).toEqual(['03', '03', '17', '17', '18', '18']);
    expect(() => selectSpeakers(clips, '99')).toThrow(/no clips of speakers "99"/);
  });
});

describe('kFoldBySpeaker', () => {
  it('puts every clip in exactly one validation fold and never splits a speaker', () => {
    const clips = corpus(ravdessActors);
    const folds = kFoldBySpeaker(clips, 3, 42);
    expect(folds).toHaveLength(3);
    const seen = new Map<string, number>();
    for (const { train, val } of folds) {
      expect(train.length + val.length).toBe(clips.length);
      const v = speakerSet(val);
      expect([...speakerSet(train)].filter((s) => v.has(s))).toEqual([]);
      for (const c of val) seen.set(c.path, (seen.get(c.path) ?? 0) + 1);
    }
    expect(seen.size).toBe(clips.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // 20 equal speakers in 3 folds: 7, 7, 6.
    expect(folds.map((f) => speakerSet(f.val).size).sort()).toEqual([6, 7, 7]);
  });

  it('is reproducible for a seed and shuffles with it', () => {
    const clips = corpus(ravdessActors);
    const key = (seed: number) => kFoldBySpeaker(clips, 4, seed).map((f) => [...speakerSet(f.val)].sort().join(' '));
    expect(key(1)).toEqual(key(1));
    const variants = new Set([1, 2, 3, 4, 5].map((s) => key(s).join('|')));
    expect(variants.size).toBeGreaterThan(1);
  });

  it('balances clip counts when speakers differ in size', () => {
    const sizes: Record<string, number> = { a: 40, b: 10, c: 10, d: 10, e: 10, f: 20 };
    const clips = corpus(Object.keys(sizes), (s) => sizes[s]);
    const folds = kFoldBySpeaker(clips, 2, 7);
    expect(folds.map((f) => f.val.length).sort()).toEqual([50, 50]);
  });

  it('refuses too few speakers or a bad k', () => {
    const clips = corpus(['a', 'b']);
    expect(() => kFoldBySpeaker(clips, 3, 0)).toThrow(/3 folds need at least 3 speakers, the corpus has 2/);
    expect(() => kFoldBySpeaker(clips, 1, 0)).toThrow(/folds must be a whole number >= 2/);
    expect(() => kFoldBySpeaker(clips, 2.5, 0)).toThrow(SplitError);
    expect(kFoldBySpeaker(clips, 2, 0).map((f) => f.val.length)).toEqual([3, 3]);
  });
});
