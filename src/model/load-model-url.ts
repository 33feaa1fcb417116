// Loads the bundled model in the browser: models/index.json names the default model
// folder; its model.json and weights are fetched and rebuilt with modelFromArtifacts
// (tf.loadLayersModel from memory, then our metadata, checksum and architecture checks),
// on whichever TF.js backend is active. Every failure becomes a ModelError that says
// which file and what went wrong, for the "model failed" screen.
import { modelFromArtifacts, type ModelBundle } from './artifacts.ts';
import { ModelError } from './errors.ts';

/** The fetched files of one model, reusable to build it on several backends. */
export interface ModelFiles {
  /** Folder name from index.json. */
  name: string;
  modelJson: Record<string, unknown>;
  weights: ArrayBuffer;
}

type FetchFn = (url: string) => Promise<Response>;

async function fetchOk(url: string, what: string, fetchFn: FetchFn): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new ModelError(`could not fetch ${what} (${url}): ${(e as Error).message || 'network error'}`);
  }
  if (!res.ok) throw new ModelError(`could not fetch ${what} (${url}): HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

async function fetchJson(url: string, what: string, fetchFn: FetchFn): Promise<unknown> {
  const res = await fetchOk(url, what, fetchFn);
  try {
    return await res.json();
  } catch {
    throw new ModelError(`${what} (${url}) is not valid JSON`);
  }
}

/**
 * Fetches index.json under `modelsUrl` (an absolute folder URL ending in "/"), then the
 * default model's model.json and weight files.
 */
export async function fetchModelFiles(modelsUrl: string, fetchFn: FetchFn = (u) => fetch(u)): Promise<ModelFiles> {
  const base = modelsUrl.endsWith('/') ? modelsUrl : modelsUrl + '/';
  const index = await fetchJson(new URL('index.json', base).href, 'the model index', fetchFn);
  const name = (index as { default?: unknown } | null)?.default;
  if (typeof name !== 'string' || name === '' || name.includes('..')) {
    throw new ModelError('models/index.json has no valid "default" model folder name');
  }
  const folder = new URL(`${encodeURIComponent(name)}/`, base).href;
  const modelJson = await fetchJson(new URL('model.json', folder).href, `model.json of "${name}"`, fetchFn);
  if (!modelJson || typeof modelJson !== 'object' || Array.isArray(modelJson)) {
    throw new ModelError(`model.json of "${name}" is not a JSON object`);
  }
  const manifest = (modelJson as { weightsManifest?: unknown }).weightsManifest;
  const paths = Array.isArray(manifest)
    ? manifest.flatMap((g) => ((g as { paths?: unknown }).paths as unknown[] | undefined) ?? [])
    : [];
  if (paths.length === 0 || !paths.every((p): p is string => typeof p === 'string')) {
    throw new ModelError(`model.json of "${name}" lists no weight files`);
  }
  const parts = await Promise.all(
    paths.map(async (p) => (await fetchOk(new URL(p, folder).href, `weights of "${name}"`, fetchFn)).arrayBuffer()),
  );
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const weights = new Uint8Array(total);
  let at = 0;
  for (const b of parts) {
    weights.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return { name, modelJson: modelJson as Record<string, unknown>, weights: weights.buffer };
}

/** Builds the model from fetched files on the active backend (checksum and architecture checked). */
export async function bundleFromFiles(files: ModelFiles): Promise<ModelBundle> {
  try {
    return await modelFromArtifacts(files.modelJson, files.weights);
  } catch (e) {
    if (e instanceof ModelError) throw new ModelError(`model "${files.name}": ${e.message}`);
    throw e;
  }
}
