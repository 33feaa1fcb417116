// npm run import-torch -- WEIGHTS.safetensors --out DIR : turns PyTorch weights (safetensors,
// PyTorch names and layouts, SPEC section 2) into a model folder the app and the CLI load.
import { parseArgs } from 'node:util';
import { copyFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { parseSafetensors } from '../src/model/safetensors.ts';
import { configFromTorchTensors, importTorchWeights } from '../src/model/torch-weights.ts';
import { buildCnn, parameterCount } from '../src/model/cnn.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { saveModelDir } from './lib/model-files.ts';
import { setDefaultModel } from './lib/model-index.ts';
import { runCli } from './lib/cli.ts';
import { MEL, WINDOW_LENGTH, TARGET_RATE } from '../src/dsp/params.ts';

const USAGE = `usage: npm run import-torch -- WEIGHTS.safetensors --out DIR [options]

options:
  --features power|db|db-band-mean  features the weights were trained on (default: the file's
                          __metadata__ "features", else power, the report's)
  --activation relu|sigmoid, --pooling avg|max, --padding N   (default: the seed preset)
  --card FILE.json        merge this JSON object into the model card
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
  if (values.padding) given.padding = Number(values.padding);
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
  const { tensors, metadata } = parseSafetensors(bytes);
  const given: Record<string, unknown> = { ...opts.given };
  if (given.features === undefined && metadata?.features !== undefined) given.features = metadata.features;
  const config = configFromTorchTensors(tensors, given);
  await initNodeBackend('wasm');
  const model = buildCnn(config);
  importTorchWeights(model, config, tensors);
  const extra = opts.card ? (JSON.parse(readFileSync(opts.card, 'utf8')) as Record<string, unknown>) : {};
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
  console.log(`imported ${file} -> ${opts.out} (${config.features} features, ${card.parameters} parameters)${opts.makeDefault ? ', now the default model' : ''}`);
  return 0;
}

runCli('import-torch', USAGE, parseImportOptions, importTorch);
