// The one set of checks on a model's files (model.json and its weights), without TF.js: the
// page runs them on an import before storing it (it never loads TF.js), and
// modelFromArtifacts runs them before building the model, for the worker and the CLI alike.
// A model is refused, with a message that says what is wrong, when its config is invalid, it
// reads other input than the app computes (SPEC's 64 Mel bands x 121 frames, in the config
// and in the topology's declared input), other features (its card's signal parameters), or
// its weights do not match model.json (names, shapes, size, checksum, non-finite values). One
// output (valence) or two (valence, arousal; SPEC section 3) are accepted, with the last
// layer's shapes to match the config. What only real layers show (activations, a topology
// TF.js cannot read) is left to TF.js and checkArchitecture, and in the page to the worker's
// trial forward pass.
import { headShape, outputCount, validateConfig, type CnnConfig } from './config.ts';
import { crc32Hex } from './crc32.ts';
import { ModelError } from './errors.ts';
import { MEL, TARGET_RATE, WINDOW_FRAMES, WINDOW_LENGTH } from '../dsp/params.ts';

/** model.json's userDefinedMetadata.format for our models. */
export const METADATA_FORMAT = 'valence-monitor-cnn/1';

/** The input the app's signal path produces: [mels, frames] (SPEC section 1). */
export const APP_INPUT_SHAPE: readonly [number, number] = [MEL.nMels, WINDOW_FRAMES];

/** Free-form, JSON-serializable description of a model (data, training, metrics...). */
export type ModelCard = Record<string, unknown>;

/** What we store in model.json's userDefinedMetadata. */
export interface ValenceMetadata {
  format: typeof METADATA_FORMAT;
  config: CnnConfig;
  card: ModelCard;
  /** CRC-32 of the weights buffer (hex), to catch corrupt or mixed-up files. */
  weightsCrc32: string;
}

export interface CheckedModel {
  config: CnnConfig;
  /** The card from model.json's metadata, overlaid by card.json when one was given. */
  card: ModelCard;
  weightsCrc32: string;
  /** Weight file names, in manifest order. */
  weightPaths: string[];
}

/** One weight as model.json's manifest describes it (checked: plain float32, whole-number shape). */
export interface WeightSpec {
  name: string;
  shape: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const shapeText = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;

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

/** A card must survive JSON: a plain object of JSON values; returns a copy. */
export function checkCard(card: unknown): ModelCard {
  if (!isObject(card)) throw new ModelError('model card must be a JSON object');
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(card));
  } catch (e) {
    throw new ModelError(`model card is not JSON-serializable: ${(e as Error).message}`);
  }
  return copy as ModelCard;
}

/** Reads and checks our metadata from model.json's userDefinedMetadata. */
export function readMetadata(userDefinedMetadata: unknown): ValenceMetadata {
  if (!isObject(userDefinedMetadata) || userDefinedMetadata.format !== METADATA_FORMAT) {
    throw new ModelError(
      `model.json has no Valence Monitor metadata (userDefinedMetadata.format must be "${METADATA_FORMAT}")`,
    );
  }
  let config: CnnConfig;
  try {
    config = validateConfig(userDefinedMetadata.config);
  } catch (e) {
    throw new ModelError(`model.json: ${(e as Error).message}`);
  }
  const card = checkCard(userDefinedMetadata.card ?? {});
  const crc = userDefinedMetadata.weightsCrc32;
  if (typeof crc !== 'string' || !/^[0-9a-f]{8}$/.test(crc)) {
    throw new ModelError('model.json: userDefinedMetadata.weightsCrc32 is missing or malformed');
  }
  return { format: METADATA_FORMAT, config, card, weightsCrc32: crc };
}

/** The config's input must be the app's, or the model would read features it never saw. */
function checkAppInput(config: CnnConfig): void {
  const [mels, frames] = config.inputShape;
  if (mels !== APP_INPUT_SHAPE[0] || frames !== APP_INPUT_SHAPE[1]) {
    throw new ModelError(
      `the model reads ${mels} x ${frames} inputs; the app computes ${APP_INPUT_SHAPE[0]} Mel bands x ${APP_INPUT_SHAPE[1]} frames`,
    );
  }
}

/**
 * The input the topology declares (each layer's batch_input_shape, as TF.js writes them)
 * against the config's: TF.js builds the model from the topology, so a mismatch would give
 * every reading the wrong shape. A topology declaring none is left to TF.js.
 */
function checkTopologyInput(topology: Record<string, unknown>, config: CnnConfig): void {
  const layers = isObject(topology.config) && Array.isArray(topology.config.layers) ? topology.config.layers : [];
  const want: (number | null)[] = [null, config.inputShape[0], config.inputShape[1], 1];
  for (const layer of layers) {
    const declared = isObject(layer) && isObject(layer.config) ? layer.config.batch_input_shape : undefined;
    if (declared === undefined) continue;
    const name = isObject(layer) && isObject(layer.config) && typeof layer.config.name === 'string' ? ` "${layer.config.name}"` : '';
    const ok =
      Array.isArray(declared) &&
      declared.length === want.length &&
      declared.every((d, i) => (i === 0 ? d === null || d === undefined : d === want[i]));
    if (!ok) {
      const got = Array.isArray(declared) ? shapeText(declared.map((d) => (typeof d === 'number' ? d : null))) : JSON.stringify(declared);
      throw new ModelError(
        `model.json: the model's input shape is ${got} (batch_input_shape of layer${name}); ` +
          `the app computes ${APP_INPUT_SHAPE[0]} Mel bands x ${APP_INPUT_SHAPE[1]} frames, ${shapeText(want)}`,
      );
    }
  }
}

/** The card's signal description, where it has one, must be the app's (else readings would be meaningless). */
function checkSignal(card: ModelCard, config: CnnConfig): void {
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

/** Weight names and shapes a config's CNN has, in TF.js layout (as cnn.ts builds it). */
function expectedWeights(c: CnnConfig): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let cin = 1;
  c.channels.forEach((cout, i) => {
    out.set(`conv${i + 1}/kernel`, [c.kernelSize, c.kernelSize, cin, cout]);
    out.set(`conv${i + 1}/bias`, [cout]);
    cin = cout;
  });
  const [h, w] = headShape(c);
  const k = outputCount(c);
  out.set('fc/kernel', [cin * h * w, k]);
  out.set('fc/bias', [k]);
  return out;
}

/** What a last-layer shape that differs from the config's means, in terms of outputs. */
function outputsText(c: CnnConfig, got: readonly number[]): string {
  const want = outputCount(c);
  const has = got.length > 0 ? got[got.length - 1] : 0;
  const wanted = want === 2 ? '2 outputs: valence, arousal' : '1 output: valence';
  if (has === want) return ` (${wanted})`;
  const supported = has === 1 || has === 2 ? '' : '; a model gives 1 output (valence) or 2 (valence, arousal)';
  return ` (${wanted}), so the last layer ("fc") gives ${has} output(s), its config says ${want}${supported}`;
}

/** The manifest's weight specs and file names, checked against the config. */
function checkManifest(modelJson: Record<string, unknown>, config: CnnConfig): { specs: WeightSpec[]; paths: string[] } {
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ModelError('model.json has no weightsManifest');
  const want = expectedWeights(config);
  const specs: WeightSpec[] = [];
  const paths: string[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights) || !Array.isArray(group.paths)) {
      throw new ModelError('model.json: malformed weightsManifest group');
    }
    for (const p of group.paths) {
      if (typeof p !== 'string' || p === '' || /[\\/]/.test(p) || p.startsWith('.')) {
        throw new ModelError(`model.json: weights path ${JSON.stringify(p)} must be a plain file name in the folder`);
      }
      paths.push(p);
    }
    for (const w of group.weights) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) {
        throw new ModelError('model.json: malformed weight entry in weightsManifest');
      }
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined) {
        throw new ModelError(`model.json: weight "${w.name}" is not plain float32 (dtype ${String(w.dtype)})`);
      }
      if (!w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
        throw new ModelError(`model.json: weight "${w.name}" has an invalid shape ${JSON.stringify(w.shape)}`);
      }
      const shape = w.shape as number[];
      const expected = want.get(w.name);
      if (!expected) throw new ModelError(`model.json: unexpected weight "${w.name}" for this config`);
      if (JSON.stringify(expected) !== JSON.stringify(shape)) {
        const why = w.name.startsWith('fc/') ? outputsText(config, shape) : '';
        throw new ModelError(`model.json: weight "${w.name}" has shape ${JSON.stringify(shape)}, the config needs ${JSON.stringify(expected)}${why}`);
      }
      specs.push({ name: w.name, shape });
    }
  }
  const missing = [...want.keys()].filter((n) => !specs.some((s) => s.name === n));
  if (missing.length > 0) throw new ModelError(`model.json lacks weights ${missing.join(', ')}`);
  if (paths.length === 0) throw new ModelError('model.json lists no weight files');
  return { specs, paths };
}

/** Checks model.json's format, metadata, config, declared input and weight manifest (no weights needed yet). */
export function checkModelJson(modelJson: Record<string, unknown>, cardJson?: unknown): CheckedModel {
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    throw new ModelError(`model.json has format ${JSON.stringify(modelJson.format)}, expected "layers-model"`);
  }
  if (!isObject(modelJson.modelTopology)) throw new ModelError('model.json has no modelTopology');
  const meta = readMetadata(modelJson.userDefinedMetadata);
  checkAppInput(meta.config);
  checkTopologyInput(modelJson.modelTopology, meta.config);
  if (cardJson !== undefined && !isObject(cardJson)) throw new ModelError('card.json is not a JSON object');
  const card = { ...meta.card, ...(cardJson ?? {}) };
  checkSignal(card, meta.config);
  const { paths } = checkManifest(modelJson, meta.config);
  return { config: meta.config, card, weightsCrc32: meta.weightsCrc32, weightPaths: paths };
}

/** The weight specs of a model.json that passed checkModelJson, in manifest order. */
export function weightSpecsOf(modelJson: Record<string, unknown>): WeightSpec[] {
  return (modelJson.weightsManifest as { weights: WeightSpec[] }[]).flatMap((g) => g.weights);
}

/** Checks the weights buffer against a model.json that passed checkModelJson: size, CRC-32, finite values. */
export function checkWeights(modelJson: Record<string, unknown>, weights: ArrayBuffer | Uint8Array, crc: string): void {
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  const specs = weightSpecsOf(modelJson);
  const counts = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const need = counts.reduce((a, b) => a + b, 0) * 4;
  if (bytes.byteLength !== need) {
    throw new ModelError(`the weights are ${bytes.byteLength} bytes, model.json describes ${need} (truncated, or from another model)`);
  }
  const got = crc32Hex(bytes);
  if (got !== crc) {
    throw new ModelError(
      `the weights checksum ${got} does not match model.json's ${crc} (corrupt weights file, or one from another save)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  specs.forEach((s, k) => {
    for (let i = 0; i < counts[k]; i++, pos += 4) {
      const v = view.getFloat32(pos, true);
      if (!Number.isFinite(v)) throw new ModelError(`weight "${s.name}" has a non-finite value (${v}) at index ${i}`);
    }
  });
}
