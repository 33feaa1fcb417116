// Renders a trained model's card (the JSON kept in model.json and card.json) as the README
// of its folder: data, split, recipe, feature parameters, metrics, date, hash, licence.
import type { ValenceMetrics } from '../../src/training/metrics.ts';

export interface TrainedCard {
  name: string;
  date: string;
  command: string;
  data: { source: string; clips: number; speakers: number; split: string; skipped: number; credit?: string; licence?: string };
  recipe: Record<string, unknown>;
  config: Record<string, unknown>;
  normalisation: unknown;
  signal: Record<string, unknown>;
  metrics: { validation: Record<string, number | string | null>; folds?: Record<string, unknown>[] };
  history: { epoch: number; trainLoss: number; val: ValenceMetrics }[];
  timing: { msPerStep: number; threads: number; seconds: number };
  weightsSha256: string;
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
