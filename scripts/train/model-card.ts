// A trained model's card (the JSON kept in model.json and card.json): its data section (each
// corpus with its speakers on each side, credit and licence), and its rendering as the
// README of the folder: data, split, recipe, feature parameters, metrics per corpus, date,
// hash, licence.
import type { ValenceMetrics } from '../../src/training/metrics.ts';
import type { CorpusScores } from '../../src/training/score.ts';
import { VALENCE_MAP_VERSION } from '../../src/training/labels.ts';
import { describeSource, type NamedCorpus } from '../lib/corpus.ts';

const RAVDESS_CREDIT =
  'Livingstone SR, Russo FA (2018). The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). ' +
  'PLoS ONE 13(5): e0196391. https://doi.org/10.1371/journal.pone.0196391';
const RAVDESS_LICENCE = 'The data is licensed CC BY-NC-SA 4.0; this model, trained on it, is shared under the same terms.';
const TUREV_CREDIT =
  'Canpolat SF, Ormanoğlu Z, Zeyrek D (2020). Turkish Emotion Voice Database (TurEV-DB). Proceedings of the 1st Joint ' +
  'Workshop on Spoken Language Technologies for Under-resourced languages (SLTU) and Collaboration and Computing for ' +
  'Under-Resourced Languages (CCURL), pp. 368-375.';
const TUREV_LICENCE =
  'TurEV-DB is licensed CC BY-NC-ND 4.0 (its repository also carries GPL-3.0; the stricter applies): non-commercial use ' +
  'only, with the credit above; its audio is not redistributed.';

/** Credit and licence of the corpora whose layout the project knows (a manifest's are its owner's). */
const CREDITS: Partial<Record<NamedCorpus['layout'], { credit: string; licence: string }>> = {
  ravdess: { credit: RAVDESS_CREDIT, licence: RAVDESS_LICENCE },
  turev: { credit: TUREV_CREDIT, licence: TUREV_LICENCE },
};

/** One corpus of a run as the card records it; evaluate reads trainSpeakers to warn. */
export interface CorpusCard {
  name: string;
  layout: NamedCorpus['layout'];
  source: string;
  clips: number;
  speakers: number;
  trainSpeakers: string[];
  valSpeakers: string[];
  /** Held out whole (leave-one-corpus-out): never trained on. */
  heldOut: boolean;
  credit?: string;
  licence?: string;
}

/** What cardData needs of a corpus. */
export type CorpusRole = Pick<NamedCorpus, 'name' | 'layout' | 'source'> & Pick<CorpusCard, 'clips' | 'speakers' | 'trainSpeakers' | 'valSpeakers' | 'heldOut'>;

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
    /** Where labels come from file names: the map's version (src/training/labels.ts), valence and arousal. */
    labels?: { valenceMap: string; arousalMap: string };
    corpora?: CorpusCard[];
    credit?: string;
    licence?: string;
  };
  recipe: Record<string, unknown>;
  config: Record<string, unknown>;
  normalisation: unknown;
  signal: Record<string, unknown>;
  metrics: {
    validation: Record<string, number | string | null>;
    /** The best epoch's scores per validation corpus, and the held-out corpus's. */
    corpora?: CorpusScores[];
    holdout?: CorpusScores;
    folds?: Record<string, unknown>[];
  };
  history: { epoch: number; trainLoss: number; val: ValenceMetrics }[];
  /** secondsPerEpoch: the run's mean epoch, validation included (absent in cards made before it). */
  timing: { msPerStep: number; threads: number; seconds: number; secondsPerEpoch?: number | null };
  weightsSha256: string;
}

const layoutName = { ravdess: 'RAVDESS-layout folder', turev: 'TurEV-DB-layout folder', manifest: 'manifest' } as const;
const sourceText = (c: Pick<NamedCorpus, 'layout' | 'source'>) =>
  c.source.kind === 'manifest' ? describeSource(c.source) : `${layoutName[c.layout]} ${c.source.dir}`;

/** The card's data section for the corpora of a run; corpora read by layout add the label map, credit and licence. */
export function cardData(corpora: readonly CorpusRole[], d: Pick<TrainedCard['data'], 'clips' | 'speakers' | 'split' | 'skipped'>): TrainedCard['data'] {
  const cards = corpora.map((c): CorpusCard => ({
    name: c.name,
    layout: c.layout,
    source: sourceText(c),
    clips: c.clips,
    speakers: c.speakers,
    trainSpeakers: [...c.trainSpeakers],
    valSpeakers: [...c.valSpeakers],
    heldOut: c.heldOut,
    ...CREDITS[c.layout],
  }));
  // Labels taken from file names follow SPEC section 3's map; a manifest's are its own.
  const mapped = cards.some((c) => c.layout !== 'manifest');
  const credited = cards.filter((c) => c.credit);
  return {
    source: cards.map((c) => c.source).join('; '),
    clips: d.clips,
    speakers: d.speakers,
    split: d.split,
    skipped: d.skipped,
    ...(mapped ? { labels: { valenceMap: VALENCE_MAP_VERSION, arousalMap: VALENCE_MAP_VERSION } } : {}),
    corpora: cards,
    ...(credited.length > 0 ? { credit: credited.map((c) => c.credit).join('\n\n'), licence: credited.map((c) => c.licence).join('\n\n') } : {}),
  };
}

const g = (x: number | undefined) => (x === undefined ? '' : Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** The best epoch's table per corpus: role, n, valence and arousal CCC / r / MSE / sign accuracy. */
function scoresTable(c: TrainedCard): string[] {
  const rows = [...(c.metrics.corpora ?? []).map((s) => ({ s, role: 'validation speakers' })), ...(c.metrics.holdout ? [{ s: c.metrics.holdout, role: 'held out (never trained on)' }] : [])];
  if (rows.length === 0) return [];
  return [
    '## Scores per corpus (best epoch)',
    '',
    '| corpus | role | n | valence CCC | r | MSE | sign acc | arousal CCC | r | MSE | sign acc |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(({ s, role }) => {
      const v = s.valence;
      const a = s.arousal;
      return `| ${s.corpus} | ${role} | ${v?.n ?? a?.n ?? 0} | ${g(v?.ccc)} | ${g(v?.pearson)} | ${g(v?.mse)} | ${g(v?.sign_acc)} | ${g(a?.ccc)} | ${g(a?.pearson)} | ${g(a?.mse)} | ${g(a?.sign_acc)} |`;
    }),
    '',
  ];
}

/** A card value: integers as they are, other numbers to 4 decimals, an undefined metric (NaN, a checkpoint's null) as n/a. */
const f = (x: unknown) =>
  x === null || (typeof x === 'number' && !Number.isFinite(x)) ? 'n/a' : typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(4)) : JSON.stringify(x);

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
    ...(c.data.labels ? [`| labels | valence map ${c.data.labels.valenceMap}, arousal map ${c.data.labels.arousalMap} (SPEC section 3) |`] : []),
    ...(c.data.corpora ?? []).map(
      (k) => `| corpus ${k.name} | ${k.source}: ${k.clips} clips, ${k.speakers} speakers; ${k.heldOut ? 'held out whole' : `trains on ${k.trainSpeakers.join(', ')}; validates on ${k.valSpeakers.join(', ')}`} |`,
    ),
    `| split | ${c.data.split} |`,
    `| model | ${f(c.config)} |`,
    `| recipe | ${f(c.recipe)} |`,
    `| loudness normalisation | ${c.normalisation ? f(c.normalisation) : 'none'} |`,
    `| signal | ${f(c.signal)} |`,
    `| validation (best epoch ${v.epoch}) | MSE ${f(v.mse)}, CCC ${f(v.ccc)}, Pearson r ${f(v.pearson)}, sign accuracy ${f(v.sign_acc)} (n ${v.n}) |`,
    `| training speed | ${c.timing.msPerStep.toFixed(0)} ms/step on ${c.timing.threads} threads, ${(c.timing.seconds / 60).toFixed(1)} min${c.timing.secondsPerEpoch != null ? `, ${c.timing.secondsPerEpoch.toFixed(1)} s/epoch` : ''} |`,
    `| weights sha256 | \`${c.weightsSha256}\` |`,
    '',
  ];
  lines.push(...scoresTable(c));
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
