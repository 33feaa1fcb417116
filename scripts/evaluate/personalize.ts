// npm run evaluate -- --personalize K (issue 16 section 3): for each speaker, K of its clips
// (stratified by label, fixed seed) fine-tune the model with the app's module
// (src/training/personalize) and the speaker's other clips are scored before and after, by
// evaluate's own rule (the features evaluate scores). Prints per speaker valence CCC
// before / after and the mean over speakers (arousal CCC too for a two-output model); --json's
// last line has the means of the per-speaker metrics, arousal's in an `arousal` object.
import * as tf from '@tensorflow/tfjs';
import type { CnnConfig } from '../../src/model/config.ts';
import { outputCount } from '../../src/model/config.ts';
import type { LoudnessNormalisation } from '../../src/dsp/loudness.ts';
import { knownMetrics, type ValenceMetrics } from '../../src/training/metrics.ts';
import { deriveSeed } from '../../src/training/random.ts';
import { crc32Hex } from '../../src/model/crc32.ts';
import { fineTune } from '../../src/training/personalize/fine-tune.ts';
import { selectClips } from '../../src/training/personalize/select.ts';
import { PersonalizeError, type PersonalizeRecipe, validateRecipe } from '../../src/training/personalize/recipe.ts';
import type { Clip } from '../lib/corpus.ts';
import { loadSignals, type FeatureCache } from '../lib/feature-cache.ts';
import { toTable, type Row } from '../lib/format-table.ts';
import { predictAll } from './predict-all.ts';

/** A scored clip: its features as evaluate scores them. */
export interface ScoredItem {
  clip: Clip;
  value: Float32Array;
}

export interface PersonalizeRun {
  k: number;
  recipe: PersonalizeRecipe;
  items: readonly ScoredItem[];
  cache: FeatureCache;
  model: tf.LayersModel;
  config: CnnConfig;
  normalisation: LoudnessNormalisation | null;
  json: boolean;
}

interface SpeakerPlan {
  name: string;
  items: ScoredItem[];
  train: number[];
  rest: number[];
}

/** A speaker's selection seed: from its name, so its clips do not depend on which other speakers a run scores. */
const speakerSeed = (seed: number, name: string) => deriveSeed(seed, parseInt(crc32Hex(new TextEncoder().encode(name)), 16));

/** Speakers in first-seen order (corpus/speaker: one id in two corpora is two speakers) with their K clips drawn. */
export function planSpeakers(items: readonly ScoredItem[], k: number, seed: number): SpeakerPlan[] {
  const groups = new Map<string, ScoredItem[]>();
  for (const item of items) {
    const name = `${item.clip.corpus}/${item.clip.speaker}`;
    const g = groups.get(name);
    if (g) g.push(item);
    else groups.set(name, [item]);
  }
  return [...groups].map(([name, group]) => {
    try {
      return { name, items: group, ...selectClips(group.map((i) => i.clip.valence), k, speakerSeed(seed, name)) };
    } catch (e) {
      throw new PersonalizeError(`speaker ${name}: ${(e as Error).message}`);
    }
  });
}

interface SpeakerScores {
  valence: ValenceMetrics | null;
  /** Null for a one-output model, or where no clip's arousal is known. */
  arousal: ValenceMetrics | null;
}

function scoreItems(model: tf.LayersModel, items: readonly ScoredItem[], config: CnnConfig): SpeakerScores {
  const p = predictAll(model, items.map((i) => i.value), config);
  return {
    valence: knownMetrics(p.valence, items.map((i) => i.clip.valence)),
    arousal: p.arousal ? knownMetrics(p.arousal, items.map((i) => i.clip.arousal)) : null,
  };
}

/** Puts weights (LayersModel order) into the model. */
function loadWeights(model: tf.LayersModel, weights: readonly Float32Array[], shapes: readonly number[][]): void {
  const tensors = weights.map((w, i) => tf.tensor(w, shapes[i]));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

const KEYS = ['ccc', 'mse', 'sign_acc'] as const;

/** Each metric's mean over the speakers where it is defined (null where none). */
export function meanMetrics(scores: readonly (ValenceMetrics | null)[]): Record<(typeof KEYS)[number], number | null> {
  const out = { ccc: null, mse: null, sign_acc: null } as Record<(typeof KEYS)[number], number | null>;
  for (const key of KEYS) {
    const v = scores.flatMap((s) => (s && Number.isFinite(s[key]) ? [s[key]] : []));
    out[key] = v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
  }
  return out;
}

/** The mean of the finite values (null where none): the table's r column, which --json's fixed keys leave out. */
const meanOf = (values: readonly (number | undefined)[]): number | null => {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/** Runs the per-speaker fine-tunes and prints the result; returns the exit code. */
export async function personalizeEvaluate(run: PersonalizeRun): Promise<number> {
  const { model, config, recipe } = run;
  validateRecipe(recipe, config.channels.length);
  const plans = planSpeakers(run.items, run.k, recipe.seed);
  if (outputCount(config) === 1 && run.items.some((i) => i.clip.arousal !== null)) {
    console.error('evaluate: note: the model has one output (valence): the arousal labels take no part in fine-tuning');
  }
  const base = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const shapes = model.getWeights().map((w) => w.shape);
  const rows: Row[] = [];
  const before: SpeakerScores[] = [];
  const after: SpeakerScores[] = [];
  for (const plan of plans) {
    const trainItems = plan.train.map((i) => plan.items[i]);
    const restItems = plan.rest.map((i) => plan.items[i]);
    const signals = loadSignals(run.cache, trainItems.map((i) => i.clip));
    if (signals.failures.length > 0) throw new Error(`speaker ${plan.name}: cannot read ${signals.failures[0].path}: ${signals.failures[0].reason}`);
    const sb = scoreItems(model, restItems, config);
    const b = sb.valence;
    const started = performance.now();
    const tuned = await fineTune(
      { config, weights: base, normalisation: run.normalisation, clips: signals.items.map(({ clip, value }) => ({ signal: value, valence: clip.valence, arousal: clip.arousal })) },
      recipe,
    );
    const seconds = (performance.now() - started) / 1000;
    loadWeights(model, tuned.weights, shapes);
    const sa = scoreItems(model, restItems, config);
    const a = sa.valence;
    loadWeights(model, base, shapes);
    before.push(sb);
    after.push(sa);
    rows.push({
      speaker: plan.name, trained: trainItems.length, scored: restItems.length,
      ccc_before: b?.ccc ?? null, ccc_after: a?.ccc ?? null, r_after: a?.pearson ?? null, mse_before: b?.mse ?? null, mse_after: a?.mse ?? null,
      arousal_before: sb.arousal?.ccc ?? null, arousal_after: sa.arousal?.ccc ?? null, seconds,
    });
    const arousal = sb.arousal || sa.arousal ? `; arousal CCC ${sb.arousal?.ccc.toFixed(4)} -> ${sa.arousal?.ccc.toFixed(4)}` : '';
    console.error(`evaluate: ${plan.name}: valence CCC ${b?.ccc.toFixed(4)} -> ${a?.ccc.toFixed(4)} (r ${a?.pearson.toFixed(4)})${arousal} (fine-tune ${seconds.toFixed(1)} s)`);
  }
  const mb = meanMetrics(before.map((s) => s.valence));
  const ma = meanMetrics(after.map((s) => s.valence));
  // Arousal beside valence (as plain evaluate's --json has it) where the model and labels have it.
  const hasArousal = before.some((s) => s.arousal !== null);
  const arousalMeans = hasArousal ? { before: meanMetrics(before.map((s) => s.arousal)), after: meanMetrics(after.map((s) => s.arousal)) } : null;
  rows.push({
    speaker: `mean (${plans.length} speakers)`, trained: null, scored: null,
    ccc_before: mb.ccc, ccc_after: ma.ccc, r_after: meanOf(after.map((s) => s.valence?.pearson)), mse_before: mb.mse, mse_after: ma.mse,
    arousal_before: arousalMeans?.before.ccc ?? null, arousal_after: arousalMeans?.after.ccc ?? null, seconds: null,
  });
  const columns = ['speaker', 'trained', 'scored', 'ccc_before', 'ccc_after', 'r_after', 'mse_before', 'mse_after', ...(hasArousal ? ['arousal_before', 'arousal_after'] : []), 'seconds'];
  const table = toTable(columns, rows, { ccc_before: 4, ccc_after: 4, r_after: 4, mse_before: 4, mse_after: 4, arousal_before: 4, arousal_after: 4, seconds: 1 });
  if (run.json) {
    console.error(table);
    console.log(JSON.stringify({ k: run.k, speakers: plans.length, before: mb, after: ma, ...(arousalMeans ? { arousal: arousalMeans } : {}) }));
  } else console.log(table);
  return 0;
}
