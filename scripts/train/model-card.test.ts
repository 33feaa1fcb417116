// The model card's data section (a RAVDESS folder records the valence map its labels come
// from, with the data's credit and licence; a manifest's labels are its own) and its README.
import { describe, expect, it } from 'vitest';
import { VALENCE_MAP_VERSION } from '../../src/training/labels.ts';
import { cardData, renderCard, type TrainedCard } from './model-card.ts';

const counts = { clips: 8, speakers: 2, split: 'validation speakers 17', skipped: 0 };

function card(data: TrainedCard['data']): TrainedCard {
  const val = { n: 4, mse: 0.25, ccc: 0.5, pearson: 0.5, sign_acc: 0.75 };
  return {
    name: 'test',
    date: '2024-01-01',
    command: 'npm run train',
    data,
    recipe: {},
    config: {},
    normalisation: null,
    signal: {},
    metrics: { validation: { epoch: 1, ...val } },
    history: [{ epoch: 1, trainLoss: 0.5, val }],
    timing: { msPerStep: 100, threads: 2, seconds: 60 },
    weightsSha256: '00',
  };
}

describe('cardData', () => {
  it('a RAVDESS folder: the valence map version, the credit and the licence', () => {
    const d = cardData({ kind: 'ravdess', dir: 'data/ravdess' }, counts);
    expect(d).toMatchObject({ ...counts, source: 'RAVDESS-layout folder data/ravdess', labels: { valenceMap: VALENCE_MAP_VERSION } });
    expect(d.credit).toMatch(/RAVDESS/);
    expect(d.licence).toMatch(/CC BY-NC-SA 4\.0/);
    expect(renderCard(card(d))).toContain(`| labels | valence map ${VALENCE_MAP_VERSION} (SPEC section 3) |`);
  });

  it('a manifest: its own labels, no map, credit or licence', () => {
    const d = cardData({ kind: 'manifest', file: 'clips.csv' }, counts);
    expect(d).toEqual({ ...counts, source: 'manifest clips.csv' });
    expect(renderCard(card(d))).not.toContain('| labels |');
  });
});
