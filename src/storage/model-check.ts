// Checks a model's files before the app stores or switches to it, without TF.js (the page
// never loads TF.js; the worker rebuilds the model later with modelFromArtifacts, which
// repeats the architecture check on real layers). A model is refused, with a message that
// says what is wrong, when its config is invalid, it reads other features than the app
// computes (input size, feature type, signal parameters on its card), or its weights do not
// match model.json (size, shapes, checksum, non-finite values). One output (valence) or two
// (valence, arousal; SPEC section 3) are accepted, with the last layer's shapes to match.
import { featureMapShape, outputCount, validateConfig, type CnnConfig } from '../model/config.ts';
import { crc32Hex } from '../model/crc32.ts';
import { ModelError } from '../model/errors.ts';
import { MEL, TARGET_RATE, WINDOW_FRAMES, WINDOW_LENGTH } from '../dsp/params.ts';

/** Same string as artifacts.ts's METADATA_FORMAT (not imported: that module pulls in TF.js). */
export const VALENCE_METADATA_FORMAT = 'valence-monitor-cnn/1';

/** The input the app's signal path produces: [mels, frames] (SPEC section 1). */
export const APP_INPUT_SHAPE: readonly [number, number] = [MEL.nMels, WINDOW_FRAMES];

export interface CheckedModel {
  config: CnnConfig;
  /** The card from model.json's metadata, overlaid by card.json when one was given. */
  card: Record<string, unknown>;
  weightsCrc32: string;
  /** Weight file names, in manifest order. */
  weightPaths: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parses model.json text; refuses non-JSON and non-objects. */
export function parseModelJson(text: string, label = 'model.json'): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError(`${label} is not valid JSON`);
  }
  if (!isObject(json)) throw new ModelError(`${label} is not a JSON object`);
  return json;
}

/** Weight names and shapes a config's CNN has, in TF.js layout (as cnn.ts builds it). */
function expectedWeights(c: CnnConfig): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let cin = 1;
  c.channels.forEach((cout, i) => {
    out.set(`conv${i + 1}/kernel`, [c.kernelSize, c.kernelSize, cin, cout]);
    out.set(`conv${i + 1}/bias`, [cout]);
    cin = cout;
  });
  const [h, w] = featureMapShape(c);
  const k = outputCount(c);
  out.set('fc/kernel', [cin * h * w, k]);
  out.set('fc/bias', [k]);
  return out;
}

/** What the config's output count means, for messages about the last layer. */
const outputsText = (c: CnnConfig): string =>
  outputCount(c) === 2 ? '2 outputs: valence, arousal' : '1 output: valence';

/** The card's signal description, where it has one, must be the app's (else readings would be meaningless). */
function checkSignal(card: Record<string, unknown>, config: CnnConfig): void {
  const signal = card.signal;
  if (signal === undefined) return;
  if (!isObject(signal)) throw new ModelError('the model card\'s "signal" is not an object');
  const wrong: string[] = [];
  const same = (what: string, got: unknown, want: unknown) => {
    if (got !== undefined && got !== want) wrong.push(`${what} ${JSON.stringify(got)} (the app uses ${JSON.stringify(want)})`);
  };
  same('sample rate', signal.sampleRate, TARGET_RATE);
  same('window length', signal.windowLength, WINDOW_LENGTH);
  same('features', signal.features, config.features);
  if (signal.mel !== undefined) {
    if (!isObject(signal.mel)) throw new ModelError('the model card\'s "signal.mel" is not an object');
    for (const [key, want] of Object.entries(MEL)) same(`mel ${key}`, signal.mel[key], want);
  }
  if (wrong.length > 0) {
    throw new ModelError(`the model was trained on other features than the app computes: ${wrong.join(', ')}`);
  }
}

/** Checks model.json's metadata, config and weight manifest (no weights needed yet). */
export function checkModelJson(modelJson: Record<string, unknown>, cardJson?: unknown): CheckedModel {
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    throw new ModelError(`model.json has format ${JSON.stringify(modelJson.format)}, expected "layers-model"`);
  }
  if (!isObject(modelJson.modelTopology)) throw new ModelError('model.json has no modelTopology');
  const meta = modelJson.userDefinedMetadata;
  if (!isObject(meta) || meta.format !== VALENCE_METADATA_FORMAT) {
    throw new ModelError(
      `model.json is not a Valence Monitor model (userDefinedMetadata.format must be "${VALENCE_METADATA_FORMAT}")`,
    );
  }
  let config: CnnConfig;
  try {
    config = validateConfig(meta.config);
  } catch (e) {
    throw new ModelError(`model.json: ${(e as Error).message}`);
  }
  const [mels, frames] = config.inputShape;
  if (mels !== APP_INPUT_SHAPE[0] || frames !== APP_INPUT_SHAPE[1]) {
    throw new ModelError(
      `the model reads ${mels} x ${frames} inputs; the app computes ${APP_INPUT_SHAPE[0]} Mel bands x ${APP_INPUT_SHAPE[1]} frames`,
    );
  }
  const crc = meta.weightsCrc32;
  if (typeof crc !== 'string' || !/^[0-9a-f]{8}$/.test(crc)) {
    throw new ModelError('model.json: userDefinedMetadata.weightsCrc32 is missing or malformed');
  }
  const metaCard = meta.card === undefined ? {} : meta.card;
  if (!isObject(metaCard)) throw new ModelError('model.json: the model card is not a JSON object');
  if (cardJson !== undefined && !isObject(cardJson)) throw new ModelError('card.json is not a JSON object');
  const card = { ...metaCard, ...(cardJson ?? {}) };
  checkSignal(card, config);

  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ModelError('model.json has no weightsManifest');
  const want = expectedWeights(config);
  const seen = new Set<string>();
  const weightPaths: string[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights) || !Array.isArray(group.paths)) {
      throw new ModelError('model.json: malformed weightsManifest group');
    }
    for (const p of group.paths) {
      if (typeof p !== 'string' || p === '' || p.includes('..') || p.includes('/')) {
        throw new ModelError(`model.json: weight file name ${JSON.stringify(p)} is not a plain file name`);
      }
      weightPaths.push(p);
    }
    for (const w of group.weights) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) {
        throw new ModelError('model.json: malformed weight entry in weightsManifest');
      }
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined) {
        throw new ModelError(`model.json: weight "${w.name}" is not plain float32`);
      }
      const shape = want.get(w.name);
      if (!shape) throw new ModelError(`model.json: unexpected weight "${w.name}" for this config`);
      if (JSON.stringify(shape) !== JSON.stringify(w.shape)) {
        const why = w.name.startsWith('fc/') ? ` (${outputsText(config)})` : '';
        throw new ModelError(`model.json: weight "${w.name}" has shape ${JSON.stringify(w.shape)}, the config needs ${JSON.stringify(shape)}${why}`);
      }
      seen.add(w.name);
    }
  }
  const missing = [...want.keys()].filter((n) => !seen.has(n));
  if (missing.length > 0) throw new ModelError(`model.json lacks weights ${missing.join(', ')}`);
  if (weightPaths.length === 0) throw new ModelError('model.json lists no weight files');
  return { config, card, weightsCrc32: crc, weightPaths };
}

/** Checks the weights buffer against checked model.json: size, CRC-32, finite values. */
export function checkWeights(modelJson: Record<string, unknown>, weights: ArrayBuffer, crc: string): void {
  const specs = (modelJson.weightsManifest as { weights: { shape: number[] }[] }[]).flatMap((g) => g.weights);
  const need = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0) * 4;
  if (weights.byteLength !== need) {
    throw new ModelError(`the weights are ${weights.byteLength} bytes, model.json describes ${need} (truncated, or from another model)`);
  }
  const got = crc32Hex(new Uint8Array(weights));
  if (got !== crc) {
    throw new ModelError(`the weights' checksum ${got} does not match model.json's ${crc} (corrupt file, or from another save)`);
  }
  const values = new Float32Array(weights);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new ModelError(`the weights hold a non-finite value at index ${i}`);
  }
}
