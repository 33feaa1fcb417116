// evaluate's printed forms: the JSON line's keys and their order (one corpus with one output
// gives exactly the five valence keys), and the table's rows and empty arousal cells.
import { describe, expect, it } from 'vitest';
import type { ScoresByCorpus } from '../../src/training/corpus-scores.ts';
import { POOLED_LABEL, TABLE_COLUMNS, scoresJson, scoresTable } from './report.ts';

const m = (n: number, x: number) => ({ n, mse: x, ccc: x / 2, pearson: NaN, sign_acc: 0.5 });

describe('scoresJson', () => {
  it('one corpus, one output: exactly n, mse, ccc, pearson, sign_acc (NaN as null)', () => {
    const s: ScoresByCorpus = { corpora: [{ corpus: 'a', clips: 4, valence: m(4, 0.2), arousal: null }], pooled: { clips: 4, valence: m(4, 0.2), arousal: null } };
    expect(scoresJson(s)).toBe('{"n":4,"mse":0.2,"ccc":0.1,"pearson":null,"sign_acc":0.5}');
  });

  it('several corpora with arousal: pooled valence keys, arousal, then corpora by name', () => {
    const s: ScoresByCorpus = {
      corpora: [
        { corpus: 'a', clips: 2, valence: m(2, 0.1), arousal: m(2, 0.3) },
        { corpus: 'b', clips: 3, valence: null, arousal: m(3, 0.4) },
        { corpus: 'c', clips: 1, valence: m(1, 0.6), arousal: null },
      ],
      pooled: { clips: 6, valence: m(3, 0.2), arousal: m(5, 0.5) },
    };
    const out = JSON.parse(scoresJson(s)) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['n', 'mse', 'ccc', 'pearson', 'sign_acc', 'arousal', 'corpora']);
    expect(out.arousal).toEqual({ n: 5, mse: 0.5, ccc: 0.25, pearson: null, sign_acc: 0.5 });
    expect(out.corpora).toEqual({
      a: { n: 2, mse: 0.1, ccc: 0.05, pearson: null, sign_acc: 0.5, arousal: { n: 2, mse: 0.3, ccc: 0.15, pearson: null, sign_acc: 0.5 } },
      b: { n: 0, mse: null, ccc: null, pearson: null, sign_acc: null, arousal: { n: 3, mse: 0.4, ccc: 0.2, pearson: null, sign_acc: 0.5 } },
      c: { n: 1, mse: 0.6, ccc: 0.3, pearson: null, sign_acc: 0.5 },
    });
  });
});

describe('scoresTable', () => {
  it('a row per corpus, then the pooled row; empty cells where a dimension is not scored', () => {
    const s: ScoresByCorpus = {
      corpora: [
        { corpus: 'a', clips: 2, valence: m(2, 0.1), arousal: m(2, 0.3) },
        { corpus: 'b', clips: 1, valence: m(1, 0.6), arousal: null },
      ],
      pooled: { clips: 3, valence: m(3, 0.2), arousal: m(2, 0.3) },
    };
    const lines = scoresTable(s).split('\n');
    expect(lines[0].split(/\s+/)).toEqual(TABLE_COLUMNS);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      ['a', '2', '0.1000', '0.0500', 'n/a', '0.5000', '2', '0.3000', '0.1500', 'n/a', '0.5000'],
      ['b', '1', '0.6000', '0.3000', 'n/a', '0.5000'],
      [POOLED_LABEL, '3', '0.2000', '0.1000', 'n/a', '0.5000', '2', '0.3000', '0.1500', 'n/a', '0.5000'],
    ]);
  });

  it('one corpus: no pooled row', () => {
    const s: ScoresByCorpus = { corpora: [{ corpus: 'a', clips: 2, valence: m(2, 0.1), arousal: null }], pooled: { clips: 2, valence: m(2, 0.1), arousal: null } };
    expect(scoresTable(s).split('\n')).toHaveLength(3);
  });
});
