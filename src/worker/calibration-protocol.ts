// Messages between the page and the calibration workers (calibration.worker.ts), which
// fine-tune a personal model from the user's clips (issue 16 section 2): each worker runs
// its share of the calibration's runs and sends back what they read; the page puts the
// report together and sends it to the worker that trained the personal model, which
// answers with the model folder. Types only, so the page's bundle does not pull in TF.js.
import type { PersonalOrigin } from '../calibration/personal-card.ts';
import type { CalibrationProgress } from '../training/personalize/calibrate.ts';
import type { CalibrationReadings, CalibrationReport } from '../training/personalize/calibration-report.ts';
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
  /** This worker's share of the runs (1..folds: fold models, folds + 1: the personal model). */
  runs: number[];
  /** Whether this worker also reads every clip with the base model. */
  before: boolean;
  /** What the personal model's card says of where it came from (the worker adds the score). */
  origin: PersonalOrigin;
}

/** To the worker that trained the personal model: the whole report, for its card. */
export interface FinishCalibrationCommand {
  type: 'finish';
  id: number;
  report: CalibrationReport;
}

export interface CancelCalibrationCommand {
  type: 'cancel';
  id: number;
}

export type CalibrationCommand = CalibrateCommand | FinishCalibrationCommand | CancelCalibrationCommand;

export interface CalibrationProgressMessage {
  type: 'progress';
  id: number;
  progress: CalibrationProgress;
}

/** A worker's share is done: what its runs read (its progress has reached its total). */
export interface CalibrationReadingsMessage {
  type: 'readings';
  id: number;
  readings: CalibrationReadings;
  /** The TF.js backend it ran on, with its threads ("wasm, 2 threads"). */
  backend: string;
}

/** The personal model as a model folder's parts (after 'finish'). */
export interface CalibrationDoneMessage {
  type: 'done';
  id: number;
  modelJson: Record<string, unknown>;
  /** weights.bin (transferred). */
  weights: ArrayBuffer;
  /** model.safetensors: PyTorch names and layouts (transferred). */
  safetensors: ArrayBuffer;
}

export interface CalibrationFailedMessage {
  type: 'failed';
  id: number;
  /** True when the user cancelled. */
  cancelled: boolean;
  message: string;
}

export type CalibrationMessage = CalibrationProgressMessage | CalibrationReadingsMessage | CalibrationDoneMessage | CalibrationFailedMessage;
