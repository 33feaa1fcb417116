// npm run train: trains the valence CNN on one or several corpora (RAVDESS or TurEV-DB
// folders, CSV manifests) with the project's one signal pipeline, on TF.js wasm with
// gradient workers, and writes models/NAME (TF.js model + card + README + PyTorch
// safetensors). See --help. TF.js and the trainer load only once the options, the corpora
// and the splits have been checked, so those errors come without their start-up cost.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MEL, TARGET_RATE, WINDOW_LENGTH } from '../src/dsp/params.ts';
import { kFoldBySpeaker, speakersOf } from '../src/training/split.ts';
import { splitCorpora } from '../src/training/corpus-split.ts';
import { metricText, type ValenceMetrics } from '../src/training/metrics.ts';
import { isBetter, needsSignals, recipeKey, type Recipe } from '../src/training/recipe.ts';
import { gridRecipes, meanMetrics, rankRows, type MeanMetrics } from '../src/training/grid.ts';
import type { BestEpoch, EpochRecord } from '../src/training/run-state.ts';
import { readCorpora, type NamedCorpus } from './lib/corpus.ts';
import { FeatureCache } from './lib/feature-cache.ts';
import { setDefaultModel } from './lib/model-index.ts';
import { toTable } from './lib/format-table.ts';
import { USAGE, parseTrainOptions, type TrainOptions } from './train/options.ts';
import { Progress } from './train/progress.ts';
import { checkpointDir, loadCheckpoint, removeCheckpoint, saveCheckpoint } from './train/checkpoint.ts';
import { describeFailures, loadSplit, type LoadedSplit, type SplitClips } from './train/load-split.ts';
import { assertNoSharedContent } from './train/shared-content-check.ts';
import { cardData, type CorpusRole } from './train/model-card.ts';
import { runCli } from './lib/cli.ts';

let stopRequested = false;
function installInterrupt(progress: Progress): void {
  process.on('SIGINT', () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    progress.line('\nstopping after this step (the last finished epoch is checkpointed; Ctrl-C again to quit now)');
  });
}

async function train(opts: TrainOptions): Promise<number> {
  const progress = new Progress();
  const modelExists = existsSync(join(opts.out, 'model.json'));
  if (modelExists && !opts.resume && !opts.overwrite) {
    console.error(`train: ${opts.out} already holds a model; choose another --name, or pass --overwrite to replace it`);
    return 2;
  }
  const corpora = readCorpora(opts.sources);
  let clipCount = 0;
  let speakerCount = 0;
  for (const c of corpora) {
    for (const note of c.notes) progress.line(`note: ${c.name}: ${note}`);
    const n = speakersOf(c.clips).length;
    clipCount += c.clips.length;
    speakerCount += n;
    progress.line(`corpus ${c.name} (${c.layout}): ${c.clips.length} clips, ${n} speakers`);
  }
  const splits = makeSplits(opts, corpora);
  // Before the backend and the features: a refusal costs a read of the files, nothing more.
  assertNoSharedContent(splits);
  const recipes: Recipe[] = opts.grid ? gridRecipes(opts.recipe, opts.grid) : [opts.recipe];
  if (opts.resume && (recipes.length > 1 || splits.length > 1)) throw new Error('--resume works for a single run (not with --grid or --folds)');

  const [{ initNodeBackend }, { trainRun, scoresLine }, { saveModel }] = await Promise.all([
    import('../src/model/backend.ts'),
    import('../src/training/train-loop.ts'),
    import('./train/save-model.ts'),
  ]);
  const backend = await initNodeBackend('wasm');
  progress.line(`backend ${backend}, ${opts.threads} gradient threads`);

  const started = performance.now();
  const foldRows: Record<string, unknown>[] = [];
  let skipped = 0;
  /** The model card for a best epoch (at the end, or provisional while a run goes on). */
  const describe = (recipe: Recipe, best: BestEpoch, history: readonly EpochRecord[], splitName: string, steps: number) => {
    const seconds = (performance.now() - started) / 1000;
    return {
      date: new Date().toISOString().slice(0, 10),
      command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
      data: cardData(splits.find((x) => x.name === splitName)?.roles ?? splits[0].roles, {
        clips: clipCount,
        speakers: speakerCount,
        split: splitName + (opts.limit ? ` (limited to ${opts.limit} clips per split)` : ''),
        skipped,
      }),
      recipe: { ...recipe, config: undefined, normalisation: undefined },
      config: { ...recipe.config },
      normalisation: recipe.normalisation,
      signal: {
        sampleRate: TARGET_RATE,
        windowLength: WINDOW_LENGTH,
        mel: MEL,
        features: recipe.config.features,
        windowRule: 'first 61500 samples, zero-padded at the end (validation); live windows as SPEC section 1',
      },
      metrics: {
        validation: { epoch: best.epoch, ...best.val },
        ...(best.corpora ? { corpora: best.corpora } : {}),
        ...(best.holdout ? { holdout: best.holdout } : {}),
        ...(foldRows.length > 1 ? { folds: foldRows } : {}),
      },
      history: history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, val: { ...h.val }, ...(h.corpora ? { corpora: h.corpora } : {}), ...(h.holdout ? { holdout: h.holdout } : {}) })),
      timing: { msPerStep: (seconds * 1000) / Math.max(1, steps), threads: opts.threads, seconds, secondsPerEpoch: history.length > 0 ? history.reduce((s, h) => s + h.seconds, 0) / history.length : null },
    };
  };
  installInterrupt(progress);
  const cache = new FeatureCache({ enabled: opts.cache, warn: (m) => progress.line(`warning: ${m}`) });
  const ckptDir = checkpointDir(opts.out);
  let stepsTotal = 0;
  type Kept = { recipe: Recipe; best: BestEpoch; history: EpochRecord[]; split: string };
  /** Each recipe's mean over the splits (its table row) and its best split's run. */
  const results: { recipe: Recipe; mean: MeanMetrics; kept: Kept }[] = [];
  const loaded = new Map<string, LoadedSplit>();

  for (const recipe of recipes) {
    const perFold: ValenceMetrics[] = [];
    let recipeBest: Kept | null = null;
    for (const { name, split } of splits) {
      const dataKey = `${name}|${recipe.config.features}|${JSON.stringify(recipe.normalisation)}|${needsSignals(recipe)}`;
      if (!loaded.has(dataKey)) {
        const valCount = split.val.reduce((a, v) => a + v.clips.length, 0);
        progress.line(`loading ${name}: ${split.train.length} train, ${valCount} validation${split.holdout ? `, ${split.holdout.clips.length} held-out` : ''} clips`);
        const l = loadSplit(cache, split, recipe, progress);
        describeFailures(l.failures, progress);
        skipped = Math.max(skipped, l.failures.length);
        loaded.set(dataKey, l);
      }
      const { input } = loaded.get(dataKey)!;
      const resume = opts.resume ? loadCheckpoint(ckptDir) : null;
      if (resume && resume.recipeKey !== recipeKey(recipe)) {
        throw new Error(`the checkpoint in ${ckptDir} was made with another recipe; start anew without --resume`);
      }
      if (resume) progress.line(`resuming after epoch ${resume.epoch}`);
      const single = recipes.length === 1 && splits.length === 1;
      const label = recipes.length > 1 ? `[lr ${recipe.lr} ${recipe.config.activation} k${recipe.config.kernelSize} ${recipe.config.pooling}] ` : splits.length > 1 ? `${name} ` : '';
      const stepsPerEpoch = Math.ceil(input.train.length / recipe.batchSize);
      const r = await trainRun(recipe, input, {
        progress,
        label,
        threads: opts.threads,
        shouldStop: () => stopRequested,
        resume,
        recipeKey: recipeKey(recipe),
        onEpochEnd: single ? (c) => saveCheckpoint(ckptDir, c) : undefined,
        // A single run keeps its best epoch on disk as it appears, so nothing is lost to a crash.
        onBest: single
          ? (b, h) => saveModel(opts.out, recipe, b, describe(recipe, b, [...h], name, stepsTotal + h.length * stepsPerEpoch))
          : undefined,
      });
      stepsTotal += r.history.length * stepsPerEpoch;
      if (r.best) {
        perFold.push(r.best.val);
        foldRows.push({ split: name, lr: recipe.lr, ...recipe.config, bestEpoch: r.best.epoch, ...r.best.val });
        if (!recipeBest || isBetter(r.best.val, recipeBest.best.val, recipe.select)) {
          recipeBest = { recipe, best: r.best, history: r.history, split: name };
        }
      } else if (!r.interrupted) {
        // Every epoch's validation metric was NaN (e.g. one label only): say so, as the mean skips it.
        progress.line(`warning: ${name}: no epoch gave a usable validation ${recipe.select}; left out of the mean`);
      }
      if (r.interrupted) {
        progress.line(`interrupted: ${single ? `checkpoint in ${ckptDir}; continue with the same command and --resume` : 'grid/fold runs cannot resume'}`);
        break;
      }
    }
    if (recipeBest) results.push({ recipe, mean: meanMetrics(perFold), kept: recipeBest });
    if (stopRequested) break;
  }

  // Recipes compete on their mean over the splits; the model kept is the top one's best split.
  const ranked = rankRows(results, opts.recipe.select);
  if (recipes.length > 1 && ranked.length > 0) {
    progress.line('\ngrid results (mean over splits of the best epoch):');
    const table = ranked.map(({ recipe: r, mean }) => ({ lr: r.lr, activation: r.config.activation, kernel: r.config.kernelSize, pooling: r.config.pooling, ...mean }));
    progress.line(toTable(['lr', 'activation', 'kernel', 'pooling', 'mse', 'ccc', 'pearson', 'sign_acc'], table, { mse: 4, ccc: 4, pearson: 4, sign_acc: 3 }));
  } else if (splits.length > 1 && ranked.length > 0) {
    progress.line('\nfolds:');
    progress.line(JSON.stringify(ranked[0].mean));
  }
  const bestOverall = ranked.length > 0 ? ranked[0].kept : null;
  if (!bestOverall) {
    // Epochs that ran but never gave a defined selection metric are not "no epoch finished".
    const why =
      stepsTotal > 0
        ? `no epoch gave a defined validation ${opts.recipe.select.toUpperCase()}` +
          (opts.recipe.select === 'ccc' ? ' (CCC needs validation labels that vary: at least two clips with different labels; or choose epochs with --select mse)' : '')
        : 'no epoch finished';
    console.error(`train: ${why}; nothing saved`);
    return stopRequested ? 130 : 1;
  }
  const { recipe, best } = bestOverall;
  await saveModel(opts.out, recipe, best, describe(recipe, best, bestOverall.history, bestOverall.split, stepsTotal));
  if (!stopRequested) removeCheckpoint(ckptDir);
  if (opts.makeDefault) setDefaultModel(opts.out);
  progress.line(
    `saved ${opts.out} (best epoch ${best.epoch}: val MSE ${metricText(best.val.mse)}, CCC ${metricText(best.val.ccc)})` +
      (opts.makeDefault ? '; now the default model' : ''),
  );
  if (best.holdout) progress.line(`held-out corpus at that epoch:\n${scoresLine(best.holdout)}`);
  return stopRequested ? 130 : 0;
}

/** One train/validation split of the run, with each corpus's role in it (for the card). */
interface NamedSplit {
  name: string;
  split: SplitClips;
  roles: CorpusRole[];
}

/** Each corpus's speakers on each side of a split. */
function rolesOf(corpora: readonly NamedCorpus[], split: SplitClips): CorpusRole[] {
  return corpora.map((c) => {
    const val = split.val.find((v) => v.corpus === c.name);
    return {
      name: c.name,
      layout: c.layout,
      source: c.source,
      clips: c.clips.length,
      speakers: speakersOf(c.clips).length,
      trainSpeakers: speakersOf(split.train.filter((x) => x.corpus === c.name)),
      valSpeakers: val ? speakersOf(val.clips) : [],
      heldOut: split.holdout?.corpus === c.name,
    };
  });
}

/** The run's splits: k folds of one corpus, or every corpus split by its own speakers (one corpus maybe held out). */
function makeSplits(opts: TrainOptions, corpora: readonly NamedCorpus[]): NamedSplit[] {
  let splits: { name: string; split: SplitClips }[];
  if (opts.folds > 0) {
    const [only] = corpora;
    splits = kFoldBySpeaker(only.clips, opts.folds, opts.recipe.seed).map((s, i) => ({
      name: `fold ${i + 1}/${opts.folds}`,
      split: { train: s.train, val: [{ corpus: only.name, clips: s.val }], holdout: null },
    }));
  } else {
    const lists = new Map(opts.valSpeakers.map((f) => [f.corpus ?? corpora[0].name, f.list]));
    const s = splitCorpora(corpora, lists, opts.holdout);
    const given = opts.valSpeakers.length === 1 && opts.valSpeakers[0].corpus === null ? opts.valSpeakers[0].list : null;
    const name =
      corpora.length === 1
        ? `validation speakers ${given ?? s.val[0].speakers.join(',')}`
        : [...s.val.map((v) => `${v.corpus}: validation speakers ${v.speakers.join(',')}`), ...(s.holdout ? [`${s.holdout.corpus}: held out`] : [])].join('; ');
    splits = [{ name, split: { train: s.train, val: s.val.map((v) => ({ corpus: v.corpus, clips: v.clips })), holdout: s.holdout } }];
  }
  return splits.map(({ name, split }) => {
    const limited: SplitClips = opts.limit
      ? {
          train: limitPerCorpus(split.train, opts.limit),
          val: split.val.map((v) => ({ corpus: v.corpus, clips: v.clips.slice(0, opts.limit!) })),
          holdout: split.holdout ? { corpus: split.holdout.corpus, clips: split.holdout.clips.slice(0, opts.limit) } : null,
        }
      : split;
    return { name, split: limited, roles: rolesOf(corpora, limited) };
  });
}

/** At most `limit` clips of each corpus (a smoke run still sees every corpus). */
function limitPerCorpus<T extends { corpus: string }>(clips: readonly T[], limit: number): T[] {
  const seen = new Map<string, number>();
  return clips.filter((c) => {
    const k = (seen.get(c.corpus) ?? 0) + 1;
    seen.set(c.corpus, k);
    return k <= limit;
  });
}

runCli('train', USAGE, parseTrainOptions, train);
