// Saves and loads a model folder in Node (model.json + weights.bin + card.json), the same
// files the browser fetches with tf.loadLayersModel. Each file is written under a temporary
// name and renamed into place, model.json last; the weights checksum in model.json makes a
// load refuse a folder whose files come from different saves.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import {
  MODEL_JSON_FILE,
  WEIGHTS_FILE,
  modelFromArtifacts,
  modelToArtifacts,
  type ModelBundle,
  type ModelCard,
} from '../../src/model/artifacts.ts';
import type { CnnConfig } from '../../src/model/config.ts';
import { ModelError } from '../../src/model/errors.ts';

/** A human-readable copy of the card; the loader reads the card from model.json. */
export const CARD_FILE = 'card.json';

/** Writes all files under temporary names, then renames them into place (model.json last). */
function writeAllAtomically(dir: string, files: [name: string, data: string | Uint8Array][]): void {
  const tag = `.tmp-${process.pid}-${Date.now()}`;
  const written: string[] = [];
  try {
    for (const [name, data] of files) {
      const tmp = join(dir, name + tag);
      writeFileSync(tmp, data);
      written.push(tmp);
    }
  } catch (e) {
    for (const tmp of written) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [name] of files) renameSync(join(dir, name + tag), join(dir, name));
}

/** Saves a model built for `config` (and its card) into `dir`, creating the folder if needed. */
export async function saveModelDir(dir: string, model: tf.LayersModel, config: CnnConfig, card: ModelCard = {}): Promise<void> {
  const { modelJson, weights } = await modelToArtifacts(model, config, card, WEIGHTS_FILE);
  mkdirSync(dir, { recursive: true });
  writeAllAtomically(dir, [
    [WEIGHTS_FILE, new Uint8Array(weights)],
    [CARD_FILE, JSON.stringify(card, null, 2) + '\n'],
    [MODEL_JSON_FILE, JSON.stringify(modelJson)],
  ]);
}

function readFileOrFail(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new ModelError(`model folder is missing ${what} (${path})`);
  return readFileSync(path);
}

/** Loads a folder written by saveModelDir (or any TF.js layers model.json carrying our metadata). */
export async function loadModelDir(dir: string): Promise<ModelBundle> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelError(`no model folder at ${dir}`);
  const jsonPath = join(dir, MODEL_JSON_FILE);
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(readFileOrFail(jsonPath, MODEL_JSON_FILE).toString('utf8'));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  const manifest = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new ModelError(`${jsonPath} has no weightsManifest`);
  // Concatenate the weight files in manifest order (TF.js may shard; we write one).
  const parts: Buffer[] = [];
  for (const group of manifest) {
    const paths = (group as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths)) throw new ModelError(`${jsonPath}: weightsManifest group has no paths`);
    for (const p of paths) {
      if (typeof p !== 'string' || p === '' || /[\\/]/.test(p) || p.startsWith('.')) {
        throw new ModelError(`${jsonPath}: weights path ${JSON.stringify(p)} must be a plain file name in the folder`);
      }
      parts.push(readFileOrFail(join(dir, p), `weights file ${p}`));
    }
  }
  try {
    return await modelFromArtifacts(modelJson, new Uint8Array(Buffer.concat(parts)));
  } catch (e) {
    if (e instanceof ModelError) throw new ModelError(`${dir}: ${e.message}`);
    throw e;
  }
}
