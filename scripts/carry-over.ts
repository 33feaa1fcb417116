// npm run carry-over -- MODEL_DIR RUN_DIR... : writes the leave-one-corpus-out results of the
// runs (their cards' metrics.holdout) into MODEL_DIR's card as metrics.carryOver (card.json,
// and the copy in model.json's metadata, which the app reads), and the app words them as "on
// a corpus left out of training". Command-line edge of src/training/carry-over.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarryOverError, carryOverEntry, withCarryOver } from '../src/training/carry-over.ts';
import { readFailureReason } from './lib/audio-file.ts';

const USAGE = 'usage: npm run carry-over -- MODEL_DIR RUN_DIR...  (each RUN_DIR trained with --holdout-corpus)';

function readCard(dir: string): Record<string, unknown> {
  const path = join(dir, 'card.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CarryOverError(`${path}: ${readFailureReason(e)}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CarryOverError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function main(args: string[]): void {
  if (args.includes('-h') || args.includes('--help')) return void console.log(USAGE);
  const [model, ...runs] = args;
  if (!model || runs.length === 0) throw new CarryOverError(USAGE);
  const entries = runs.map((dir) => carryOverEntry(readCard(dir), join(dir, 'card.json')));
  const card = withCarryOver(readCard(model), entries);
  // model.json first: if it cannot be read, card.json is left as it was too.
  const modelJsonPath = join(model, 'model.json');
  if (existsSync(modelJsonPath)) {
    const modelJson = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as { userDefinedMetadata?: { card?: Record<string, unknown> } };
    const meta = modelJson.userDefinedMetadata;
    if (meta && meta.card && typeof meta.card === 'object') {
      meta.card = withCarryOver(meta.card, entries);
      writeFileSync(modelJsonPath, JSON.stringify(modelJson));
    }
  }
  writeFileSync(join(model, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  for (const e of entries) {
    const ccc = (m: Record<string, unknown> | null) => (m && typeof m.ccc === 'number' ? m.ccc.toFixed(3) : 'n/a');
    console.log(`${e.heldOut} (trained on ${e.trainedOn.join(', ')}, epoch ${e.epoch ?? '?'}): valence CCC ${ccc(e.valence)}, arousal CCC ${ccc(e.arousal)}`);
  }
  console.log(`wrote metrics.carryOver (${entries.length}) into ${join(model, 'card.json')}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof CarryOverError ? e.message : e);
  process.exit(1);
}
