// `npm run train -- --folds K` and `--grid` as a user runs them, on a few real RAVDESS clips
// through a CSV manifest, one epoch each: speaker-disjoint folds that validate every speaker
// once, the mean of the folds, a grid (a slice of it: flags fix the other axes) with its best
// row kept, a grid over folds ranked by --select mse, and clear errors for an impossible
// number of folds. That --grid alone gives the 40 configurations of SPEC section 2 is checked
// without training (scripts/train/options.test.ts, src/training/grid.test.ts). Every expected
// number is computed from what the run itself reports.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RAVDESS_DATA, runScript, runScriptWithoutTf } from './lib/test-support.ts';

const DATA = RAVDESS_DATA;
const haveData = existsSync(DATA);

const tsx = (script: string, args: string[]) => runScript(script, args);

/**
 * Clips per speaker are distinct powers of two (01: 4, 02: 2, 03: 1), so a fold's count of
 * validation clips tells exactly which speakers it validates. Emotions differ within each
 * speaker so validation labels vary (CCC is then informative) and none is 0 (sign accuracy
 * is defined).
 */
const SPEAKERS: Record<string, number> = { '01': 4, '02': 2, '03': 1 };
const EMOTIONS = ['03', '04', '05', '08']; // happy, sad, angry, surprised
const VALENCE: Record<string, number> = { '03': 0.8, '04': -0.6, '05': -0.7, '08': 0.2 };

function writeManifest(dir: string): string {
  const rows = Object.entries(SPEAKERS).flatMap(([actor, count]) => {
    const files = readdirSync(join(DATA, `Actor_${actor}`)).sort();
    return EMOTIONS.slice(0, count).map((e) => {
      const f = files.find((name) => name.split('-')[2] === e)!;
      return `${join(DATA, `Actor_${actor}`, f)},${VALENCE[e]},${actor}`;
    });
  });
  const csv = join(dir, 'clips.csv');
  writeFileSync(csv, ['path,valence,speaker', ...rows].join('\n') + '\n');
  return csv;
}

/** One run of a grid/fold sweep as the card records it (JSON writes NaN as null). */
interface RunRow {
  split: string;
  lr: number;
  activation: string;
  kernelSize: number;
  pooling: string;
  n: number;
  mse: number | null;
  ccc: number | null;
  pearson: number | null;
  sign_acc: number | null;
}
interface Card {
  recipe: { lr: number };
  config: { activation: string; kernelSize: number; pooling: string };
  data: { split: string };
  metrics: { validation: { mse: number; ccc: number; n: number }; folds?: RunRow[] };
}
const cardOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Card;
const value = (x: number | null) => x ?? NaN;
const METRICS = ['mse', 'ccc', 'pearson', 'sign_acc'] as const;
/** Decimals the grid table prints per metric. */
const DECIMALS = { mse: 4, ccc: 4, pearson: 4, sign_acc: 3 } as const;

const configKey = (lr: number, activation: string, kernel: number, pooling: string) => `${lr}|${activation}|${kernel}|${pooling}`;
const rowKey = (r: RunRow) => configKey(r.lr, r.activation, r.kernelSize, r.pooling);

/** The rows of the grid table printed at the end, in printed order. */
function gridTable(stderr: string): { key: string; printed: Record<(typeof METRICS)[number], string> }[] {
  const lines = stderr.split('\n');
  const start = lines.indexOf('grid results (mean over splits of the best epoch):');
  expect(start, stderr).toBeGreaterThanOrEqual(0);
  expect(lines[start + 1].trim().split(/\s+/)).toEqual(['lr', 'activation', 'kernel', 'pooling', ...METRICS]);
  const rows = [];
  for (const line of lines.slice(start + 3)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== 8 || !Number.isFinite(Number(cells[0]))) break;
    const [lr, activation, kernel, pooling, mse, ccc, pearson, sign_acc] = cells;
    rows.push({ key: configKey(Number(lr), activation, Number(kernel), pooling), printed: { mse, ccc, pearson, sign_acc } });
  }
  return rows;
}

/** Mean of each metric over some runs, as train's summary defines it. */
function meanOf(runs: RunRow[]): Record<(typeof METRICS)[number], number> {
  const mean = (k: (typeof METRICS)[number]) => runs.reduce((s, r) => s + value(r[k]), 0) / runs.length;
  return { mse: mean('mse'), ccc: mean('ccc'), pearson: mean('pearson'), sign_acc: mean('sign_acc') };
}

describe.skipIf(!haveData)('npm run train --folds / --grid (smoke)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-train-cv-'));
  const csv = haveData ? writeManifest(dir) : '';
  const allClips = Object.values(SPEAKERS).reduce((a, b) => a + b, 0);
  const base = ['--manifest', csv, '--epochs', '1', '--threads', '1', '--no-cache'];

  it('--folds 2: speaker-disjoint folds validate every speaker once; the mean is the mean of the folds', () => {
    const out = join(dir, 'folds');
    const r = tsx('scripts/train.ts', [...base, '--folds', '2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);

    // Each fold's counts: the validation count names its speakers (powers of two), and the
    // training side must be exactly every other clip.
    const loads = [...r.stderr.matchAll(/^loading fold (\d+)\/2: (\d+) train, (\d+) validation clips$/gm)];
    expect(loads.map((m) => m[1])).toEqual(['1', '2']);
    const validated = new Map<string, number>();
    for (const [, , train, val] of loads) {
      expect(Number(train) + Number(val)).toBe(allClips);
      const speakers = Object.keys(SPEAKERS).filter((s) => (Number(val) & SPEAKERS[s]) !== 0);
      expect(speakers.reduce((n, s) => n + SPEAKERS[s], 0)).toBe(Number(val));
      for (const s of speakers) validated.set(s, (validated.get(s) ?? 0) + 1);
    }
    expect(Object.fromEntries(validated)).toEqual(Object.fromEntries(Object.keys(SPEAKERS).map((s) => [s, 1])));

    // K results: the card's per-fold rows, which are the numbers each fold's epoch line printed.
    const folds = cardOf(out).metrics.folds!;
    expect(folds.map((f) => f.split)).toEqual(['fold 1/2', 'fold 2/2']);
    const epochLines = [...r.stderr.matchAll(/^fold (\d)\/2 epoch 1\/1 .*val MSE (\S+) +CCC (\S+) +r (\S+) +sign (\S+)/gm)];
    expect(epochLines).toHaveLength(2);
    for (const [, fold, mse, ccc, pearson, sign] of epochLines) {
      const row = folds[Number(fold) - 1];
      expect(row.n).toBe(Number(loads[Number(fold) - 1][3])); // scored on that fold's validation clips
      expect([mse, ccc, pearson, sign]).toEqual([value(row.mse).toFixed(4), value(row.ccc).toFixed(4), value(row.pearson).toFixed(4), value(row.sign_acc).toFixed(3)]);
    }

    // The mean row printed after "folds:" is the mean of those per-fold metrics.
    const printed = /^folds:\n(.+)$/m.exec(r.stderr);
    expect(printed, r.stderr).not.toBeNull();
    const mean = JSON.parse(printed![1]) as Record<string, number>;
    expect(Object.keys(mean)).toEqual([...METRICS]);
    const expected = meanOf(folds);
    for (const k of METRICS) expect(mean[k], k).toBeCloseTo(expected[k], 12);

    // The model kept is the best fold by CCC (the default --select).
    const best = folds.reduce((a, b) => (value(b.ccc) > value(a.ccc) ? b : a));
    const card = cardOf(out);
    expect(card.data.split).toBe(best.split);
    expect(card.metrics.validation.ccc).toBeCloseTo(value(best.ccc), 12);
  });

  it('--grid: each configuration of the slice once in the table, best CCC first and kept', () => {
    const out = join(dir, 'grid');
    // 2 training clips of speaker 01, validated on speaker 02's 2 clips; --lr and
    // --activation fix those axes: kernel x pooling = 4 configurations.
    const r = tsx('scripts/train.ts', [...base, '--grid', '--lr', '1e-3', '--activation', 'sigmoid', '--val-speakers', '02', '--limit', '2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);

    // SPEC section 2's kernel and pooling axes, written out here rather than read from the code under test.
    const spec = [3, 5].flatMap((k) => ['max', 'avg'].map((p) => configKey(1e-3, 'sigmoid', k, p)));
    const table = gridTable(r.stderr);
    expect(table).toHaveLength(spec.length);
    expect(table.map((t) => t.key).sort()).toEqual([...spec].sort());

    // Per-configuration results as the run recorded them (one split: the row is that run).
    const runs = cardOf(out).metrics.folds!;
    expect(runs.map(rowKey).sort()).toEqual([...spec].sort());
    const byKey = new Map(runs.map((x) => [rowKey(x), x]));
    for (const t of table) {
      const run = byKey.get(t.key)!;
      for (const k of METRICS) expect(t.printed[k], `${t.key} ${k}`).toBe(value(run[k]).toFixed(DECIMALS[k]));
    }
    // Best CCC first, then never increasing down the table.
    const ccc = table.map((t) => value(byKey.get(t.key)!.ccc));
    expect(ccc[0]).toBe(Math.max(...runs.map((x) => value(x.ccc))));
    ccc.slice(1).forEach((c, i) => expect(c).toBeLessThanOrEqual(ccc[i]));

    // The model saved is the top row's configuration, with its validation score.
    const card = cardOf(out);
    expect(configKey(card.recipe.lr, card.config.activation, card.config.kernelSize, card.config.pooling)).toBe(table[0].key);
    expect(card.metrics.validation.ccc).toBeCloseTo(ccc[0], 12);
  });

  it('--grid --folds 2 --select mse: rows are means over the folds, lowest MSE first, and its model is kept', () => {
    const out = join(dir, 'grid-folds');
    // --lr, --kernel and --pooling fix those axes: activation = 2 configurations x 2 folds.
    const r = tsx('scripts/train.ts', [...base, '--grid', '--folds', '2', '--select', 'mse', '--lr', '1e-4', '--kernel', '3', '--pooling', 'max', '--out', out]);
    expect(r.status, r.stderr).toBe(0);

    const table = gridTable(r.stderr);
    const expectedKeys = ['relu', 'sigmoid'].map((a) => configKey(1e-4, a, 3, 'max'));
    expect(table.map((t) => t.key).sort()).toEqual([...expectedKeys].sort());

    const runs = cardOf(out).metrics.folds!;
    expect(runs).toHaveLength(expectedKeys.length * 2);
    const means = new Map<string, Record<(typeof METRICS)[number], number>>();
    for (const key of expectedKeys) {
      const mine = runs.filter((x) => rowKey(x) === key);
      expect(mine.map((x) => x.split).sort()).toEqual(['fold 1/2', 'fold 2/2']);
      means.set(key, meanOf(mine));
    }
    for (const t of table) {
      for (const k of METRICS) expect(Number(t.printed[k]), `${t.key} ${k}`).toBeCloseTo(means.get(t.key)![k], DECIMALS[k]);
    }
    // Ranked by the selection metric: the lowest mean MSE first.
    const mse = table.map((t) => means.get(t.key)!.mse);
    expect(mse[0]).toBe(Math.min(...mse));
    mse.slice(1).forEach((m, i) => expect(m).toBeGreaterThanOrEqual(mse[i]));

    // The model kept belongs to the top row (not merely the best single fold of any row), and
    // is that configuration's better fold.
    const card = cardOf(out);
    expect(configKey(card.recipe.lr, card.config.activation, card.config.kernelSize, card.config.pooling)).toBe(table[0].key);
    const topFolds = runs.filter((x) => rowKey(x) === table[0].key);
    expect(card.metrics.validation.mse).toBeCloseTo(Math.min(...topFolds.map((x) => value(x.mse))), 12);
  });

  it('refuses --folds 1 and more folds than speakers, saying why, before loading TF.js', () => {
    const one = runScriptWithoutTf('scripts/train.ts', [...base, '--folds', '1', '--out', join(dir, 'one')]);
    expect(one.stderr).not.toMatch(/FORBIDDEN/);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/--folds must be a whole number >= 2, got "1"/);

    const speakers = Object.keys(SPEAKERS).length;
    const many = runScriptWithoutTf('scripts/train.ts', [...base, '--folds', String(speakers + 1), '--out', join(dir, 'many')]);
    expect(many.stderr).not.toMatch(/FORBIDDEN/);
    expect(many.status).not.toBe(0);
    expect(many.stderr).toContain(`${speakers + 1} folds need at least ${speakers + 1} speakers, the corpus has ${speakers}`);
    expect(existsSync(join(dir, 'many', 'model.json'))).toBe(false);
  });
});
