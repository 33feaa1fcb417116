// Test helpers for the storage modules: real model folders made with the project's own
// buildCnn + modelToArtifacts, a counting fake fetch serving them, File objects as a
// directory picker gives them, and a simulated quota failure.
import 'fake-indexeddb/auto';
import { buildCnn } from '../model/cnn.ts';
import { modelToArtifacts, type ModelCard } from '../model/artifacts.ts';
import { SEED_PRESET, type CnnConfig } from '../model/config.ts';
import { initNodeBackend } from '../model/backend.ts';
import { MEL, TARGET_RATE, WINDOW_LENGTH } from '../dsp/params.ts';

export interface ModelFolder {
  modelJsonText: string;
  weights: Uint8Array<ArrayBuffer>;
  card: ModelCard;
}

/** A card like `npm run train` writes (the parts the store reads). */
export function trainCard(name: string, config: CnnConfig): ModelCard {
  return {
    name,
    date: '2026-11-24',
    config,
    signal: { sampleRate: TARGET_RATE, windowLength: WINDOW_LENGTH, mel: { ...MEL }, features: config.features },
    data: { corpus: 'test corpus' },
    metrics: { validation: { ccc: 0.41, mse: 0.23 } },
  };
}

/** A small real model folder (seeded weights). */
export async function makeModelFolder(name: string, seed: number, config: CnnConfig = { ...SEED_PRESET, features: 'db' }): Promise<ModelFolder> {
  await initNodeBackend('cpu');
  const model = buildCnn(config, { seed });
  try {
    const card = trainCard(name, config);
    const { modelJson, weights } = await modelToArtifacts(model, config, card);
    return { modelJsonText: JSON.stringify(modelJson), weights: new Uint8Array(weights), card };
  } finally {
    model.dispose();
  }
}

/** A fetch over an in-memory folder tree ("/models/..." paths), recording each URL asked for. */
export function fakeFetcher(files: Map<string, string | Uint8Array<ArrayBuffer>>) {
  const requested: string[] = [];
  let offline = false;
  const fetcher = async (url: string): Promise<Response> => {
    requested.push(url);
    if (offline) throw new TypeError('Failed to fetch');
    const body = files.get(new URL(url).pathname);
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  };
  return { fetcher, requested, setOffline: (v: boolean) => (offline = v) };
}

/** Serves `folder` as the bundled default model "name" under /models/. */
export function serveBundled(files: Map<string, string | Uint8Array<ArrayBuffer>>, name: string, folder: ModelFolder): void {
  files.set('/models/index.json', JSON.stringify({ default: name }));
  files.set(`/models/${name}/model.json`, folder.modelJsonText);
  files.set(`/models/${name}/weights.bin`, folder.weights);
  files.set(`/models/${name}/card.json`, JSON.stringify(folder.card));
}

/** Files as a directory picker returns them (webkitRelativePath "dir/name"). */
export function pickedFiles(dir: string, entries: Record<string, string | Uint8Array<ArrayBuffer>>): File[] {
  return Object.entries(entries).map(([name, body]) => {
    const file = new File([body], name);
    Object.defineProperty(file, 'webkitRelativePath', { value: `${dir}/${name}` });
    return file;
  });
}

/**
 * Makes IndexedDB's put throw a QuotaExceededError (as a full disk does) while `fn` runs,
 * for stores named in `stores`.
 */
export async function withQuotaExceeded<T>(stores: string[], fn: () => Promise<T>): Promise<T> {
  const proto = IDBObjectStore.prototype;
  const put = proto.put;
  const add = proto.add;
  function full(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>): IDBRequest<IDBValidKey> {
    if (stores.includes(this.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  }
  proto.put = full;
  proto.add = full;
  try {
    return await fn();
  } finally {
    proto.put = put;
    proto.add = add;
  }
}
