// The model card's data section (a RAVDESS folder records the valence map its labels come
// from, with the data's credit and licence; a manifest's labels are its own) and its README.
import { describe, expect, it } from 'vitest';
import { VALENCE_MAP_VERSION } from '../../src/training/labels.ts';
import { cardData, renderCard, type CorpusRole, type TrainedCard } from './model-card.ts';

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

const role = (over: Partial<CorpusRole>): CorpusRole => ({
  name: 'ravdess',
  layout: 'ravdess',
  source: { kind: 'folder', dir: 'data/ravdess' },
  clips: 8,
  speakers: 2,
  trainSpeakers: ['01'],
  valSpeakers: ['17'],
  heldOut: false,
  ...over,
});

describe('cardData', () => {
  it('a RAVDESS folder: the label map version, the credit and the licence, its speakers on each side', () => {
    const d = cardData([role({})], counts);
    expect(d).toMatchObject({ ...counts, source: 'RAVDESS-layout folder data/ravdess', labels: { valenceMap: VALENCE_MAP_VERSION, arousalMap: VALENCE_MAP_VERSION } });
    expect(d.corpora).toEqual([expect.objectContaining({ name: 'ravdess', trainSpeakers: ['01'], valSpeakers: ['17'], heldOut: false })]);
    expect(d.credit).toMatch(/RAVDESS/);
    expect(d.licence).toMatch(/CC BY-NC-SA 4\.0/);
    expect(renderCard(card(d))).toContain(`| labels | valence map ${VALENCE_MAP_VERSION}, arousal map ${VALENCE_MAP_VERSION} (SPEC section 3) |`);
  });

  it('a manifest: its own labels, no map, credit or licence', () => {
    const d = cardData([role({ name: 'clips', layout: 'manifest', source: { kind: 'manifest', file: 'clips.csv' } })], counts);
    expect(d).toMatchObject({ ...counts, source: 'manifest clips.csv' });
    expect(d.labels).toBeUndefined();
    expect(d.credit).toBeUndefined();
    expect(d.licence).toBeUndefined();
    expect(renderCard(card(d))).not.toContain('| labels |');
  });

  it('several corpora: each credited, a held-out one marked, the per-corpus table rendered', () => {
    const d = cardData(
      [role({}), role({ name: 'turev', layout: 'turev', source: { kind: 'folder', dir: 'data/turev' }, trainSpeakers: [], valSpeakers: [], heldOut: true })],
      counts,
    );
    expect(d.source).toBe('RAVDESS-layout folder data/ravdess; TurEV-DB-layout folder data/turev');
    expect(d.credit).toMatch(/RAVDESS[\s\S]*TurEV-DB/);
    expect(d.licence).toMatch(/CC BY-NC-SA 4\.0[\s\S]*CC BY-NC-ND 4\.0/);
    const m = { n: 4, mse: 0.25, ccc: 0.5, pearson: 0.5, sign_acc: 0.75 };
    const c = card(d);
    c.metrics.corpora = [{ corpus: 'ravdess', clips: 4, valence: m, arousal: null }];
    c.metrics.holdout = { corpus: 'turev', clips: 4, valence: m, arousal: { ...m, ccc: 0.25 } };
    const text = renderCard(c);
    expect(text).toContain('| corpus turev | TurEV-DB-layout folder data/turev: 8 clips, 2 speakers; held out whole |');
    expect(text).toContain('| ravdess | validation speakers | 4 | 0.500 | 0.500 | 0.250 | 0.750 |  |  |  |  |');
    expect(text).toContain('| turev | held out (never trained on) | 4 | 0.500 | 0.500 | 0.250 | 0.750 | 0.250 | 0.500 | 0.250 | 0.750 |');
  });
});
describe('renderCard', () => {
  it('prints an undefined metric (NaN, or null from a checkpoint) as n/a', () => {
    const c = card({ ...counts, source: 'manifest clips.csv' });
    const one = { n: 1, mse: 0.04, ccc: NaN, pearson: NaN, sign_acc: 1 };
    c.metrics.validation = { epoch: 2, ...one };
    c.history = [{ epoch: 2, trainLoss: 0.5, val: { ...one, pearson: null as unknown as number } }];
    const text = renderCard(c);
    expect(text).toContain('| validation (best epoch 2) | MSE 0.0400, CCC n/a, Pearson r n/a, sign accuracy 1 (n 1) |');
    expect(text).toContain('| 2 | 0.5000 | 0.0400 | n/a | n/a | 1 |');
  });
});

