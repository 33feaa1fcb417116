// npm run import-torch -- WEIGHTS.safetensors --out DIR : turns PyTorch weights (safetensors,
// PyTorch names and layouts, SPEC section 2) into a model folder the app and the CLI load.
// A card.json beside the weights (what scripts/torch/train_ddp.py writes) gives the features,
// the loudness normalisation and the run's record, with no further flags. TF.js loads only
// once the options have been checked and the weights file read.
import { parseArgs } from 'node:util';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { parseSafetensors } from '../src/model/safetensors.ts';
import { outputCount } from '../src/model/config.ts';
import { CARD_FILE, saveModelDir } from './lib/model-files.ts';
import { readBesideCard } from './lib/beside-card.ts';
import { setDefaultModel } from './lib/model-index.ts';
import { runCli } from './lib/cli.ts';
import { MEL, WINDOW_LENGTH, TARGET_RATE } from '../src/dsp/params.ts';
import { parseDecimal } from '../src/training/decimal.ts';

const USAGE = `usage: npm run import-torch -- WEIGHTS.safetensors --out DIR [options]

options:
  --features power|db|db-band-mean  features the weights were trained on (default: the card's
                          config beside the weights, else the file's __metadata__ "features",
                          else power, the report's)
  --activation relu|sigmoid, --pooling avg|max, --padding N   (default: the seed preset)
  --card FILE.json        merge this JSON object into the model card (default: the run's
                          record from a ${CARD_FILE} beside the weights, if there is one)
  --default               make DIR (a folder directly under models/) the bundled default`;

interface ImportOptions {
  file: string;
  out: string;
  given: { features?: string; activation?: string; pooling?: string; padding?: number };
  card?: string;
  makeDefault: boolean;
}

function parseImportOptions(argv: string[]): ImportOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      features: { type: 'string' },
      activation: { type: 'string' },
      pooling: { type: 'string' },
      padding: { type: 'string' },
      card: { type: 'string' },
      default: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length !== 1 || !values.out) throw new Error('need one weights file and --out DIR');
  const given: ImportOptions['given'] = {};
  if (values.features) given.features = values.features;
  if (values.activation) given.activation = values.activation;
  if (values.pooling) given.pooling = values.pooling;
  if (values.padding) {
    given.padding = parseDecimal(values.padding);
    if (!(Number.isInteger(given.padding) && given.padding >= 0)) throw new Error(`--padding must be a whole number >= 0, got "${values.padding}"`);
  }
  return { file: positionals[0], out: values.out, given, card: values.card, makeDefault: values.default };
}

async function importTorch(opts: ImportOptions): Promise<number> {
  const { file } = opts;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    console.error(`import-torch: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const [{ configFromTorchTensors, importTorchWeights }, { buildCnn, parameterCount }, { initNodeBackend }] = await Promise.all([
    import('../src/model/torch-weights.ts'),
    import('../src/model/cnn.ts'),
    import('../src/model/backend.ts'),
  ]);
  const { tensors, metadata } = parseSafetensors(bytes);
  const besidePath = join(dirname(file), CARD_FILE);
  const beside = !opts.card && existsSync(besidePath) ? readBesideCard(besidePath) : null;
  const given: Record<string, unknown> = { ...opts.given };
  if (given.features === undefined && beside?.features !== undefined) given.features = beside.features;
  if (given.features === undefined && metadata?.features !== undefined) given.features = metadata.features;
  const config = configFromTorchTensors(tensors, given);
  if (beside && beside.outputs !== outputCount(config)) {
    console.error(`import-torch: ${besidePath} says ${beside.outputs} output(s), but ${file} has ${outputCount(config)}`);
    return 2;
  }
  await initNodeBackend('wasm');
  const model = buildCnn(config);
  importTorchWeights(model, config, tensors);
  const extra = opts.card ? (JSON.parse(readFileSync(opts.card, 'utf8')) as Record<string, unknown>) : (beside?.record ?? {});
  const card = {
    name: basename(opts.out),
    source: `imported from PyTorch weights ${basename(file)}`,
    weightsSha256: createHash('sha256').update(bytes).digest('hex'),
    importedAt: new Date().toISOString(),
    parameters: parameterCount(config),
    config,
    signal: { sampleRate: TARGET_RATE, windowLength: WINDOW_LENGTH, mel: MEL, features: config.features },
    safetensorsMetadata: metadata ?? {},
    ...extra,
  };
  await saveModelDir(opts.out, model, config, card);
  copyFileSync(file, join(opts.out, 'model.safetensors'));
  model.dispose();
  if (opts.makeDefault) setDefaultModel(opts.out);
  const from = beside ? `, card ${besidePath}${beside.record.normalisation ? ' (loudness normalisation)' : ''}` : '';
  console.log(`imported ${file} -> ${opts.out} (${config.features} features, ${card.parameters} parameters${from})${opts.makeDefault ? ', now the default model' : ''}`);
  return 0;
}

runCli('import-torch', USAGE, parseImportOptions, importTorch);
