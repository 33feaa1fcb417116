// Models kept in IndexedDB, so the app starts and listens offline with the model the user
// chose: the bundled one (models/, copied on first run and replaced when its model.json
// changes) and models imported from `npm run train` folders. Everything is checked before
// it is stored (src/model/model-check.ts, the same checks as the CLI's); a refused import
// leaves the stored models and the active choice as they were. The page stores and lists;
// the worker rebuilds the TF.js model from toModelFiles() / toArtifacts().
import type { io } from '@tensorflow/tfjs';
import { crc32Hex } from '../model/crc32.ts';
import { ModelError } from '../model/errors.ts';
import { checkModelJson, checkWeights, parseModelJson } from '../model/model-check.ts';
import { guarded, openValenceDb, quietly, StorageError, type ModelRecord, type ValenceDatabase } from './db.ts';

export type { ModelRecord, ModelSource } from './db.ts';

/** A model without its weights and model.json: what lists show. */
export type ModelSummary = Omit<ModelRecord, 'weights' | 'modelJson' | 'safetensors'>;

/** Fetches a URL (the page's fetch, or a counting fake in tests). */
export type Fetcher = (url: string) => Promise<Response>;

/** What an imported file needs to offer; a browser File has all of it. */
export interface ModelFileLike {
  name: string;
  /** "folder/model.json" when picked with a directory picker (webkitdirectory). */
  webkitRelativePath?: string;
  size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A personal model as the calibration worker makes it (src/model/model-folder.ts's parts). */
export interface PersonalModelParts {
  modelJson: Record<string, unknown>;
  weights: ArrayBuffer;
  safetensors: ArrayBuffer;
}

/** Runs a model's files before an import stores them (the worker's trial forward pass); rejects saying why it cannot run. */
export type ModelTrial = (files: { name: string; modelJson: Record<string, unknown>; weights: ArrayBuffer }) => Promise<void>;

/** Outcome of ensureBundled. */
export interface BundledResult {
  record: ModelSummary;
  /** 'stored': first run or a new bundled model (weights fetched); 'unchanged': nothing but the two small JSON files fetched; 'offline': the fetch failed and the stored copy is used. */
  status: 'stored' | 'unchanged' | 'offline';
  /** URLs requested, in order. */
  requested: string[];
}

const ACTIVE_KEY = 'activeModelId';
const BUNDLED_PREFIX = 'bundled/';
const PERSONAL_PREFIX = 'personal/';

/** Prefix of refusals, so the UI can show the message as it is. */
const REFUSED = 'Model not imported: ';

/** SHA-256 as hex; CRC-32 (marked) where crypto.subtle is missing (a page served over plain http from another host). */
export async function contentHash(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return 'crc32:' + crc32Hex(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const digest = await subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function summaryOf(r: ModelRecord): ModelSummary {
  const { weights: _w, modelJson: _m, safetensors: _s, ...rest } = r;
  return rest;
}

function joinBuffers(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

async function fetchOk(fetcher: Fetcher, url: string, requested: string[]): Promise<Response> {
  requested.push(url);
  const res = await fetcher(url);
  if (!res.ok) throw new ModelError(`could not fetch ${url}: HTTP ${res.status}`);
  return res;
}

export class ModelStore {
  constructor(readonly db: ValenceDatabase) {}

  /** Summaries of every stored model, bundled first, then imported by date. */
  async list(): Promise<ModelSummary[]> {
    const all = await this.db.getAll('models');
    return all
      .map(summaryOf)
      .sort((a, b) => (a.source === b.source ? a.addedAt - b.addedAt : a.source === 'bundled' ? -1 : 1));
  }

  /** The whole record (with weights), or undefined. */
  async get(id: string): Promise<ModelRecord | undefined> {
    return this.db.get('models', id);
  }

  /** The model to use: the chosen one, else the bundled one, else undefined (nothing stored yet). */
  async active(): Promise<ModelRecord | undefined> {
    const id = await this.db.get('meta', ACTIVE_KEY);
    const chosen = typeof id === 'string' ? await this.db.get('models', id) : undefined;
    if (chosen) return chosen;
    const bundled = await this.db.getAllFromIndex('models', 'bySource', 'bundled');
    return bundled[0];
  }

  async activeId(): Promise<string | undefined> {
    return (await this.active())?.id;
  }

  /** Makes a stored model the active one. */
  async setActive(id: string): Promise<void> {
    await guarded('the model choice', async () => {
      const tx = quietly(this.db.transaction(['models', 'meta'], 'readwrite'));
      if (!(await tx.objectStore('models').getKey(id))) throw new StorageError(`no stored model "${id}"`);
      await tx.objectStore('meta').put(id, ACTIVE_KEY);
      await tx.done;
    });
  }

  /**
   * Deletes an imported model (the active choice falls back to the bundled one). The bundled
   * model cannot be deleted: it is the fallback, and would come back at the next start.
   */
  async remove(id: string): Promise<void> {
    if (id.startsWith(BUNDLED_PREFIX)) throw new StorageError('The bundled model cannot be deleted; it is the fallback model');
    await guarded('the deletion', async () => {
      const tx = quietly(this.db.transaction(['models', 'meta'], 'readwrite'));
      await tx.objectStore('models').delete(id);
      if ((await tx.objectStore('meta').get(ACTIVE_KEY)) === id) await tx.objectStore('meta').delete(ACTIVE_KEY);
      await tx.done;
    });
  }

  /**
   * Makes sure the bundled model (modelsUrl/index.json -> folder) is stored. Fetches
   * index.json and the folder's model.json (a few kB); only when model.json's text differs
   * from the stored copy's (new weights change its checksum field) are the weights fetched,
   * checked and stored, replacing the previous bundled model. Offline with a stored copy:
   * uses it. Throws ModelError when there is no usable copy.
   */
  async ensureBundled(fetcher: Fetcher, modelsUrl: string): Promise<BundledResult> {
    const base = modelsUrl.endsWith('/') ? modelsUrl : modelsUrl + '/';
    const requested: string[] = [];
    const stored = await this.db.getAllFromIndex('models', 'bySource', 'bundled');
    let name: string;
    let text: string;
    try {
      const index = (await (await fetchOk(fetcher, new URL('index.json', base).href, requested)).json()) as unknown;
      const value = (index as { default?: unknown } | null)?.default;
      if (typeof value !== 'string' || value === '' || value.includes('..') || value.includes('/')) {
        throw new ModelError('models/index.json has no valid "default" model folder name');
      }
      name = value;
      text = await (await fetchOk(fetcher, new URL(`${encodeURIComponent(name)}/model.json`, base).href, requested)).text();
    } catch (e) {
      if (stored.length > 0) return { record: summaryOf(stored[0]), status: 'offline', requested };
      throw e instanceof ModelError ? e : new ModelError(`could not fetch the bundled model: ${(e as Error).message}`);
    }
    const manifestHash = await contentHash(new TextEncoder().encode(text));
    const id = BUNDLED_PREFIX + name;
    const same = stored.find((r) => r.id === id && r.manifestHash === manifestHash);
    if (same) return { record: summaryOf(same), status: 'unchanged', requested };

    const label = `bundled model "${name}"`;
    const modelJson = parseModelJson(text, `model.json of ${label}`);
    const checked = checkModelJson(modelJson);
    const folder = new URL(`${encodeURIComponent(name)}/`, base);
    const parts = await Promise.all(
      checked.weightPaths.map(async (p) => (await fetchOk(fetcher, new URL(p, folder).href, requested)).arrayBuffer()),
    );
    const weights = joinBuffers(parts);
    checkWeights(modelJson, weights, checked.weightsCrc32);
    const record: ModelRecord = {
      id,
      name: typeof checked.card.name === 'string' ? checked.card.name : name,
      source: 'bundled',
      contentHash: await contentHash(weights),
      manifestHash,
      card: checked.card,
      config: checked.config,
      modelJson,
      weights,
      addedAt: Date.now(),
    };
    await guarded(`the ${label}`, async () => {
      const tx = quietly(this.db.transaction(['models', 'meta'], 'readwrite'));
      const models = tx.objectStore('models');
      const meta = tx.objectStore('meta');
      const activeId = await meta.get(ACTIVE_KEY);
      for (const old of stored) if (old.id !== id) await models.delete(old.id);
      await models.put(record);
      // The user's choice of an imported model survives a new bundled model.
      if (typeof activeId !== 'string' || activeId.startsWith(BUNDLED_PREFIX)) await meta.put(id, ACTIVE_KEY);
      await tx.done;
    });
    return { record: summaryOf(record), status: 'stored', requested };
  }

  /**
   * Imports a model folder from `npm run train` (model.json + its weight files + optional
   * card.json). Refused with a ModelError saying why when anything is missing, corrupt or
   * made for other features, or when `trial` (the worker's forward pass on the checked
   * files; it gets a copy of the weights) rejects; the stored models and the active choice
   * are then unchanged. On success the new model is stored and becomes the active one.
   */
  async importModelFiles(files: readonly ModelFileLike[], trial?: ModelTrial): Promise<ModelSummary> {
    let checkedRecord: ModelRecord;
    try {
      checkedRecord = await readImport(files);
    } catch (e) {
      if (e instanceof ModelError) throw new ModelError(REFUSED + e.message);
      throw e;
    }
    if (trial) {
      try {
        await trial({ ...toModelFiles(checkedRecord), weights: checkedRecord.weights.slice(0) });
      } catch (e) {
        throw new ModelError(REFUSED + ((e as Error).message || String(e)));
      }
    }
    await this.storeActive(checkedRecord, 'the imported model');
    return summaryOf(checkedRecord);
  }

  /**
   * Stores a personal model (the calibration worker's model folder parts: model.json,
   * weights.bin, model.safetensors), checked like an import, and makes it the active one
   * when `activate`. Its id comes from its weights, so the same calibration run again replaces it.
   */
  async addPersonal(parts: PersonalModelParts, activate = true): Promise<ModelSummary> {
    const checked = checkModelJson(parts.modelJson);
    checkWeights(parts.modelJson, parts.weights, checked.weightsCrc32);
    const hash = await contentHash(parts.weights);
    const record: ModelRecord = {
      id: PERSONAL_PREFIX + hash.replace(/^crc32:/, '').slice(0, 16),
      name: typeof checked.card.name === 'string' && checked.card.name !== '' ? checked.card.name : 'personal model',
      source: 'personal',
      contentHash: hash,
      manifestHash: await contentHash(new TextEncoder().encode(JSON.stringify(parts.modelJson))),
      card: checked.card,
      config: checked.config,
      modelJson: parts.modelJson,
      weights: parts.weights,
      safetensors: parts.safetensors,
      addedAt: Date.now(),
    };
    await this.storeActive(record, 'the personal model', activate);
    return summaryOf(record);
  }

  /** Puts `record` and (unless told not to) makes it the active model in one transaction (storing the same weights again keeps the first date). */
  private async storeActive(record: ModelRecord, what: string, activate = true): Promise<void> {
    const mb = (record.weights.byteLength / 1e6).toFixed(1);
    await guarded(`${what} (${mb} MB)`, async () => {
      const tx = quietly(this.db.transaction(['models', 'meta'], 'readwrite'));
      const previous = await tx.objectStore('models').get(record.id);
      await tx.objectStore('models').put(previous ? { ...record, addedAt: previous.addedAt } : record);
      if (activate) await tx.objectStore('meta').put(record.id, ACTIVE_KEY);
      await tx.done;
    });
  }
}

/** Reads and checks the picked files into a record (not stored yet). */
async function readImport(files: readonly ModelFileLike[]): Promise<ModelRecord> {
  const jsons = files.filter((f) => f.name === 'model.json');
  if (jsons.length === 0) throw new ModelError('no model.json among the chosen files (choose a model folder, or model.json with its weights)');
  if (jsons.length > 1) throw new ModelError('several model.json files were chosen; choose one model folder');
  const jsonFile = jsons[0];
  const folderOf = (f: ModelFileLike) => (f.webkitRelativePath ?? '').split('/').slice(0, -1).join('/');
  const folder = folderOf(jsonFile);
  // With a directory picker, only files beside model.json count.
  const beside = files.filter((f) => folderOf(f) === folder);
  const modelJson = parseModelJson(await jsonFile.text());
  const cardFile = beside.find((f) => f.name === 'card.json');
  const cardJson = cardFile ? parseModelJson(await cardFile.text(), 'card.json') : undefined;
  const checked = checkModelJson(modelJson, cardJson);
  const parts: ArrayBuffer[] = [];
  for (const p of checked.weightPaths) {
    const f = beside.find((x) => x.name === p);
    if (!f) throw new ModelError(`the weights file "${p}" that model.json names was not among the chosen files`);
    parts.push(await f.arrayBuffer());
  }
  const weights = joinBuffers(parts);
  checkWeights(modelJson, weights, checked.weightsCrc32);
  const hash = await contentHash(weights);
  const folderName = folder.split('/').pop() ?? '';
  const name =
    typeof checked.card.name === 'string' && checked.card.name !== '' ? checked.card.name : folderName || 'imported model';
  return {
    id: 'imported/' + hash.replace(/^crc32:/, '').slice(0, 16),
    name,
    source: 'imported',
    contentHash: hash,
    manifestHash: await contentHash(new TextEncoder().encode(JSON.stringify(modelJson))),
    card: checked.card,
    config: checked.config,
    modelJson,
    weights,
    addedAt: Date.now(),
  };
}

/** model.json + weights of a stored model, the shape load-model-url.ts's bundleFromFiles takes. */
export function toModelFiles(record: ModelRecord): { name: string; modelJson: Record<string, unknown>; weights: ArrayBuffer } {
  return { name: record.name, modelJson: record.modelJson, weights: record.weights };
}

/** TF.js artifacts for tf.loadLayersModel(tf.io.fromMemory(...)); prefer modelFromArtifacts(modelJson, weights), which also checks. */
export function toArtifacts(record: ModelRecord): io.ModelArtifacts {
  const j = record.modelJson as unknown as io.ModelJSON;
  return {
    modelTopology: j.modelTopology,
    weightSpecs: j.weightsManifest.flatMap((g) => g.weights),
    weightData: record.weights,
    format: 'layers-model',
    userDefinedMetadata: j.userDefinedMetadata,
  };
}

/** Opens the database (injectable factory for tests) and returns the model store. */
export async function openModelStore(factory?: IDBFactory): Promise<ModelStore> {
  return new ModelStore(await openValenceDb(factory));
}
