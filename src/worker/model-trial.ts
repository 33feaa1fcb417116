// The trial a model passes in the worker before the page makes it the active one: built
// from its files on the worker's TF.js backend (model-check.ts's checks, TF.js's loader,
// checkArchitecture on the real layers), then one forward pass on a window of the app's
// input size, which must give finite values, as many as its config says (valence, or
// valence and arousal). What the file checks cannot see (a topology TF.js builds
// differently, a backend that cannot run it, weights that overflow) shows here.
import { outputCount } from '../model/config.ts';
import { ModelError } from '../model/errors.ts';
import { bundleFromFiles, type ModelFiles } from '../model/load-model-url.ts';
import type { WindowPrediction } from './analysis-loop.ts';
import { windowPredictorAsync } from './window-predictor.ts';

/** The trial window's value: -40 (dB) is ordinary speech level; any value costs the same. */
const TRIAL_VALUE = -40;

/** Builds the model from `files`, runs one window through it and disposes it; throws a ModelError naming the problem. */
export async function trialForwardPass(files: ModelFiles): Promise<WindowPrediction> {
  const bundle = await bundleFromFiles(files);
  try {
    const [mels, frames] = bundle.config.inputShape;
    let out: WindowPrediction;
    try {
      out = await windowPredictorAsync(bundle.model, bundle.config)(new Float32Array(mels * frames).fill(TRIAL_VALUE));
    } catch (e) {
      throw new ModelError(`model "${files.name}": the trial forward pass failed: ${(e as Error).message}`);
    }
    const outputs: [string, number | null][] = [['valence', out.valence]];
    if (outputCount(bundle.config) === 2) outputs.push(['arousal', out.arousal]);
    for (const [what, value] of outputs) {
      if (value === null || !Number.isFinite(value)) {
        throw new ModelError(`model "${files.name}": the trial forward pass gave ${what} ${value}, not a finite number`);
      }
    }
    return out;
  } finally {
    bundle.model.dispose();
  }
}
