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
import { MEL, WINDOW_LENGTH, TARGET_RATE } from '../src/dsp/params.ts';

const USAGE = `usage: npm run import-torch -- WEIGHTS.safetensors --out DIR [options]

options:
  --features power|db     features the weights were trained on (default: the file's
                          __metadata__ "features", else power, the report's)
  --activation relu|sigmoid, --pooling avg|max, --padding N   (default: the seed preset)
  --card FILE.json        merge this JSON object into the model card
  --default               make DIR (a folder directly under models/) the bundled default`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
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
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.out) {
    console.error(`import-torch: need one weights file and --out DIR\n\n${USAGE}`);
    return 2;
  }
  const file = positionals[0];
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    console.error(`import-torch: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const { tensors, metadata } = parseSafetensors(bytes);
  const given: Record<string, unknown> = {};
  const features = values.features ?? metadata?.features;
  if (features !== undefined) given.features = features;
  if (values.activation) given.activation = values.activation;
  if (values.pooling) given.pooling = values.pooling;
  if (values.padding) given.padding = Number(values.padding);
  const config = configFromTorchTensors(tensors, given);
  await initNodeBackend('wasm');
  const model = buildCnn(config);
  importTorchWeights(model, config, tensors);
  const extra = values.card ? (JSON.parse(readFileSync(values.card, 'utf8')) as Record<string, unknown>) : {};
  const card = {
    name: basename(values.out),
    source: `imported from PyTorch weights ${basename(file)}`,
    weightsSha256: createHash('sha256').update(bytes).digest('hex'),
    importedAt: new Date().toISOString(),
    parameters: parameterCount(config),
    config,
    signal: { sampleRate: TARGET_RATE, windowLength: WINDOW_LENGTH, mel: MEL, features: config.features },
    safetensorsMetadata: metadata ?? {},
    ...extra,
  };
  await saveModelDir(values.out, model, config, card);
  copyFileSync(file, join(values.out, 'model.safetensors'));
  model.dispose();
  if (values.default) setDefaultModel(values.out);
  console.log(`imported ${file} -> ${values.out} (${config.features} features, ${card.parameters} parameters)${values.default ? ', now the default model' : ''}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`import-torch: ${(e as Error).message}`);
    process.exit(1);
  },
);
