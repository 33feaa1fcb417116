// npm run evaluate -- --model DIR (--data DIR | --manifest FILE.csv)... [--json]: scores a
// model on one or more labelled corpora with the metrics of SPEC section 4 (n, MSE, CCC,
// Pearson r, sign accuracy) for valence and, for a two-output model, arousal: each corpus
// apart and, with several, all clips pooled. Each clip is scored by the report's rule, as
// analyze does (first 61500 samples at 8 kHz, zero-padded at the end), after the loudness
// normalisation the model's card names. Features come from the on-disk cache
// (scripts/lib/feature-cache.ts). Speakers the card lists as training speakers are scored
// with a warning. TF.js loads only once the options and the corpora have been checked, so
// their errors come without its start-up cost.
import { parseArgs } from 'node:util';
import { outputCount } from '../src/model/config.ts';
import { normalisationFromCard, type LoudnessNormalisation } from '../src/dsp/loudness.ts';
import { speakersOf } from '../src/training/split.ts';
import { scoreByCorpus } from '../src/training/corpus-scores.ts';
import type { ModelBundle } from '../src/model/artifacts.ts';
import { defaultModelDir } from './lib/default-model.ts';
import { corpusName, readCorpora, type CorpusSource, type NamedCorpus } from './lib/corpus.ts';
import { FeatureCache } from './lib/feature-cache.ts';
import { CHANNELS, type Channel } from '../src/dsp/channel.ts';
import { runCli } from './lib/cli.ts';
import { scoringFeatures } from './evaluate/features.ts';
import { restrictSpeakers, speakerLists } from './evaluate/speaker-selection.ts';
import { overlapWarnings, trainingOverlap } from './evaluate/training-speakers.ts';
import { heldOutSharedContent } from './evaluate/shared-content.ts';
import { scoresJson, scoresTable } from './evaluate/report.ts';
import { parseRecipe, RECIPE_HELP } from '../src/training/personalize/recipe-text.ts';
import type { PersonalizeRecipe } from '../src/training/personalize/recipe.ts';

const USAGE = `usage: npm run evaluate -- --model DIR (--data DIR | --manifest FILE.csv)... [options]

Scores a model on labelled clips, one row per corpus (and, with several corpora, a last row
of all clips pooled): n, MSE, CCC, Pearson r and sign accuracy (on clips whose label is not
0) for valence, and in the a_* columns the same for arousal where the model has two outputs
and the corpus arousal labels. Each clip is scored on its first 7.7 s, as analyze does.

options:
  --model DIR          model folder (model.json + weights); default: the bundled model
  --data DIR           a RAVDESS-layout folder (Actor_XX/*.wav) or a TurEV-DB-layout folder
                       (Angry/1157_kz_acik.wav); labels from the names. Repeatable
  --manifest FILE.csv  rows path,valence[,speaker[,arousal]] (paths relative to the CSV; header
                       optional; an empty label cell is unknown). Repeatable
                       Each folder or manifest is one corpus, named for its base name.
  --speakers LIST      score only these speakers, e.g. 17-20 or 03,alice (alias --val-speakers);
                       with several corpora give NAME=LIST (repeatable) to restrict corpus NAME,
                       e.g. --speakers ravdess-16k=17-20; corpora not named are scored whole
  --windows report|live  report (default): each clip's first 7.7 s, zero-padded at the end;
                       live: the live monitor's reading just after the clip ends, streamed
                       from silence (the window zero-filled before it)
  --channel NAME       hear the clips through a simulated channel first: telephone
                       (300-3400 Hz), quiet (-20 dB) or noisy (noise 10 dB under the speech)
  --personalize K      for each speaker, fine-tune the model on K of its clips (stratified by
                       label, fixed seed; the app's calibration module) and score its other clips
                       before and after: per speaker valence CCC, and the mean over speakers
  --personalize-recipe KEY=VALUE,...  override the fine-tuning recipe's defaults:
                       ${RECIPE_HELP}
  --json               print one JSON object as the last line: {n, mse, ccc, pearson, sign_acc}
                       of valence over all clips scored; "arousal": {the same keys} when arousal
                       is scored; with several corpora "corpora": {NAME: {the same}, ...};
                       with --personalize {"k", "speakers", "before": {ccc, mse, sign_acc},
                       "after": {the same}} (means of the per-speaker values), and for a
                       two-output model "arousal": {"before": {...}, "after": {...}}
  --cache-dir DIR      feature cache folder (default .cache/features)
  --no-cache           neither read nor write the feature cache
  --backend NAME       wasm (default) or cpu
  -h, --help           this text

Speakers that the model's card lists as training speakers are scored too, with a warning on
stderr: their scores are not held-out. A clip of another speaker that holds the same audio
as a training speaker's clip among the corpora given (a copy, or one file listed under two
speakers) is refused, naming the files: its score would look held-out and is not. Files
that cannot be read are listed on stderr and skipped. Undefined metrics (e.g. Pearson r of a constant prediction) are n/a in the table and
null in JSON.`;

interface Options {
  modelDir?: string;
  /** The corpora in command-line order. */
  sources: CorpusSource[];
  /** Corpus name -> the speakers to score (corpora not in it are scored whole). */
  speakers: Map<string, string>;
  json: boolean;
  cacheDir?: string;
  cache: boolean;
  backend: 'wasm' | 'cpu';
  windows: 'report' | 'live';
  channel: Channel | null;
  /** --personalize K and its recipe, or null. */
  personalize: { k: number; recipe: PersonalizeRecipe } | null;
}

function parseOptions(argv: string[]): Options | null {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: {
      model: { type: 'string' },
      data: { type: 'string', multiple: true },
      manifest: { type: 'string', multiple: true },
      speakers: { type: 'string', multiple: true },
      'val-speakers': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      windows: { type: 'string', default: 'report' },
      channel: { type: 'string' },
      personalize: { type: 'string' },
      'personalize-recipe': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (give the corpus with --data or --manifest)`);
  // Corpora in the order given, --data and --manifest interleaved.
  const sources = tokens.flatMap((t): CorpusSource[] => {
    if (t.kind !== 'option' || t.value === undefined) return [];
    if (t.name === 'data') return [{ kind: 'folder', dir: t.value }];
    if (t.name === 'manifest') return [{ kind: 'manifest', file: t.value }];
    return [];
  });
  if (sources.length === 0) throw new Error('give the clips with --data DIR or --manifest FILE.csv');
  if (values.speakers !== undefined && values['val-speakers'] !== undefined) {
    throw new Error('--speakers and --val-speakers are the same option: give one');
  }
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${values.backend}"`);
  if (values.windows !== 'report' && values.windows !== 'live') throw new Error(`--windows must be report or live, got "${values.windows}"`);
  if (values.channel !== undefined && !CHANNELS.includes(values.channel as Channel)) {
    throw new Error(`--channel must be one of ${CHANNELS.join(', ')}, got "${values.channel}"`);
  }
  if (values['personalize-recipe'] !== undefined && values.personalize === undefined) throw new Error('--personalize-recipe needs --personalize K');
  const k = values.personalize === undefined ? null : Number(values.personalize);
  if (k !== null && !(Number.isInteger(k) && k >= 1)) throw new Error(`--personalize must be a whole number of clips >= 1, got "${values.personalize}"`);
  return {
    personalize: k === null ? null : { k, recipe: parseRecipe(values['personalize-recipe']) },
    channel: (values.channel as Channel | undefined) ?? null,
    windows: values.windows,
    modelDir: values.model,
    sources,
    speakers: speakerLists(values.speakers ?? values['val-speakers'] ?? [], sources.map(corpusName)),
    json: values.json,
    cacheDir: values['cache-dir'],
    cache: !values['no-cache'],
    backend: values.backend,
  };
}

const fail = (message: string): number => {
  console.error(`evaluate: ${message}`);
  return 2;
};

/** Distinct speakers over corpora (the same id in two corpora is two speakers). */
const speakerCount = (corpora: readonly Pick<NamedCorpus, 'clips'>[]) => corpora.reduce((n, c) => n + speakersOf(c.clips).length, 0);

async function evaluate(opts: Options): Promise<number> {
  let corpora: NamedCorpus[];
  /** Every clip as read, before --speakers: the training speakers' clips are among them. */
  let listed: NamedCorpus[];
  try {
    listed = readCorpora(opts.sources);
    for (const note of listed.flatMap((c) => c.notes)) console.error(`evaluate: note: ${note}`);
    corpora = restrictSpeakers(listed, opts.speakers);
  } catch (e) {
    return fail((e as Error).message);
  }

  const [{ initNodeBackend }, { loadModelDir }, { predictAll }] = await Promise.all([
    import('../src/model/backend.ts'),
    import('./lib/model-files.ts'),
    import('./evaluate/predict-all.ts'),
  ]);
  await initNodeBackend(opts.backend, (m) => console.error(`evaluate: ${m}`));
  let loaded: ModelBundle;
  let normalisation: LoudnessNormalisation | null;
  try {
    loaded = await loadModelDir(opts.modelDir ?? defaultModelDir());
    normalisation = normalisationFromCard(loaded.card);
  } catch (e) {
    return fail(`cannot load the model: ${(e as Error).message}`);
  }
  const { model, config, card } = loaded;
  const scored = corpora.map((c) => ({ name: c.name, layout: c.layout, speakers: speakersOf(c.clips) }));
  for (const warning of overlapWarnings(trainingOverlap(card, scored))) console.error(`evaluate: ${warning}`);
  const shared = heldOutSharedContent(card, listed, corpora);
  if (shared !== null) {
    model.dispose();
    return fail(shared);
  }

  const started = performance.now();
  const cache = new FeatureCache({ dir: opts.cacheDir, enabled: opts.cache, warn: (m) => console.error(`evaluate: ${m}`) });
  const { items, failures } = scoringFeatures(cache, corpora.flatMap((c) => c.clips), opts, config.features, normalisation);
  for (const f of failures) console.error(`evaluate: skipped ${f.path}: ${f.reason}`);
  const fromCache = cache.stats.features.hits;
  const read = corpora.map((c) => ({ clips: items.filter((i) => i.clip.corpus === c.name).map((i) => i.clip) }));
  console.error(
    `evaluate: ${items.length} clip(s) of ${speakerCount(read)} speaker(s)` +
      (corpora.length > 1 ? ` in ${corpora.length} corpora` : '') +
      (failures.length > 0 ? `, ${failures.length} skipped` : '') +
      ` (features: ${opts.cache ? `${fromCache} from cache, ` : ''}${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (items.length === 0) {
    model.dispose();
    console.error('evaluate: no clip could be read');
    return 1;
  }

  if (opts.personalize) {
    const { personalizeEvaluate } = await import('./evaluate/personalize.ts');
    try {
      return await personalizeEvaluate({ ...opts.personalize, items, cache, model, config, normalisation, json: opts.json });
    } catch (e) {
      if ((e as Error).name === 'PersonalizeError') return fail((e as Error).message);
      throw e;
    } finally {
      model.dispose();
    }
  }
  const twoOutputs = outputCount(config) === 2;
  const { valence, arousal } = predictAll(model, items.map((i) => i.value), config);
  model.dispose();
  const scores = scoreByCorpus(items.map((i) => i.clip), { valence, arousal }, corpora.map((c) => c.name));
  if (!scores.pooled.valence && !scores.pooled.arousal) {
    console.error(`evaluate: no clip has a valence label${twoOutputs ? ' or an arousal label' : ' (the model predicts valence only)'}`);
    return 1;
  }

  console.log(opts.json ? scoresJson(scores) : scoresTable(scores));
  return 0;
}

runCli('evaluate', USAGE, parseOptions, evaluate);
