// One training run: a recipe on one train/validation split, over one or several corpora.
// Batches are drawn evenly from the corpora; augmented windows (through the shared
// pipeline's windowFeatures, train-windows.ts) are built by the gradient workers themselves,
// each its shard's, from signals shared once; batches of fixed features are built here while
// the workers compute the previous step. Every epoch ends with validation metrics per corpus
// and per dimension and the held-out corpus's score (the forward pass in the workers, the
// metrics here), the best-epoch bookkeeping and a checkpoint, so an interruption loses at
// most the epoch in progress. With weight averaging (recipe.averageEpochs) the model scored,
// chosen and kept is the mean of the last epochs' weights; training goes on from its own. Progress, files and Ctrl-C are the caller's (RunControl):
// this module prints and writes nothing itself.
import * as tf from '@tensorflow/tfjs';
import { ParallelTrainer } from '../model/train/parallel.ts';
import { outputCount } from '../model/config.ts';
import { epochOrder } from './balance.ts';
import { createRng, deriveSeed } from './random.ts';
import { isBetter, type Recipe } from './recipe.ts';
import { summarise, type CorpusScores, type EvalSet, type Labels } from './score.ts';
import { metricText } from './metrics.ts';
import { packEvalSets, scorePrediction, setPrediction } from './eval-pack.ts';
import { buildWindow, packSignals, windowSeed, type WindowPlan, type WindowSource } from './train-windows.ts';
import type { BestEpoch, Checkpoint, EpochRecord } from './run-state.ts';
import { RecentWeights } from './weight-average.ts';
import { blendTargets, drawMixes, type Mix } from './mixup.ts';

/** deriveSeed stream of an epoch's mixup partners (the augmentation's is 100_000). */
export const MIXUP_STREAM = 200_000;

/** A training clip: its whole 8 kHz signal (augmented each epoch) or fixed features (which win when both are given). */
export interface TrainItem extends Labels {
  corpus: string;
  signal?: Float32Array;
  features?: Float32Array;
}

export interface RunInput {
  train: TrainItem[];
  /** One set per training corpus: they choose the epoch. */
  val: EvalSet[];
  /** A corpus held out whole, scored every epoch and never used to choose. */
  holdout?: EvalSet | null;
}

/** Targets of a batch as the trainer takes them: [n] for one output, [n, 2] row-major; NaN where unknown. */
export function batchTargets(items: readonly Labels[], outputs: 1 | 2): Float32Array {
  const y = new Float32Array(items.length * outputs);
  items.forEach((l, i) => {
    y[i * outputs] = l.valence ?? NaN;
    if (outputs === 2) y[i * outputs + 1] = l.arousal ?? NaN;
  });
  return y;
}

/** One line of a corpus's scores, e.g. "turev-16k (held out)  valence CCC 0.1234 ...  arousal CCC ...". */
export function scoresLine(s: CorpusScores, tag = ''): string {
  const dim = (name: string, m: CorpusScores['valence']) =>
    m ? `${name} CCC ${metricText(m.ccc)} r ${metricText(m.pearson)} MSE ${metricText(m.mse)} sign ${metricText(m.sign_acc, 3)}` : '';
  return [`  ${s.corpus}${tag}`, `n ${s.valence?.n ?? s.arousal?.n ?? 0}`, dim('valence', s.valence), dim('arousal', s.arousal)].filter((x) => x !== '').join('  ');
}

export interface RunResult {
  history: EpochRecord[];
  best: BestEpoch | null;
  interrupted: boolean;
  stoppedEarly: boolean;
}

/** Where a run is, after each step (for a progress line). */
export interface ProgressState {
  label: string;
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  /** Milliseconds per step so far (this run). */
  msPerStep: number;
  /** Steps left in the whole run. */
  stepsLeft: number;
}

/** Receives a run's progress: `update` after each step, `line` for each permanent message. */
export interface ProgressReporter {
  update(p: ProgressState): void;
  line(text: string): void;
}

export interface RunControl {
  progress: ProgressReporter;
  /** Shown before the progress line, e.g. "fold 2/3 ". */
  label?: string;
  threads: number;
  /** Polled between steps (Ctrl-C). */
  shouldStop: () => boolean;
  resume?: Checkpoint | null;
  recipeKey: string;
  onEpochEnd?: (c: Checkpoint) => void;
  onBest?: (best: BestEpoch, history: readonly EpochRecord[]) => Promise<void>;
}


/** The trainer's outputs with `weights` in place of its own, which are put back after (Adam's state is untouched). */
async function predictWithWeights(trainer: ParallelTrainer, weights: readonly Float32Array[], x: Float32Array, n: number): Promise<Float32Array> {
  const own = trainer.params.map((p) => p.slice());
  trainer.setWeights(weights);
  try {
    return await trainer.predict(x, n);
  } finally {
    trainer.setWeights(own);
  }
}

/**
 * Trains `recipe` on `input` (from `ctl.resume` when given) until its epochs end, patience
 * runs out or `ctl.shouldStop()`; returns the history and the best epoch's weights.
 */
export async function trainRun(recipe: Recipe, input: RunInput, ctl: RunControl): Promise<RunResult> {
  const { config } = recipe;
  const [h, w] = config.inputShape;
  const per = h * w;
  const n = input.train.length;
  if (n === 0) throw new Error('no training clips');
  if (input.val.length === 0 || input.val.every((v) => v.features.length === 0)) throw new Error('no validation clips');
  const outputs = outputCount(config);
  const corpusOf = input.train.map((t) => t.corpus);
  /** Per-corpus lines only say more than the summary with several sets or a second dimension. */
  const detailed = input.val.length > 1 || !!input.holdout || outputs === 2;
  const steps = Math.ceil(n / recipe.batchSize);
  const plan: WindowPlan = { augment: recipe.augment, normalisation: recipe.normalisation, features: config.features, specMask: recipe.specMask, inputShape: [h, w] };
  const sources: WindowSource[] = input.train.map((t, k) => {
    if (t.features) return { features: t.features };
    if (t.signal) return { signal: t.signal };
    throw new Error(`training clip ${k} has neither a signal nor features`);
  });
  // Augmented windows cost ~10 ms each: the workers build them, so nobody waits on this thread.
  const onWorkers = sources.every((src) => 'signal' in src);
  const signals = onWorkers ? packSignals(sources.map((src) => ('signal' in src ? src.signal : new Float32Array(0)))) : null;
  const scored = input.val.filter((v) => v.features.length > 0);
  const holdoutSet = input.holdout && input.holdout.features.length > 0 ? input.holdout : null;
  const evalPack = packEvalSets(holdoutSet ? [...scored, holdoutSet] : scored, per);
  const trainer = await ParallelTrainer.create(config, {
    threads: ctl.threads,
    lr: recipe.lr,
    seed: recipe.seed + 1,
    ...(ctl.resume ? { state: ctl.resume.trainer } : {}),
    ...(signals ? { windows: { signals, plan } } : {}),
  });
  const averaged = (recipe.averageEpochs ?? 1) > 1 ? new RecentWeights(recipe.averageEpochs ?? 1, ctl.resume?.recent ?? []) : null;
  const history: EpochRecord[] = ctl.resume ? [...ctl.resume.history] : [];
  let best: BestEpoch | null = ctl.resume?.best ?? null;
  let interrupted = false;
  let stoppedEarly = false;
  const started = performance.now();
  let stepsDone = 0;
  try {
    for (let epoch = (ctl.resume?.epoch ?? 0) + 1; epoch <= recipe.epochs; epoch++) {
      const order = epochOrder(corpusOf, recipe.balance, createRng(deriveSeed(recipe.seed, epoch)));
      // Drawn for the whole epoch at once, so a step's partners do not depend on which steps ran.
      const mixes = recipe.mixup ? drawMixes(order.length, order, recipe.mixup, createRng(deriveSeed(recipe.seed, MIXUP_STREAM + epoch))) : null;
      /** Step s's clips (indices into input.train), their window seeds (by position in the epoch) and mixup partners. */
      const rows = (s: number) => {
        const from = s * recipe.batchSize;
        const idx = order.slice(from, from + recipe.batchSize);
        return { idx, seeds: idx.map((_, j) => windowSeed(recipe.seed, epoch, from + j)), mix: mixes?.slice(from, from + idx.length) ?? null };
      };
      const targets = (idx: readonly number[], mix: readonly Mix[] | null) => {
        const own = batchTargets(idx.map((k) => input.train[k]), outputs);
        return mix ? blendTargets(own, batchTargets(mix.map((m) => input.train[m.partner]), outputs), mix) : own;
      };
      /** Batch s built on this thread. */
      const batch = (s: number) => {
        const { idx, seeds, mix } = rows(s);
        const x = new Float32Array(idx.length * per);
        idx.forEach((k, j) => {
          const m = mix?.[j];
          buildWindow(sources[k], plan, seeds[j], x.subarray(j * per, (j + 1) * per), m ? { source: sources[m.partner], seed: m.seed, lambda: m.lambda } : undefined);
        });
        return { x, y: targets(idx, mix), b: idx.length };
      };
      const epochStart = performance.now();
      let lossSum = 0;
      let next = onWorkers ? null : batch(0);
      for (let s = 0; s < steps; s++) {
        if (ctl.shouldStop()) {
          interrupted = true;
          break;
        }
        let loss: number;
        let b: number;
        if (next) {
          const cur = next;
          b = cur.b;
          const xT = tf.tensor4d(cur.x, [b, h, w, 1]);
          const yT = outputs === 1 ? tf.tensor1d(cur.y) : tf.tensor2d(cur.y, [b, outputs]);
          const pending = trainer.step(xT, yT);
          if (s + 1 < steps) next = batch(s + 1); // overlaps the workers' gradient computation
          try {
            loss = await pending;
          } finally {
            tf.dispose([xT, yT]);
          }
        } else {
          const { idx, seeds, mix } = rows(s);
          b = idx.length;
          loss = await trainer.stepWindows(
            idx.map((k, j) => {
              const m = mix?.[j];
              return { signal: k, seed: seeds[j], ...(m ? { mix: { signal: m.partner, seed: m.seed, lambda: m.lambda } } : {}) };
            }),
            targets(idx, mix),
          );
        }
        lossSum += loss * b;
        stepsDone++;
        const msPerStep = (performance.now() - started) / stepsDone;
        ctl.progress.update({
          label: ctl.label ?? '',
          epoch,
          epochs: recipe.epochs,
          step: s + 1,
          steps,
          loss: lossSum / Math.min(n, (s + 1) * recipe.batchSize),
          msPerStep,
          stepsLeft: (recipe.epochs - epoch) * steps + (steps - s - 1),
        });
      }
      if (interrupted) break;
      averaged?.push(trainer.params);
      const scoredWeights = averaged ? averaged.mean() : null;
      const predicted = scoredWeights ? await predictWithWeights(trainer, scoredWeights, evalPack.x, evalPack.n) : await trainer.predict(evalPack.x, evalPack.n);
      const corpora = scored.map((v, i) => scorePrediction(v, setPrediction(evalPack, i, predicted, outputs)));
      const holdout = holdoutSet ? scorePrediction(holdoutSet, setPrediction(evalPack, scored.length, predicted, outputs)) : undefined;
      const val = summarise(corpora);
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / n,
        seconds: (performance.now() - epochStart) / 1000,
        val,
        ...(detailed ? { corpora } : {}),
        ...(holdout ? { holdout } : {}),
      };
      history.push(record);
      const improved = isBetter(val, best?.val ?? null, recipe.select);
      if (improved) {
        best = { epoch, val, ...(detailed ? { corpora } : {}), ...(holdout ? { holdout } : {}), weights: scoredWeights ?? trainer.params.map((p) => p.slice()) };
        await ctl.onBest?.(best, history);
      }
      ctl.progress.line(
        `${ctl.label ?? ''}epoch ${epoch}/${recipe.epochs}  train MSE ${record.trainLoss.toFixed(4)}  ` +
          `val${corpora.length > 1 ? ' (mean over corpora)' : ''} MSE ${metricText(val.mse)}  CCC ${metricText(val.ccc)}  r ${metricText(val.pearson)}  ` +
          `sign ${metricText(val.sign_acc, 3)}${averaged ? `  [mean of ${averaged.count} epochs' weights]` : ''}  (${record.seconds.toFixed(1)} s)${improved ? '  * best' : ''}`,
      );
      if (detailed) {
        for (const c of corpora) ctl.progress.line(scoresLine(c));
        if (holdout) ctl.progress.line(scoresLine(holdout, ' (held out)'));
      }
      ctl.onEpochEnd?.({
        recipeKey: ctl.recipeKey,
        epoch,
        history,
        best,
        trainer: trainer.trainer.state(),
        ...(averaged ? { recent: averaged.snapshot().map((set) => [...set]) } : {}),
      });
      if (recipe.patience > 0 && best && epoch - best.epoch >= recipe.patience) {
        stoppedEarly = true;
        ctl.progress.line(`${ctl.label ?? ''}no better ${recipe.select.toUpperCase()} for ${recipe.patience} epochs: stopping`);
        break;
      }
    }
  } finally {
    await trainer.close();
  }
  return { history, best, interrupted, stoppedEarly };
}
