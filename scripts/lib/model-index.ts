// Writes models/index.json, the pointer to the model the app and the CLI use by default.
import { writeFileSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MODELS_DIR, type ModelIndex } from './default-model.ts';

/** Makes the model folder `dir` (which must sit directly under models/) the default. */
export function setDefaultModel(dir: string): void {
  const abs = resolve(dir);
  if (dirname(abs) !== MODELS_DIR) {
    throw new Error(`only a folder directly under ${MODELS_DIR} can be the bundled default (got ${abs})`);
  }
  const index: ModelIndex = { default: basename(abs) };
  const path = join(MODELS_DIR, 'index.json');
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(index, null, 2) + '\n');
  renameSync(tmp, path);
}
