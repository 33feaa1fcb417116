// What evaluate prints: a table with one row per corpus (and a pooled row when there are
// several), and the --json line whose top-level keys are the pooled valence metrics, the
// contract existing consumers read.
import type { ValenceMetrics } from '../../src/training/metrics.ts';
import type { DimensionScores, ScoresByCorpus } from '../../src/training/corpus-scores.ts';
import { toTable, type Row } from '../lib/format-table.ts';

/** The label of the table's pooled row (several corpora only). */
export const POOLED_LABEL = 'all (pooled)';

const METRIC_KEYS = ['mse', 'ccc', 'pearson', 'sign_acc'] as const;
/** Valence columns carry the JSON names; arousal's the same with an `a_` prefix. */
export const TABLE_COLUMNS = ['corpus', 'n', ...METRIC_KEYS, 'a_n', ...METRIC_KEYS.map((k) => `a_${k}`)];

/** A metric as the table shows it: NaN (undefined) as n/a. */
const show = (v: number) => (Number.isNaN(v) ? 'n/a' : v);

function cells(m: ValenceMetrics | null, prefix: string): Row {
  const row: Row = { [`${prefix}n`]: m ? m.n : null };
  for (const k of METRIC_KEYS) row[`${prefix}${k}`] = m ? show(m[k]) : null;
  return row;
}

const rowOf = (corpus: string, s: DimensionScores): Row => ({ corpus, ...cells(s.valence, ''), ...cells(s.arousal, 'a_') });

/** The table: one row per corpus, then (with several corpora) the pooled row; empty cells where a dimension is not scored. */
export function scoresTable(scores: ScoresByCorpus): string {
  const rows = scores.corpora.map((c) => rowOf(c.corpus, c));
  if (scores.corpora.length > 1) rows.push(rowOf(POOLED_LABEL, scores.pooled));
  const digits = Object.fromEntries(TABLE_COLUMNS.filter((c) => !['corpus', 'n', 'a_n'].includes(c)).map((c) => [c, 4]));
  return toTable(TABLE_COLUMNS, rows, digits);
}

/** Exactly these keys, in this order (NaN, an undefined metric, becomes null in JSON). */
function metricsJson(m: ValenceMetrics | null): Record<string, number | null> {
  if (!m) return { n: 0, mse: null, ccc: null, pearson: null, sign_acc: null };
  const { n, mse, ccc, pearson, sign_acc } = m;
  return { n, mse, ccc, pearson, sign_acc };
}

/** One group's JSON: the valence keys, then `arousal` with the same keys when it is scored. */
function groupJson(s: DimensionScores): Record<string, unknown> {
  return { ...metricsJson(s.valence), ...(s.arousal ? { arousal: metricsJson(s.arousal) } : {}) };
}

/**
 * The --json line: pooled valence n, mse, ccc, pearson, sign_acc at the top level, then
 * `arousal` (same keys) when it is scored, then, with several corpora, `corpora` keyed by
 * name with the same structure each. One corpus with a one-output model gives exactly the
 * five valence keys, as before corpora were added.
 */
export function scoresJson(scores: ScoresByCorpus): string {
  const out = groupJson(scores.pooled);
  if (scores.corpora.length > 1) out.corpora = Object.fromEntries(scores.corpora.map((c) => [c.corpus, groupJson(c)]));
  return JSON.stringify(out);
}
