// Multi-corpus splits: per-corpus speakers never cross, the default validation fifth, the
// held-out corpus, and errors that name the corpus.
import { describe, expect, it } from 'vitest';
import type { Clip } from './corpus.ts';
import { defaultValSpeakers, splitCorpora } from './corpus-split.ts';

const clipsOf = (corpus: string, speakers: string[], perSpeaker = 2): Clip[] =>
  speakers.flatMap((speaker) => Array.from({ length: perSpeaker }, (_, i) => ({ path: `${corpus}/${speaker}/${i}.wav`, valence: 0, arousal: 0, speaker, corpus })));

const ravdess = clipsOf('ravdess', Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0')));
const turev = clipsOf('turev', ['1157', '1234', '1358', '1984', '6783', '7895']);

describe('defaultValSpeakers', () => {
  it('is the last fifth of the sorted speakers: 17-20 for RAVDESS, one of TurEV-DB six', () => {
    expect(defaultValSpeakers(ravdess)).toEqual(['17', '18', '19', '20']);
    expect(defaultValSpeakers(turev)).toEqual(['7895']);
    expect(defaultValSpeakers(clipsOf('x', ['a', 'b']))).toEqual(['b']);
    expect(() => defaultValSpeakers(clipsOf('x', ['a']))).toThrow(/cannot be split by speaker/);
  });
});

describe('splitCorpora', () => {
  it('splits every corpus by its own speakers', () => {
    const s = splitCorpora(
      [
        { name: 'ravdess', clips: ravdess },
        { name: 'turev', clips: turev },
      ],
      new Map([['turev', '1157,1234']]),
      null,
    );
    expect(s.holdout).toBeNull();
    expect(s.val.map((v) => [v.corpus, v.speakers])).toEqual([
      ['ravdess', ['17', '18', '19', '20']],
      ['turev', ['1157', '1234']],
    ]);
    expect(s.train).toHaveLength(40 - 8 + 12 - 4);
    for (const v of s.val) {
      const trainSpeakers = new Set(s.train.filter((c) => c.corpus === v.corpus).map((c) => c.speaker));
      expect(v.speakers.some((sp) => trainSpeakers.has(sp))).toBe(false);
    }
  });

  it('holds one corpus out whole', () => {
    const s = splitCorpora(
      [
        { name: 'ravdess', clips: ravdess },
        { name: 'turev', clips: turev },
      ],
      new Map(),
      'turev',
    );
    expect(s.holdout?.corpus).toBe('turev');
    expect(s.holdout?.clips).toHaveLength(12);
    expect(s.train.every((c) => c.corpus === 'ravdess')).toBe(true);
    expect(s.val.map((v) => v.corpus)).toEqual(['ravdess']);
  });

  it('names the problem', () => {
    const both = [
      { name: 'ravdess', clips: ravdess },
      { name: 'turev', clips: turev },
    ];
    expect(() => splitCorpora(both, new Map([['crema', '1']]), null)).toThrow(/names corpus "crema", which is not in this run/);
    expect(() => splitCorpora(both, new Map(), 'crema')).toThrow(/--holdout-corpus "crema" is not in this run/);
    expect(() => splitCorpora([both[0]], new Map(), 'ravdess')).toThrow(/needs at least two corpora/);
    expect(() => splitCorpora(both, new Map([['turev', '1157']]), 'turev')).toThrow(/held out whole/);
    expect(() => splitCorpora(both, new Map([['turev', '42']]), null)).toThrow(/corpus "turev": no clips of validation speakers "42"/);
  });
});
