// The personal model a calibration made, as a model folder's parts: the base model's layers
// with the calibrated weights, and the personal card (src/calibration/personal-card.ts)
// with the honest score. Shared by the app's calibration worker and `npm run calibrate`,
// so both write the same folder.
import * as tf from '@tensorflow/tfjs';
import { personalCard, type PersonalOrigin } from '../../calibration/personal-card.ts';
import type { ModelBundle, ModelCard } from '../../model/artifacts.ts';
import { modelFolderParts, type ModelFolderParts } from '../../model/model-folder.ts';
import type { CalibrationResult } from './calibrate.ts';
import type { PersonalizeRecipe } from './recipe.ts';

/** Puts `result`'s weights into `base.model` (it becomes the personal model) and returns its folder parts and card. */
export async function personalModelParts(
  base: ModelBundle,
  result: CalibrationResult,
  origin: PersonalOrigin,
  recipe: PersonalizeRecipe,
): Promise<{ parts: ModelFolderParts; card: ModelCard }> {
  const tensors = base.model.getWeights().map((w, i) => tf.tensor(result.weights[i], w.shape));
  base.model.setWeights(tensors);
  tf.dispose(tensors);
  const { report } = result;
  const card = personalCard(base.card, { ...origin, clips: report.clips, folds: report.folds, before: report.before, after: report.after, recipe });
  return { parts: await modelFolderParts(base.model, base.config, card), card };
}
