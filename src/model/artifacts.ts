// Converts between a LayersModel and TF.js's own saved form (model.json + one weights
// buffer), with our metadata (CnnConfig, model card, weights checksum) in model.json's
// userDefinedMetadata. Pure (no file system): the browser fetches/stores the two parts,
// scripts/lib/model-files.ts writes them to a folder. Anything corrupt or not matching its
// config is refused with a ModelError naming the problem. A model has one output (valence)
// or two (valence, arousal; SPEC section 3), as its config says.
import * as tf from '@tensorflow/tfjs';
import { outputCount, validateConfig, type CnnConfig } from './config.ts';
import { checkArchitecture, FC_NAME } from './cnn.ts';
import { crc32Hex } from './crc32.ts';
import { ModelError } from './errors.ts';

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

export interface ModelBundle {
  model: tf.LayersModel;
  config: CnnConfig;
  card: ModelCard;
}

/** model.json (as a JSON object) and the weights buffer it describes. */
export interface ModelArtifactsPair {
  modelJson: tf.io.ModelJSON;
  weights: ArrayBuffer;
}

export const METADATA_FORMAT = 'valence-monitor-cnn/1';
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A card must survive JSON: a plain object of JSON values. */
function checkCard(card: unknown): ModelCard {
  if (!isObject(card)) throw new ModelError('model card must be a JSON object');
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(card));
  } catch (e) {
    throw new ModelError(`model card is not JSON-serializable: ${(e as Error).message}`);
  }
  return copy as ModelCard;
}

/** Serializes a model built for `config`; `weightsPath` is the name model.json gives the weights. */
export async function modelToArtifacts(
  model: tf.LayersModel,
  config: CnnConfig,
  card: ModelCard = {},
  weightsPath: string = WEIGHTS_FILE,
): Promise<ModelArtifactsPair> {
  const cfg = validateConfig(config);
  checkArchitecture(model, cfg);
  const cardCopy = checkCard(card);
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved as tf.io.ModelArtifacts | null;
  if (!a || !a.modelTopology || !a.weightSpecs || a.weightData === undefined) {
    throw new ModelError('TF.js returned no topology or weights when saving the model');
  }
  // Copy: the joined buffer may alias TF.js's own.
  const weights = tf.io.CompositeArrayBuffer.join(a.weightData).slice(0);
  const metadata: ValenceMetadata = {
    format: METADATA_FORMAT,
    config: cfg,
    card: cardCopy,
    weightsCrc32: crc32Hex(new Uint8Array(weights)),
  };
  const modelJson: tf.io.ModelJSON = {
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs }],
    userDefinedMetadata: metadata as unknown as { [key: string]: {} },
  };
  if (a.trainingConfig) modelJson.trainingConfig = a.trainingConfig;
  return { modelJson, weights };
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

/** The weight specs of model.json, checked to be plain float32 (what we write). */
function weightSpecsOf(json: Record<string, unknown>): tf.io.WeightsManifestEntry[] {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ModelError('model.json has no weightsManifest');
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights)) throw new ModelError('model.json: malformed weightsManifest group');
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
      specs.push(w as unknown as tf.io.WeightsManifestEntry);
    }
  }
  return specs;
}

/**
 * The last layer's width (its bias length) against the config's output count, before any
 * weights are read: a wrong count is named as such rather than as a layer-shape mismatch.
 */
function checkOutputs(specs: tf.io.WeightsManifestEntry[], config: CnnConfig): void {
  const bias = specs.find((s) => s.name === `${FC_NAME}/bias`);
  if (!bias || bias.shape.length !== 1) return; // checkArchitecture names a missing or odd layer
  const got = bias.shape[0];
  const want = outputCount(config);
  if (got === want) return;
  const supported = got === 1 || got === 2 ? '' : '; a model gives 1 output (valence) or 2 (valence, arousal)';
  throw new ModelError(`model.json: the last layer ("${FC_NAME}") gives ${got} output(s), its config says ${want}${supported}`);
}

/** Size, checksum and finiteness of the weights buffer against model.json. */
function checkWeights(specs: tf.io.WeightsManifestEntry[], bytes: Uint8Array, crc: string): void {
  const counts = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const need = counts.reduce((a, b) => a + b, 0) * 4;
  if (bytes.byteLength !== need) {
    throw new ModelError(
      `weights are ${bytes.byteLength} bytes, model.json describes ${need} (truncated, or from another model)`,
    );
  }
  const got = crc32Hex(bytes);
  if (got !== crc) {
    throw new ModelError(
      `weights checksum ${got} does not match model.json's ${crc} (corrupt weights file, or one from another save)`,
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

/** Rebuilds a model from model.json (parsed) and its weights; checks metadata, weights and architecture. */
export async function modelFromArtifacts(modelJson: unknown, weights: ArrayBuffer | Uint8Array): Promise<ModelBundle> {
  if (!isObject(modelJson)) throw new ModelError('model.json is not a JSON object');
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    throw new ModelError(`model.json has format ${JSON.stringify(modelJson.format)}, expected "layers-model"`);
  }
  if (!isObject(modelJson.modelTopology)) throw new ModelError('model.json has no modelTopology');
  const meta = readMetadata(modelJson.userDefinedMetadata);
  const specs = weightSpecsOf(modelJson);
  checkOutputs(specs, meta.config);
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  checkWeights(specs, bytes, meta.weightsCrc32);
  const weightData = bytes.slice().buffer;

  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: specs,
        weightData,
        format: 'layers-model',
        userDefinedMetadata: modelJson.userDefinedMetadata as { [key: string]: {} },
      }),
    );
  } catch (e) {
    throw new ModelError(`model.json cannot be loaded by TF.js: ${(e as Error).message}`);
  }
  try {
    checkArchitecture(model, meta.config);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, config: meta.config, card: meta.card };
}

/**
 * Config and card of a model loaded some other way (e.g. tf.loadLayersModel(url)), after
 * checking its architecture. Prefer modelFromArtifacts, which also verifies the checksum.
 */
export function bundleOfLoadedModel(model: tf.LayersModel): ModelBundle {
  const meta = readMetadata(model.getUserDefinedMetadata());
  checkArchitecture(model, meta.config);
  return { model, config: meta.config, card: meta.card };
}
