// --speakers for one corpus (a bare list) and for several (NAME=LIST), and its errors.
import { describe, expect, it } from 'vitest';
import type { Clip } from '../lib/corpus.ts';
import { restrictSpeakers, speakerLists } from './speaker-selection.ts';

const clip = (corpus: string, speaker: string): Clip => ({ path: `${corpus}/${speaker}.wav`, valence: 0, arousal: null, speaker, corpus });

describe('speakerLists', () => {
  it('a bare list restricts the only corpus; NAME=LIST restricts the corpus named', () => {
    expect(speakerLists(['17-20'], ['ravdess-16k'])).toEqual(new Map([['ravdess-16k', '17-20']]));
    expect(speakerLists(['ravdess-16k=17-20', 'mine=ann,bob'], ['ravdess-16k', 'turev-16k', 'mine'])).toEqual(
      new Map([['ravdess-16k', '17-20'], ['mine', 'ann,bob']]),
    );
    expect(speakerLists([], ['a', 'b'])).toEqual(new Map());
  });

  it('says what is wrong: a bare list with several corpora, an unknown corpus, a corpus twice', () => {
    expect(() => speakerLists(['17-20'], ['a', 'b'])).toThrow(/with several corpora, say which one, e.g. --speakers a=17-20/);
    expect(() => speakerLists(['c=1'], ['a', 'b'])).toThrow(/names corpus "c", which is not in this run \(corpora: a, b\)/);
    expect(() => speakerLists(['a=1', 'a=2'], ['a', 'b'])).toThrow(/restricts corpus "a" twice/);
  });
});

describe('restrictSpeakers', () => {
  const corpora = [
    { name: 'a', clips: [clip('a', '01'), clip('a', '02'), clip('a', '17')] },
    { name: 'b', clips: [clip('b', '01'), clip('b', 'ann')] },
  ];

  it('keeps the listed speakers of the corpora named and the others whole', () => {
    const kept = restrictSpeakers(corpora, new Map([['a', '17-20']]));
    expect(kept.map((c) => c.clips.map((x) => x.speaker))).toEqual([['17'], ['01', 'ann']]);
  });

  it('an empty selection names the corpus when there are several, and reads as before with one', () => {
    expect(() => restrictSpeakers(corpora, new Map([['b', '9']]))).toThrow(/corpus "b": no clips of speakers "9" \(the corpus has: 01, ann\)/);
    expect(() => restrictSpeakers([corpora[0]], new Map([['a', '9']]))).toThrow(/^no clips of speakers "9" \(the corpus has: 01, 02, 17\)$/);
  });
});
