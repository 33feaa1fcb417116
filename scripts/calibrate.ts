// npm run calibrate -- --manifest FILE.csv --out DIR [--model DIR]: the app's "Make my
// personal model" from the command line, on one speaker's labelled clips (the app's
// calibration export, or any manifest): the same module (src/training/personalize/
// calibrate.ts: k-fold score, then the personal model on every clip) and the same model
// folder (model.json, weights.bin, model.safetensors, card.json). Prints the score before
// and after; --json's last line is the report. TF.js loads only once the options and the
// clips have been checked.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalisationFromCard } from '../src/dsp/loudness.ts';
import { speakersOf } from '../src/training/split.ts';
import { metricText } from '../src/training/metrics.ts';
import type { CalibrationReport } from '../src/training/personalize/calibrate.ts';
import { calibrationProblem, DEFAULT_FOLDS } from '../src/training/personalize/folds.ts';
import { parseRecipe, RECIPE_HELP } from '../src/training/personalize/recipe-text.ts';
import type { PersonalizeRecipe } from '../src/training/personalize/recipe.ts';
import { runCli } from './lib/cli.ts';
import { readCorpora } from './lib/corpus.ts';
import { defaultModelDir } from './lib/default-model.ts';
import { FeatureCache, loadSignals } from './lib/feature-cache.ts';

const USAGE = `usage: npm run calibrate -- --manifest FILE.csv --out DIR [options]

Fine-tunes a model on one speaker's labelled clips, as the app's "Make my personal model"
does, and writes the personal model folder to DIR. The score printed is honest: each clip
is read by a model fine-tuned on the other folds only (after), against the base model
(before); the personal model itself trains on every clip.

options:
  --manifest FILE.csv  rows path,valence[,speaker[,arousal]] (the app's calibration export
                       writes one); one speaker
  --out DIR            where the personal model goes (refused if it holds a model.json)
  --model DIR          the base model folder (default: the bundled model)
  --recipe KEY=VALUE,...  override the fine-tuning recipe's defaults: ${RECIPE_HELP}
  --folds N            folds of the score (default ${DEFAULT_FOLDS})
  --json               print the report as one JSON line last
  --cache-dir DIR      feature cache folder (default .cache/features)
  --no-cache           neither read nor write the feature cache
  --backend NAME       wasm (default) or cpu
  -h, --help           this text`;

interface Options {
  manifest: string;
  out: string;
  modelDir?: string;
  recipe: PersonalizeRecipe;
  folds: number;
  json: boolean;
  cacheDir?: string;
  cache: boolean;
  backend: 'wasm' | 'cpu';
}

function parseOptions(argv: string[]): Options | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      manifest: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      recipe: { type: 'string' },
      folds: { type: 'string' },
      json: { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  if (!values.manifest) throw new Error('give the clips with --manifest FILE.csv');
  if (!values.out) throw new Error('give the folder for the personal model with --out DIR');
  if (existsSync(join(values.out, 'model.json'))) throw new Error(`${values.out} already holds a model (model.json): choose another --out`);
  const folds = values.folds === undefined ? DEFAULT_FOLDS : Number(values.folds);
  if (!(Number.isInteger(folds) && folds >= 2)) throw new Error(`--folds must be a whole number >= 2, got "${values.folds}"`);
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${values.backend}"`);
  return {
    manifest: values.manifest,
    out: values.out,
    modelDir: values.model,
    recipe: parseRecipe(values.recipe, '--recipe'),
    folds,
    json: values.json,
    cacheDir: values['cache-dir'],
    cache: !values['no-cache'],
    backend: values.backend,
  };
}

const fail = (message: string): number => {
  console.error(`calibrate: ${message}`);
  return 2;
};

function reportLines(r: CalibrationReport): string[] {
  const line = (dim: 'valence' | 'arousal') => {
    const b = r.before[dim];
    const a = r.after[dim];
    if (!b || !a) return [];
    return [`${dim.padEnd(8)} CCC ${metricText(b.ccc)} -> ${metricText(a.ccc)}   MSE ${metricText(b.mse)} -> ${metricText(a.mse)}`];
  };
  return [`${r.clips} clips, ${r.folds}-fold (before: the base model; after: each clip read by a model that did not train on it)`, ...line('valence'), ...line('arousal')];
}

async function calibrateCli(opts: Options): Promise<number> {
  let clips;
  try {
    [{ clips }] = readCorpora([{ kind: 'manifest', file: opts.manifest }]);
  } catch (e) {
    return fail((e as Error).message);
  }
  const speakers = speakersOf(clips);
  if (speakers.length > 1) return fail(`${opts.manifest} holds ${speakers.length} speakers (${speakers.join(', ')}): a personal model is one speaker's; use evaluate --personalize K to score many`);
  const problem = calibrationProblem(clips.map((c) => c.valence), opts.folds);
  if (problem) return fail(problem);
  const cache = new FeatureCache({ dir: opts.cacheDir, enabled: opts.cache, warn: (m) => console.error(`calibrate: ${m}`) });
  const signals = loadSignals(cache, clips);
  if (signals.failures.length > 0) return fail(`cannot read ${signals.failures[0].path}: ${signals.failures[0].reason}`);

  const [{ initNodeBackend }, { loadModelDir, writeModelFolder }, { calibrate }, { personalModelParts }] = await Promise.all([
    import('../src/model/backend.ts'),
    import('./lib/model-files.ts'),
    import('../src/training/personalize/calibrate.ts'),
    import('../src/training/personalize/personal-model.ts'),
  ]);
  await initNodeBackend(opts.backend, (m) => console.error(`calibrate: ${m}`));
  const modelDir = opts.modelDir ?? defaultModelDir();
  const base = await loadModelDir(modelDir).catch((e: Error) => e);
  if (base instanceof Error) return fail(`cannot load the model: ${base.message}`);
  try {
    const weights = base.model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    const started = performance.now();
    let shown = -1;
    const result = await calibrate(
      { config: base.config, weights, normalisation: normalisationFromCard(base.card), clips: signals.items.map(({ clip, value }) => ({ signal: value, valence: clip.valence, arousal: clip.arousal })) },
      opts.recipe,
      opts.folds,
      {
        onProgress: (p) => {
          const tenth = Math.floor((10 * p.done) / p.total);
          if (tenth !== shown) console.error(`calibrate: ${10 * (shown = tenth)} % (run ${p.run} of ${p.runs}, step ${p.step} of ${p.steps})`);
        },
      },
    );
    const baseName = typeof base.card.name === 'string' && base.card.name !== '' ? base.card.name : basename(resolve(modelDir));
    const origin = { baseId: `folder:${basename(resolve(modelDir))}`, baseName, createdAt: new Date().toISOString() };
    const { parts, card } = await personalModelParts(base, result, origin, opts.recipe);
    writeModelFolder(opts.out, parts, card);
    const seconds = (performance.now() - started) / 1000;
    console.error(`calibrate: wrote ${opts.out} in ${seconds.toFixed(1)} s`);
    const lines = reportLines(result.report);
    if (opts.json) {
      for (const l of lines) console.error(l);
      console.log(JSON.stringify(result.report));
    } else console.log(lines.join('\n'));
    return 0;
  } finally {
    base.model.dispose();
  }
}

runCli('calibrate', USAGE, parseOptions, calibrateCli);
