// A model as the files of a model folder, ready to write or store: model.json + weights.bin
// (TF.js, our metadata and card) and model.safetensors (PyTorch names and layouts, with the
// feature type as metadata), what `npm run train` writes. Pure apart from TF.js: the
// calibration worker stores these parts, the CLI writes them to disk.
import type * as tf from '@tensorflow/tfjs';
import { modelToArtifacts, WEIGHTS_FILE, type ModelCard } from './artifacts.ts';
import type { CnnConfig } from './config.ts';
import { serializeSafetensors } from './safetensors.ts';
import { exportTorchWeights } from './torch-weights.ts';

export const SAFETENSORS_FILE = 'model.safetensors';

export interface ModelFolderParts {
  modelJson: tf.io.ModelJSON;
  /** weights.bin */
  weights: ArrayBuffer;
  /** model.safetensors */
  safetensors: Uint8Array<ArrayBuffer>;
}

/** The folder's parts for `model` (built for `config`) with `card`. */
export async function modelFolderParts(model: tf.LayersModel, config: CnnConfig, card: ModelCard): Promise<ModelFolderParts> {
  const { modelJson, weights } = await modelToArtifacts(model, config, card, WEIGHTS_FILE);
  const bytes = serializeSafetensors(exportTorchWeights(model, config), { features: config.features });
  const safetensors = new Uint8Array(bytes.byteLength);
  safetensors.set(bytes);
  return { modelJson, weights, safetensors };
}
