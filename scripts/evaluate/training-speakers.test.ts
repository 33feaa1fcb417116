// The training speakers a card names, for new cards (data.corpora) and the legacy cards of
// the bundled models, and the warnings evaluate prints for them.
import { describe, expect, it } from 'vitest';
import { overlapWarnings, trainingOverlap } from './training-speakers.ts';

const actors = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0'));
const ravdess = { name: 'ravdess-16k', layout: 'ravdess' as const, speakers: actors(1, 20) };
const turev = { name: 'turev-16k', layout: 'turev' as const, speakers: ['1157', '1358', '1724'] };

describe('trainingOverlap', () => {
  it('a new card: the listed training speakers of each corpus, matched by name', () => {
    const card = {
      data: {
        corpora: [
          { name: 'turev-16k', layout: 'turev', source: 'folder x', clips: 9, speakers: 3, trainSpeakers: ['1157', '1358'], valSpeakers: ['1724'], heldOut: false },
          { name: 'ravdess-16k', layout: 'ravdess', source: 'folder y', clips: 9, speakers: 20, trainSpeakers: [], valSpeakers: [], heldOut: true },
        ],
      },
    };
    expect(trainingOverlap(card, [ravdess, turev])).toEqual([{ corpus: 'turev-16k', speakers: ['1157', '1358'], heldOut: '1724' }]);
    expect(trainingOverlap(card, [{ ...turev, speakers: ['1724'] }])).toEqual([]);
    // Another corpus that happens to have the RAVDESS layout is not the card's.
    expect(trainingOverlap(card, [{ ...ravdess, name: 'other' }, { ...turev, name: 'turev-8k' }])).toEqual([]);
  });

  it('a legacy RAVDESS card: every RAVDESS actor but its validation speakers, for any RAVDESS-layout corpus', () => {
    const card = { data: { source: 'RAVDESS-layout folder ../shared/data/ravdess-16k', split: 'validation speakers 17-20' } };
    expect(trainingOverlap(card, [ravdess, turev])).toEqual([{ corpus: 'ravdess-16k', speakers: actors(1, 16), heldOut: '17-20' }]);
    expect(trainingOverlap(card, [{ ...ravdess, name: 'my-ravdess', speakers: actors(17, 20) }])).toEqual([]);
    expect(trainingOverlap(card, [{ ...ravdess, speakers: ['03', '18'] }])).toEqual([{ corpus: 'ravdess-16k', speakers: ['03'], heldOut: '17-20' }]);
  });

  it("the PyTorch model's legacy card and a legacy manifest card", () => {
    const torch = { data: { corpus: 'RAVDESS speech, actors 01-20, 16 kHz mono', split: 'speaker-independent: actors 01-16 train (960 clips), actors 17-20 validate (240 clips)' } };
    expect(trainingOverlap(torch, [ravdess])).toEqual([{ corpus: 'ravdess-16k', speakers: actors(1, 16), heldOut: '17-20' }]);
    const manifest = { data: { source: 'manifest /tmp/x/my-clips.csv', split: 'validation speakers ann' } };
    const mine = { name: 'my-clips', layout: 'manifest' as const, speakers: ['ann', 'bob'] };
    expect(trainingOverlap(manifest, [mine, { ...mine, name: 'other' }])).toEqual([{ corpus: 'my-clips', speakers: ['bob'], heldOut: 'ann' }]);
  });

  it('a card that names the corpus but not its split, and cards that name no corpus', () => {
    expect(trainingOverlap({ data: { source: 'RAVDESS-layout folder d', split: 'fold 2/5' } }, [ravdess])).toEqual([
      { corpus: 'ravdess-16k', speakers: null, heldOut: null },
    ]);
    expect(trainingOverlap({}, [ravdess])).toEqual([]);
    expect(trainingOverlap({ name: 'x', data: 'nothing' }, [ravdess])).toEqual([]);
  });
});

describe('overlapWarnings', () => {
  it('names the corpus and the speakers, and how to score the held-out ones only', () => {
    expect(overlapWarnings([{ corpus: 'ravdess-16k', speakers: ['01', '02'], heldOut: '17-20' }])).toEqual([
      "warning: corpus ravdess-16k: the model's card lists speaker(s) 01, 02 as training speakers; they are scored, " +
        'but their scores are not held-out; --speakers ravdess-16k=17-20 scores its held-out speakers only',
    ]);
    expect(overlapWarnings([{ corpus: 'c', speakers: null, heldOut: null }])[0]).toMatch(/trained on corpus c and its card does not say on which speakers/);
  });
});
