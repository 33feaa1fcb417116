// Writes a training run's best epoch as a model folder: the TF.js files and card
// (scripts/lib/model-files.ts), the README and the PyTorch safetensors. It loads TF.js, so
// scripts/train.ts imports it only once the options and the data have been checked.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildCnn } from '../../src/model/cnn.ts';
import { exportTorchWeights } from '../../src/model/torch-weights.ts';
import { serializeSafetensors } from '../../src/model/safetensors.ts';
import type { Recipe } from '../../src/training/recipe.ts';
import type { BestEpoch } from '../../src/training/run-state.ts';
import { saveModelDir } from '../lib/model-files.ts';
import { renderCard, type TrainedCard } from './model-card.ts';

/** Saves `best` (trained with `recipe`) into the folder `out`, named for it, with its card. */
export async function saveModel(out: string, recipe: Recipe, best: BestEpoch, card: Omit<TrainedCard, 'weightsSha256' | 'name'>): Promise<void> {
  const model = buildCnn(recipe.config);
  const tensors = model.getWeights().map((t, i) => tf.tensor(best.weights[i], t.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  const hash = createHash('sha256');
  for (const w of best.weights) hash.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  const full: TrainedCard = { ...card, name: basename(resolve(out)), weightsSha256: hash.digest('hex') };
  await saveModelDir(out, model, recipe.config, { ...full, normalisation: recipe.normalisation });
  writeFileSync(join(out, 'model.safetensors'), serializeSafetensors(exportTorchWeights(model, recipe.config), { features: recipe.config.features }));
  writeFileSync(join(out, 'README.md'), renderCard(full));
  model.dispose();
}
