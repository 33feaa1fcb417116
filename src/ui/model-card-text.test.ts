// The plain-words texts of model cards: on the project's own cards (models/) and on a
// two-corpus card with leave-one-corpus-out results.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agreementWord, liveWarning, readingExplanation, reliabilityText, trainedOnText } from './model-card-text.ts';

const card = (name: string) => JSON.parse(readFileSync(new URL(`../../models/${name}/card.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const twoCorpora = {
  data: {
    corpora: [
      { name: 'ravdess-16k', layout: 'ravdess', heldOut: false },
      { name: 'turev-16k', layout: 'turev', heldOut: false },
    ],
  },
  recipe: { preset: 'live', augment: { placement: 'random' } },
  metrics: {
    validation: { ccc: 0.3 },
    corpora: [
      { corpus: 'ravdess-16k', valence: { ccc: 0.612 }, arousal: { ccc: 0.7 } },
      { corpus: 'turev-16k', valence: { ccc: 0.25 }, arousal: { ccc: 0.41 } },
    ],
    carryOver: [{ heldOut: 'turev-16k', valence: { ccc: 0.016 }, arousal: { ccc: -0.02 } }],
  },
};

describe('model card texts', () => {
  it('agreement words by CCC band', () => {
    expect([0.75, 0.6, 0.45, 0.2, 0.19, -0.1].map(agreementWord)).toEqual(['good', 'good', 'fair', 'weak', 'near chance', 'near chance']);
  });

  it('what a model was trained on', () => {
    expect(trainedOnText(card('ravdess-live2-db'))).toBe('acted English sentences (RAVDESS)');
    expect(trainedOnText(twoCorpora)).toBe('acted English sentences (RAVDESS) and acted Turkish words (TurEV-DB)');
    const heldOut = { data: { corpora: [{ name: 'a', layout: 'ravdess' }, { name: 'b', layout: 'turev', heldOut: true }] } };
    expect(trainedOnText(heldOut)).toBe('acted English sentences (RAVDESS)');
    expect(trainedOnText({})).toBe('');
  });

  it('the line under the gauge', () => {
    expect(readingExplanation(card('ravdess-live2-db'), false)).toBe(
      'How positive or negative the voice sounds over the last ~8 s. Model trained on acted English sentences (RAVDESS).',
    );
    expect(readingExplanation({}, true)).toBe('How positive or negative the voice sounds over the last ~8 s (and how activated, beside it).');
  });

  it('reliability in words, per corpus and on corpora left out', () => {
    // the bundled card's validation CCC is 0.5249 (models/ravdess-live2-db/card.json)
    expect(reliabilityText(card('ravdess-live2-db'))).toBe(
      'On new speakers of its training data: valence fair (CCC 0.52). Not measured on other languages or microphones: expect less there.',
    );
    expect(reliabilityText(twoCorpora)).toBe(
      'On new speakers of its training data: ravdess-16k valence good (CCC 0.61), arousal good (CCC 0.70); turev-16k valence weak (CCC 0.25), arousal fair (CCC 0.41). ' +
        'On a corpus left out of training (the same recipe): turev-16k valence near chance (CCC 0.02), arousal near chance (CCC -0.02).',
    );
    expect(reliabilityText({ metrics: 'garbage' })).toBe('');
  });

  it("warns for a model trained on the report's start-aligned clips, here or in PyTorch", () => {
    expect(liveWarning(card('ravdess-seed-db'))).toMatch(/not on live windows/);
    expect(liveWarning(card('ravdess-seed-db-pytorch'))).toMatch(/not on live windows/);
    expect(liveWarning(card('ravdess-live2-db'))).toBeNull();
    expect(liveWarning(twoCorpora)).toBeNull();
  });
});
