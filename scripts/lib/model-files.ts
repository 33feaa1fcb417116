// Saves and loads a model folder in Node (model.json + weights.bin + card.json), the same
// files the browser fetches with tf.loadLayersModel. Each file is written under a temporary
// name and renamed into place, model.json last; the weights checksum in model.json makes a
// load refuse a folder whose files come from different saves. TF.js (through
// src/model/artifacts.ts) loads at the first save or load, not with this module: a CLI can
// import it and still refuse bad options without TF.js's start-up cost.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelBundle, ModelCard } from '../../src/model/artifacts.ts';
import type { CnnConfig } from '../../src/model/config.ts';
import { ModelError } from '../../src/model/errors.ts';
import { checkModelJson, parseModelJson } from '../../src/model/model-check.ts';

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
  const { WEIGHTS_FILE, MODEL_JSON_FILE, modelToArtifacts } = await import('../../src/model/artifacts.ts');
  const { modelJson, weights } = await modelToArtifacts(model, config, card, WEIGHTS_FILE);
  mkdirSync(dir, { recursive: true });
  writeAllAtomically(dir, [
    [WEIGHTS_FILE, new Uint8Array(weights)],
    [CARD_FILE, JSON.stringify(card, null, 2) + '\n'],
    [MODEL_JSON_FILE, JSON.stringify(modelJson)],
  ]);
}

/**
 * Writes a model folder's parts made in memory (src/model/model-folder.ts: model.json,
 * weights.bin, model.safetensors) and its card.json, creating the folder; model.json last.
 */
export function writeModelFolder(dir: string, parts: { modelJson: unknown; weights: ArrayBuffer; safetensors: Uint8Array }, card: ModelCard): void {
  mkdirSync(dir, { recursive: true });
  writeAllAtomically(dir, [
    ['weights.bin', new Uint8Array(parts.weights)],
    ['model.safetensors', parts.safetensors],
    [CARD_FILE, JSON.stringify(card, null, 2) + '\n'],
    ['model.json', JSON.stringify(parts.modelJson)],
  ]);
}

function readFileOrFail(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new ModelError(`model folder is missing ${what} (${path})`);
  return readFileSync(path);
}

/** Loads a folder written by saveModelDir (or any TF.js layers model.json carrying our metadata). */
export async function loadModelDir(dir: string): Promise<ModelBundle> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelError(`no model folder at ${dir}`);
  const { MODEL_JSON_FILE, modelFromArtifacts } = await import('../../src/model/artifacts.ts');
  const jsonPath = join(dir, MODEL_JSON_FILE);
  const modelJson = parseModelJson(readFileOrFail(jsonPath, MODEL_JSON_FILE).toString('utf8'), jsonPath);
  try {
    // The page's checks (src/model/model-check.ts) before any weights file is opened; the
    // weight files are concatenated in manifest order (TF.js may shard; we write one).
    const { weightPaths } = checkModelJson(modelJson);
    const parts = weightPaths.map((p) => readFileOrFail(join(dir, p), `weights file ${p}`));
    return await modelFromArtifacts(modelJson, new Uint8Array(Buffer.concat(parts)));
  } catch (e) {
    if (e instanceof ModelError) throw new ModelError(`${dir}: ${e.message}`);
    throw e;
  }
}
