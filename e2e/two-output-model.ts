// Writes a two-output model folder (valence, then arousal; SPEC section 3) with seeded
// random weights, for the end-to-end tests that import one: the seed CNN on dB features,
// saved as `npm run train` saves a model (scripts/lib/model-files.ts). Run by the spec
// in a child process, so the test runner itself never loads TF.js:
//   npx tsx e2e/two-output-model.ts OUT_DIR NAME
import { saveModelDir } from '../scripts/lib/model-files.ts';
import { initNodeBackend } from '../src/model/backend.ts';
import { buildCnn } from '../src/model/cnn.ts';
import { SEED_PRESET, type CnnConfig } from '../src/model/config.ts';

const [out, name] = process.argv.slice(2);
if (!out || !name) {
  console.error('usage: npx tsx e2e/two-output-model.ts OUT_DIR NAME');
  process.exit(2);
}
await initNodeBackend('wasm');
const config: CnnConfig = { ...SEED_PRESET, features: 'db', outputs: 2 };
const model = buildCnn(config, { seed: 3 });
await saveModelDir(out, model, config, { name });
model.dispose();
