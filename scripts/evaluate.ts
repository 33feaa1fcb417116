// npm run evaluate -- --model DIR (--data DIR | --manifest FILE.csv) [--json]: scores a model
// on a labelled corpus with the metrics of SPEC section 4 (n, MSE, CCC, Pearson r, sign
// accuracy). Each clip is scored by the report's rule, as analyze does (first 61500 samples
// at 8 kHz, zero-padded at the end), after the loudness normalisation the model's card names.
// Features come from the on-disk cache (scripts/lib/feature-cache.ts).
import { parseArgs } from 'node:util';
import { predictValence } from '../src/model/predict.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { allMetrics, type ValenceMetrics } from '../src/training/metrics.ts';
import { normalisationFromCard, type LoudnessNormalisation } from '../src/dsp/loudness.ts';
import { selectSpeakers, speakersOf } from '../src/training/split.ts';
import { loadModelDir } from './lib/model-files.ts';
import { defaultModelDir } from './lib/default-model.ts';
import { readCorpus, type Clip, type CorpusSource } from './lib/corpus.ts';
import { FeatureCache, loadFeatures, loadSignals, type Loaded, type LoadProgress } from './lib/feature-cache.ts';
import { readingAfterUtterance } from '../src/dsp/live-window.ts';
import { signalFeatures } from '../src/dsp/pipeline.ts';
import { CHANNELS, simulateChannel, type Channel } from '../src/dsp/channel.ts';
import { createRng } from '../src/training/random.ts';
import type { FeatureType } from '../src/dsp/params.ts';
import { toTable } from './lib/format-table.ts';
import { runCli } from './lib/cli.ts';

const USAGE = `usage: npm run evaluate -- --model DIR (--data DIR | --manifest FILE.csv) [options]

Scores a model on labelled clips: n, MSE, CCC, Pearson r and sign accuracy (on clips whose
label is not 0). Each clip is scored on its first 7.7 s, as analyze does.

options:
  --model DIR          model folder (model.json + weights); default: the bundled model
  --data DIR           a RAVDESS-layout folder (Actor_XX/*.wav; labels from the names)
  --manifest FILE.csv  rows path,valence[,speaker] (paths relative to the CSV; header optional)
  --speakers LIST      score only these speakers, e.g. 17-20 or 03,alice (alias --val-speakers)
  --windows report|live  report (default): each clip's first 7.7 s, zero-padded at the end;
                       live: the live monitor's reading just after the clip ends, streamed
                       from silence (the window zero-filled before it)
  --channel NAME       hear the clips through a simulated channel first: telephone
                       (300-3400 Hz), quiet (-20 dB) or noisy (noise 10 dB under the speech)
  --json               print one JSON object {n, mse, ccc, pearson, sign_acc} as the last line
  --cache-dir DIR      feature cache folder (default .cache/features)
  --no-cache           neither read nor write the feature cache
  --backend NAME       wasm (default) or cpu
  -h, --help           this text

Files that cannot be read are listed on stderr and skipped. Undefined metrics (e.g. Pearson r
of a constant prediction) are null in JSON.`;

/** Spectrograms per model call. */
const BATCH = 16;

interface Options {
  modelDir?: string;
  source: CorpusSource;
  speakers?: string;
  json: boolean;
  cacheDir?: string;
  cache: boolean;
  backend: 'wasm' | 'cpu';
  windows: 'report' | 'live';
  channel: Channel | null;
}

function parseOptions(argv: string[]): Options | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      manifest: { type: 'string' },
      speakers: { type: 'string' },
      'val-speakers': { type: 'string' },
      json: { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      windows: { type: 'string', default: 'report' },
      channel: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (give the corpus with --data or --manifest)`);
  if (values.data !== undefined && values.manifest !== undefined) throw new Error('--data and --manifest exclude each other');
  if (values.data === undefined && values.manifest === undefined) throw new Error('give the clips with --data DIR or --manifest FILE.csv');
  if (values.speakers !== undefined && values['val-speakers'] !== undefined) {
    throw new Error('--speakers and --val-speakers are the same option: give one');
  }
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${values.backend}"`);
  if (values.windows !== 'report' && values.windows !== 'live') throw new Error(`--windows must be report or live, got "${values.windows}"`);
  if (values.channel !== undefined && !CHANNELS.includes(values.channel as Channel)) {
    throw new Error(`--channel must be one of ${CHANNELS.join(', ')}, got "${values.channel}"`);
  }
  return {
    channel: (values.channel as Channel | undefined) ?? null,
    windows: values.windows,
    modelDir: values.model,
    source: values.data !== undefined ? { kind: 'ravdess', dir: values.data } : { kind: 'manifest', file: values.manifest! },
    speakers: values.speakers ?? values['val-speakers'],
    json: values.json,
    cacheDir: values['cache-dir'],
    cache: !values['no-cache'],
    backend: values.backend,
  };
}

/** A progress line on an interactive stderr, overwritten in place. */
function progressReporter(): (p: LoadProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  return (p) => {
    if (p.done % 25 === 0 || p.done === p.total) process.stderr.write(`\rreading clips: ${p.done}/${p.total}`);
    if (p.done === p.total) process.stderr.write('\n');
  };
}

/**
 * Features computed from each clip's cached 8 kHz signal: through the simulated channel if
 * one is asked for, then the report's window or the live reading just after the clip ends.
 */
function featuresFromSignals(
  cache: FeatureCache,
  clips: readonly Clip[],
  opts: Pick<Options, 'windows' | 'channel'>,
  features: FeatureType,
  normalisation: LoudnessNormalisation | null,
): Loaded<Float32Array> {
  const signals = loadSignals(cache, clips, progressReporter());
  const rand = createRng(1); // the same noise for every model scored
  return {
    items: signals.items.map(({ clip, value }) => {
      const heard = opts.channel ? simulateChannel(value, opts.channel, rand) : value;
      const spec =
        opts.windows === 'live'
          ? readingAfterUtterance(heard, { features, normalisation })
          : signalFeatures(heard, features, normalisation);
      return { clip, value: spec.data };
    }),
    failures: signals.failures,
  };
}

const fail = (message: string): number => {
  console.error(`evaluate: ${message}`);
  return 2;
};

async function evaluate(opts: Options): Promise<number> {

  let clips: Clip[];
  try {
    const listing = readCorpus(opts.source);
    for (const note of listing.notes) console.error(`evaluate: note: ${note}`);
    clips = opts.speakers !== undefined ? selectSpeakers(listing.clips, opts.speakers) : listing.clips;
  } catch (e) {
    return fail((e as Error).message);
  }

  await initNodeBackend(opts.backend, (m) => console.error(`evaluate: ${m}`));
  let loaded: Awaited<ReturnType<typeof loadModelDir>>;
  let normalisation: LoudnessNormalisation | null;
  try {
    loaded = await loadModelDir(opts.modelDir ?? defaultModelDir());
    normalisation = normalisationFromCard(loaded.card);
  } catch (e) {
    return fail(`cannot load the model: ${(e as Error).message}`);
  }
  const { model, config } = loaded;

  const started = performance.now();
  const cache = new FeatureCache({ dir: opts.cacheDir, enabled: opts.cache, warn: (m) => console.error(`evaluate: ${m}`) });
  const { items, failures } =
    opts.windows === 'report' && opts.channel === null
      ? loadFeatures(cache, clips, config.features, normalisation, progressReporter())
      : featuresFromSignals(cache, clips, opts, config.features, normalisation);
  for (const f of failures) console.error(`evaluate: skipped ${f.path}: ${f.reason}`);
  const fromCache = cache.stats.features.hits;
  console.error(
    `evaluate: ${items.length} clip(s) of ${speakersOf(items.map((i) => i.clip)).length} speaker(s)` +
      (failures.length > 0 ? `, ${failures.length} skipped` : '') +
      ` (features: ${opts.cache ? `${fromCache} from cache, ` : ''}${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (items.length === 0) {
    model.dispose();
    console.error('evaluate: no clip could be read');
    return 1;
  }

  const predictions = new Float32Array(items.length);
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH).map((i) => i.value);
    predictions.set(predictValence(model, batch, config), start);
  }
  model.dispose();
  const metrics: ValenceMetrics = allMetrics(predictions, items.map((i) => i.clip.valence));

  if (opts.json) {
    // Exactly these keys, in this order; NaN (undefined metric) becomes null.
    const { n, mse, ccc, pearson, sign_acc } = metrics;
    console.log(JSON.stringify({ n, mse, ccc, pearson, sign_acc }));
  } else {
    const show = (v: number) => (Number.isNaN(v) ? 'n/a' : v);
    console.log(
      toTable(
        ['n', 'mse', 'ccc', 'pearson', 'sign_acc'],
        [{ n: metrics.n, mse: show(metrics.mse), ccc: show(metrics.ccc), pearson: show(metrics.pearson), sign_acc: show(metrics.sign_acc) }],
        { mse: 4, ccc: 4, pearson: 4, sign_acc: 4 },
      ),
    );
  }
  return 0;
}

runCli('evaluate', USAGE, parseOptions, evaluate);
