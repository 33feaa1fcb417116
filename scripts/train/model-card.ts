// A trained model's card (the JSON kept in model.json and card.json): its data section, and
// its rendering as the README of the folder: data, split, recipe, feature parameters,
// metrics, date, hash, licence.
import type { ValenceMetrics } from '../../src/training/metrics.ts';
import { VALENCE_MAP_VERSION } from '../../src/training/labels.ts';
import { describeSource, type CorpusSource } from '../lib/corpus.ts';

const RAVDESS_CREDIT =
  'Livingstone SR, Russo FA (2018). The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). ' +
  'PLoS ONE 13(5): e0196391. https://doi.org/10.1371/journal.pone.0196391';
const RAVDESS_LICENCE = 'The data is licensed CC BY-NC-SA 4.0; this model, trained on it, is shared under the same terms.';

export interface TrainedCard {
  name: string;
  date: string;
  command: string;
  data: {
    source: string;
    clips: number;
    speakers: number;
    split: string;
    skipped: number;
    /** Where labels come from file names: the valence map's version (src/training/labels.ts). */
    labels?: { valenceMap: string };
    credit?: string;
    licence?: string;
  };
  recipe: Record<string, unknown>;
  config: Record<string, unknown>;
  normalisation: unknown;
  signal: Record<string, unknown>;
  metrics: { validation: Record<string, number | string | null>; folds?: Record<string, unknown>[] };
  history: { epoch: number; trainLoss: number; val: ValenceMetrics }[];
  timing: { msPerStep: number; threads: number; seconds: number };
  weightsSha256: string;
}

/** The card's data section for a corpus read from `source`; a RAVDESS folder adds its label map, credit and licence. */
export function cardData(source: CorpusSource, d: Pick<TrainedCard['data'], 'clips' | 'speakers' | 'split' | 'skipped'>): TrainedCard['data'] {
  return {
    source: source.kind === 'ravdess' ? `RAVDESS-layout folder ${source.dir}` : describeSource(source),
    clips: d.clips,
    speakers: d.speakers,
    split: d.split,
    skipped: d.skipped,
    // Labels taken from file names follow SPEC section 3's map; a manifest's are its own.
    ...(source.kind === 'ravdess' ? { labels: { valenceMap: VALENCE_MAP_VERSION }, credit: RAVDESS_CREDIT, licence: RAVDESS_LICENCE } : {}),
  };
}

const f = (x: unknown) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(4)) : JSON.stringify(x));

export function renderCard(c: TrainedCard): string {
  const v = c.metrics.validation;
  const lines = [
    `# ${c.name}`,
    '',
    `Valence CNN trained with \`npm run train\` on ${c.date}.`,
    '',
    '| | |',
    '| --- | --- |',
    `| command | \`${c.command}\` |`,
    `| data | ${c.data.source}: ${c.data.clips} clips, ${c.data.speakers} speakers${c.data.skipped ? `, ${c.data.skipped} unreadable skipped` : ''} |`,
    ...(c.data.labels ? [`| labels | valence map ${c.data.labels.valenceMap} (SPEC section 3) |`] : []),
    `| split | ${c.data.split} |`,
    `| model | ${f(c.config)} |`,
    `| recipe | ${f(c.recipe)} |`,
    `| loudness normalisation | ${c.normalisation ? f(c.normalisation) : 'none'} |`,
    `| signal | ${f(c.signal)} |`,
    `| validation (best epoch ${v.epoch}) | MSE ${f(v.mse)}, CCC ${f(v.ccc)}, Pearson r ${f(v.pearson)}, sign accuracy ${f(v.sign_acc)} (n ${v.n}) |`,
    `| training speed | ${c.timing.msPerStep.toFixed(0)} ms/step on ${c.timing.threads} threads, ${(c.timing.seconds / 60).toFixed(1)} min |`,
    `| weights sha256 | \`${c.weightsSha256}\` |`,
    '',
  ];
  if (c.metrics.folds?.length) {
    lines.push('## Every run (configuration x split)', '', '```', ...c.metrics.folds.map((x) => JSON.stringify(x)), '```', '');
  }
  lines.push('## Validation by epoch', '', '| epoch | train MSE | val MSE | CCC | r | sign acc |', '| --- | --- | --- | --- | --- | --- |');
  for (const h of c.history) {
    lines.push(`| ${h.epoch} | ${f(h.trainLoss)} | ${f(h.val.mse)} | ${f(h.val.ccc)} | ${f(h.val.pearson)} | ${f(h.val.sign_acc)} |`);
  }
  if (c.data.credit || c.data.licence) {
    lines.push('', '## Data credit and licence', '', c.data.credit ?? '', '', c.data.licence ?? '');
  }
  lines.push('', 'Files: `model.json` + `weights.bin` (TF.js), `model.safetensors` (PyTorch names and layouts), `card.json`.', '');
  return lines.join('\n');
}
