// Messages between the page and the calibration worker (calibration.worker.ts), which
// fine-tunes a personal model from the user's clips (issue 16 section 2). Types only, so
// the page's bundle does not pull in TF.js.
import type { PersonalOrigin } from '../calibration/personal-card.ts';
import type { CalibrationProgress, CalibrationReport } from '../training/personalize/calibrate.ts';
import type { PersonalizeRecipe } from '../training/personalize/recipe.ts';
import type { ModelFilesPayload } from './protocol.ts';

/** One labelled clip as stored: mono samples at their own rate (resampled in the worker). */
export interface CalibrationClip {
  samples: Float32Array<ArrayBuffer>;
  sampleRate: number;
  valence: number | null;
  arousal: number | null;
}


export interface CalibrateCommand {
  type: 'calibrate';
  id: number;
  /** The base model's files (weights transferred). */
  base: ModelFilesPayload;
  clips: CalibrationClip[];
  recipe: PersonalizeRecipe;
  folds: number;
  /** What the personal model's card says of where it came from (the worker adds the score). */
  origin: PersonalOrigin;
}

export interface CancelCalibrationCommand {
  type: 'cancel';
  id: number;
}

export type CalibrationCommand = CalibrateCommand | CancelCalibrationCommand;

export interface CalibrationProgressMessage {
  type: 'progress';
  id: number;
  progress: CalibrationProgress;
}

/** The personal model as a model folder's parts, and its honest score. */
export interface CalibrationDoneMessage {
  type: 'done';
  id: number;
  modelJson: Record<string, unknown>;
  /** weights.bin (transferred). */
  weights: ArrayBuffer;
  /** model.safetensors: PyTorch names and layouts (transferred). */
  safetensors: ArrayBuffer;
  report: CalibrationReport;
  /** Seconds the whole calibration took in the worker. */
  seconds: number;
  /** The TF.js backend it ran on, with its threads ("wasm, 2 threads"). */
  backend: string;
}

export interface CalibrationFailedMessage {
  type: 'failed';
  id: number;
  /** True when the user cancelled. */
  cancelled: boolean;
  message: string;
}

export type CalibrationMessage = CalibrationProgressMessage | CalibrationDoneMessage | CalibrationFailedMessage;
