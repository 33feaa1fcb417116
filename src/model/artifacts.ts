// Converts between a LayersModel and TF.js's own saved form (model.json + one weights
// buffer), with our metadata (CnnConfig, model card, weights checksum) in model.json's
// userDefinedMetadata. Pure (no file system): the browser fetches/stores the two parts,
// scripts/lib/model-files.ts writes them to a folder. Anything corrupt or not matching its
// config is refused with a ModelError naming the problem: model-check.ts's checks (the same
// the page runs on an import), then TF.js's loader and checkArchitecture on the real layers.
// A model has one output (valence) or two (valence, arousal; SPEC section 3), as its config says.
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type CnnConfig } from './config.ts';
import { checkArchitecture } from './cnn.ts';
import { crc32Hex } from './crc32.ts';
import { ModelError } from './errors.ts';
import {
  checkCard,
  checkModelJson,
  checkWeights,
  METADATA_FORMAT,
  readMetadata,
  weightSpecsOf,
  type ModelCard,
  type ValenceMetadata,
} from './model-check.ts';

export { METADATA_FORMAT, readMetadata, type ModelCard, type ValenceMetadata };

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

export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

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

/** Rebuilds a model from model.json (parsed) and its weights; checks metadata, weights and architecture. */
export async function modelFromArtifacts(modelJson: unknown, weights: ArrayBuffer | Uint8Array): Promise<ModelBundle> {
  if (!isObject(modelJson)) throw new ModelError('model.json is not a JSON object');
  const checked = checkModelJson(modelJson);
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  checkWeights(modelJson, bytes, checked.weightsCrc32);
  const specs = weightSpecsOf(modelJson) as tf.io.WeightsManifestEntry[];
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
    checkArchitecture(model, checked.config);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, config: checked.config, card: checked.card };
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
