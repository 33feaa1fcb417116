// Command-line options of `npm run train`: flags -> RecipeOverrides -> the recipe
// (src/training/recipe.ts builds and checks it), plus the run's data, output and grid flags.
// Loads neither TF.js nor the trainer, so parsing (and --help) is quick and testable alone.
import { parseArgs } from 'node:util';
import type { Activation, Head, Pooling } from '../../src/model/config.ts';
import type { FeatureType } from '../../src/dsp/params.ts';
import { DEFAULT_AUGMENTATION } from '../../src/training/augment.ts';
import { DEFAULT_NORMALISATION } from '../../src/dsp/loudness.ts';
import { buildRecipe, RecipeError, type Recipe, type RecipeOverrides } from '../../src/training/recipe.ts';
import { GRID, type GridAxes } from '../../src/training/grid.ts';
import type { CorpusSource } from '../lib/corpus.ts';
import { parseDecimal } from '../../src/training/decimal.ts';

/** A --val-speakers value: a list for the one corpus (corpus null), or NAME=LIST for one of several. */
export interface ValSpeakersFlag {
  corpus: string | null;
  list: string;
}

export interface TrainOptions {
  /** The corpora, in the order given (--data folders have their layout detected). */
  sources: CorpusSource[];
  recipe: Recipe;
  /** Output model folder. */
  out: string;
  /** Validation speakers per corpus; a corpus not named takes the last fifth of its speakers. */
  valSpeakers: ValSpeakersFlag[];
  /** --holdout-corpus: a corpus scored but never trained on (leave-one-corpus-out). */
  holdout: string | null;
  folds: number;
  /** --grid: the axes to sweep (the report's, less any fixed by a flag); null without --grid. */
  grid: GridAxes | null;
  resume: boolean;
  threads: number;
  /** Use at most this many clips of each split (smoke runs). */
  limit: number | null;
  makeDefault: boolean;
  cache: boolean;
  /** Replace a model already in the output folder. */
  overwrite: boolean;
}

export const USAGE = `usage: npm run train -- (--data DIR | --manifest FILE.csv)... [options]

Trains the valence CNN and writes models/NAME (TF.js model, card, PyTorch safetensors).

data (each repeatable: several corpora train together, each split by its own speakers):
  --data DIR            a corpus folder: RAVDESS (Actor_XX/03-01-EE-II-SS-RR-AA.wav) or
                        TurEV-DB (Angry/1157_kz_acik.wav) layout, detected; labels from
                        the names (SPEC section 3: valence and arousal, map v1)
  --manifest FILE.csv   rows path,valence[,speaker[,arousal]] (paths relative to the CSV;
                        an empty cell is an unknown label); the corpus is named for the file
  --val-speakers LIST   validation speakers, e.g. 17-20 or 3,7,ann; with several corpora
                        NAME=LIST for one of them (repeatable). Default per corpus: the last
                        fifth of its speakers in sorted order (RAVDESS actors 01-20: 17-20)
  --holdout-corpus NAME train without corpus NAME and score it every epoch (leave-one-
                        corpus-out); the other corpora's validation speakers choose the epoch
  --balance corpus|none  corpus (default): each epoch draws equally from every corpus
  --folds K             K-fold cross-validation by speaker, one corpus (reports mean metrics)
  --grid                the report's grid: lr x activation x kernel x pooling (with --folds
                        or the validation split); prints a table, keeps the best; --lr,
                        --activation, --kernel or --pooling fix that axis to one value
recipe (--preset sets them all; the flags after it override):
  --preset seed|live    seed: the report's (power features, no augmentation, 50 epochs);
                        live: dB features, augmentation, loudness normalisation (default)
  --features power|db|db-band-mean   db-band-mean: dB less each Mel band's mean over the
                        window's speech frames (causal: the window's own frames)
  --epochs N (50)   --lr X (1e-4)   --batch N (4)   --seed N (0)
  --augment | --no-augment          random placement, gain, noise, level (live windows)
  --normalise | --no-normalise      gated-RMS loudness normalisation of each window
  --max-boost DB        normalisation's largest boost (default ${DEFAULT_NORMALISATION.maxGainDb})
  --noise-snr LO,HI     SNR range of the noise augmentation in dB (default ${DEFAULT_AUGMENTATION.noise!.snrDb.join(',')})
  --level-jitter LO,HI  with normalisation: move its target by a random LO..HI dB per
                        window (default ${DEFAULT_AUGMENTATION.levelDb!.join(',')})
  --outputs 1|2         1: valence (default); 2: valence and arousal (masked loss where a
                        label is unknown)
  --speed LO,HI         speed perturbation, e.g. 0.9,1.1 (needs augmentation; default off)
  --crop LO,HI          train on a random LO..HI-second stretch of each utterance's speech,
                        e.g. 0.6,3 (needs augmentation; default off: the whole utterance)
  --eq                  random microphone colourings: half the windows get a band limit
                        (50-400 Hz to 2.4-3.9 kHz) and two +-9 dB bells (needs
                        augmentation; default off)
  --spec-mask           SpecAugment-style time and frequency masks (default off)
  --mixup ALPHA         blend each window with a random partner clip's, targets alike,
                        by max(u, 1 - u), u ~ Beta(ALPHA, ALPHA), e.g. 0.4 (default off)
  --average K           score, choose and keep the mean of the last K epochs' weights
                        (weight averaging; default 1: the epoch's own)
  --select ccc|mse      best-epoch metric on validation (default ccc; the mean over the
                        training corpora of their valence metric)
  --patience N          stop after N epochs without improvement (0: never; default 15)
  --kernel N --activation relu|sigmoid --pooling avg|max
  --channels LIST       output channels of each convolution block (default 16,32,64,128;
                        e.g. 16,32,64,128,128 adds a fifth block)
  --head flatten|time-mean  how the last map meets the linear layer: flatten (default, the
                        report's) or time-mean (averaged over time first: position-free)
run:
  --name NAME | --out DIR   output folder (default models/<preset>-<features>)
  --overwrite           replace a model already in the output folder
  --resume              continue the interrupted run of the same output folder
  --threads N           gradient worker threads (default 2)
  --limit N             at most N clips per split (a quick smoke run)
  --default             make the result the bundled default model
  --no-cache            do not read or write the feature cache
  -h, --help`;

/** "LO,HI" as an increasing pair of finite numbers. */
function range(v: string | undefined, name: string): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map(parseDecimal);
  if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] > parts[1]) {
    throw new Error(`--${name} must be LO,HI (two numbers, LO <= HI), got "${v}"`);
  }
  return [parts[0], parts[1]];
}

function num(v: string | undefined, name: string, check: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = parseDecimal(v);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} must be ${what}, got "${v}"`);
  return n;
}
const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

/** --channels: whole numbers > 0, comma-separated (validateConfig checks that the blocks fit the input). */
function channelList(v: string): number[] {
  const list = v.split(',').map((x) => parseDecimal(x.trim()));
  if (v.trim() === '' || !list.every(positiveInt)) throw new Error(`--channels must be whole numbers > 0 separated by commas, e.g. 16,32,64,128,128; got "${v}"`);
  return list;
}

/** The flag behind each override, and how to satisfy what it needs, for RecipeError messages. */
const OVERRIDE_FLAGS: Partial<Record<keyof RecipeOverrides, { flag: string; hint: string }>> = {
  noiseSnrDb: { flag: '--noise-snr', hint: '--augment or --preset live' },
  levelJitterDb: { flag: '--level-jitter', hint: '--preset live' },
  speed: { flag: '--speed', hint: '--augment or --preset live' },
  crop: { flag: '--crop', hint: '--augment or --preset live' },
  eq: { flag: '--eq', hint: '--augment or --preset live' },
  maxBoostDb: { flag: '--max-boost', hint: '--normalise or --preset live' },
};

/** buildRecipe, with a RecipeError told in terms of the flags. */
function recipeFromFlags(preset: Recipe['preset'], overrides: RecipeOverrides): Recipe {
  try {
    return buildRecipe(preset, overrides);
  } catch (e) {
    const names = e instanceof RecipeError && e.needs !== null ? OVERRIDE_FLAGS[e.field] : undefined;
    if (e instanceof RecipeError && names) throw new Error(`${names.flag} needs ${e.needs} (${names.hint})`);
    throw e;
  }
}

export function parseTrainOptions(argv: string[]): TrainOptions | null {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      manifest: { type: 'string', multiple: true },
      'val-speakers': { type: 'string', multiple: true },
      'holdout-corpus': { type: 'string' },
      balance: { type: 'string' },
      outputs: { type: 'string' },
      speed: { type: 'string' },
      crop: { type: 'string' },
      'spec-mask': { type: 'boolean', default: false },
      eq: { type: 'boolean', default: false },
      average: { type: 'string' },
      mixup: { type: 'string' },
      folds: { type: 'string' },
      grid: { type: 'boolean', default: false },
      preset: { type: 'string', default: 'live' },
      features: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      augment: { type: 'boolean' },
      'no-augment': { type: 'boolean' },
      normalise: { type: 'boolean' },
      'no-normalise': { type: 'boolean' },
      'max-boost': { type: 'string' },
      'noise-snr': { type: 'string' },
      'level-jitter': { type: 'string' },
      select: { type: 'string', default: 'ccc' },
      patience: { type: 'string' },
      kernel: { type: 'string' },
      channels: { type: 'string' },
      head: { type: 'string' },
      activation: { type: 'string' },
      pooling: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      threads: { type: 'string' },
      limit: { type: 'string' },
      default: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) return null;
  const sources: CorpusSource[] = [
    ...(v.data ?? []).map((dir): CorpusSource => ({ kind: 'folder', dir })),
    ...(v.manifest ?? []).map((file): CorpusSource => ({ kind: 'manifest', file })),
  ];
  if (sources.length === 0) throw new Error('give at least one --data DIR or --manifest FILE.csv');
  const valSpeakers = (v['val-speakers'] ?? []).map((text): ValSpeakersFlag => {
    const m = /^([^=]+)=(.+)$/.exec(text);
    return m ? { corpus: m[1].trim(), list: m[2] } : { corpus: null, list: text };
  });
  if (valSpeakers.some((f) => f.corpus === null) && (sources.length > 1 || valSpeakers.length > 1)) {
    throw new Error('with several corpora, give --val-speakers as NAME=LIST (NAME: the corpus folder or manifest name)');
  }
  if (v.balance !== undefined && v.balance !== 'corpus' && v.balance !== 'none') throw new Error(`--balance must be corpus or none, got "${v.balance}"`);
  if (v.outputs !== undefined && v.outputs !== '1' && v.outputs !== '2') throw new Error(`--outputs must be 1 (valence) or 2 (valence and arousal), got "${v.outputs}"`);
  if (v.preset !== 'seed' && v.preset !== 'live') throw new Error(`--preset must be seed or live, got "${v.preset}"`);
  if (v.select !== 'ccc' && v.select !== 'mse') throw new Error(`--select must be ccc or mse, got "${v.select}"`);
  // Only the flag syntax is checked here; buildRecipe checks the values (validateConfig) and
  // what each needs. Strings are passed on as the types validateConfig then checks.
  const recipe = recipeFromFlags(v.preset, {
    config: {
      features: v.features as FeatureType | undefined,
      kernelSize: v.kernel ? parseDecimal(v.kernel) : undefined,
      channels: v.channels !== undefined ? channelList(v.channels) : undefined,
      activation: (v.activation || undefined) as Activation | undefined,
      pooling: (v.pooling || undefined) as Pooling | undefined,
      head: (v.head || undefined) as Head | undefined,
      outputs: v.outputs === '2' ? 2 : v.outputs === '1' ? 1 : undefined,
    },
    speed: range(v.speed, 'speed'),
    crop: range(v.crop, 'crop'),
    specMask: v['spec-mask'],
    eq: v.eq,
    averageEpochs: num(v.average, 'average', positiveInt, 'a whole number > 0'),
    mixup: num(v.mixup, 'mixup', (n) => n > 0, 'a number > 0'),
    balance: v.balance as Recipe['balance'] | undefined,
    // --no-augment wins over --augment; neither: the preset's choice.
    augment: v['no-augment'] ? false : v.augment ? true : undefined,
    normalise: v['no-normalise'] ? false : v.normalise,
    noiseSnrDb: range(v['noise-snr'], 'noise-snr'),
    levelJitterDb: range(v['level-jitter'], 'level-jitter'),
    maxBoostDb: num(v['max-boost'], 'max-boost', (n) => n >= 0, 'a number of dB >= 0'),
    epochs: num(v.epochs, 'epochs', positiveInt, 'a whole number > 0'),
    lr: num(v.lr, 'lr', (n) => n > 0, 'a positive number'),
    batchSize: num(v.batch, 'batch', positiveInt, 'a whole number > 0'),
    select: v.select,
    patience: num(v.patience, 'patience', (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
    seed: num(v.seed, 'seed', Number.isInteger, 'a whole number'),
  });
  const { config } = recipe;
  if (v.folds !== undefined && v['val-speakers'] !== undefined) {
    throw new Error('--folds and --val-speakers exclude each other (the folds validate every speaker in turn)');
  }
  if (v.folds !== undefined && (sources.length > 1 || v['holdout-corpus'] !== undefined)) {
    throw new Error('--folds works on one corpus (with several, each is split by its own --val-speakers)');
  }
  const name = v.name ?? `${recipe.preset}-${config.features}`;
  return {
    sources,
    recipe,
    out: v.out ?? `models/${name}`,
    valSpeakers,
    holdout: v['holdout-corpus'] ?? null,
    folds: num(v.folds, 'folds', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2') ?? 0,
    // A flag given with --grid fixes its axis (it would otherwise be silently overridden).
    grid: v.grid
      ? {
          lr: v.lr !== undefined ? [recipe.lr] : GRID.lr,
          activation: v.activation !== undefined ? [config.activation] : GRID.activation,
          kernelSize: v.kernel !== undefined ? [config.kernelSize] : GRID.kernelSize,
          pooling: v.pooling !== undefined ? [config.pooling] : GRID.pooling,
        }
      : null,
    resume: v.resume,
    threads: num(v.threads, 'threads', positiveInt, 'a whole number > 0') ?? 2,
    limit: num(v.limit, 'limit', positiveInt, 'a whole number > 0') ?? null,
    makeDefault: v.default,
    cache: !v['no-cache'],
    overwrite: v.overwrite,
  };
}
