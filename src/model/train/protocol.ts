// Messages between the data-parallel trainer (parallel.ts, main thread) and its gradient
// workers (grad-worker.ts): what a worker gets at start, the requests it serves and its
// replies. Types only. Float32Arrays on SharedArrayBuffers (parameters, Adam's moments,
// gradients, packed signals, evaluation features) cross as views of the same memory.
import type { CnnConfig } from '../config.ts';
import type { PackedSignals, WindowPlan } from '../../training/train-windows.ts';
import type { AdamOptions } from './adam.ts';
import type { GradOptions } from './train-step.ts';

/** Training clips' signals and the recipe's window plan, for workers that build their own rows. */
export interface WorkerWindows {
  signals: PackedSignals;
  plan: WindowPlan;
}

/** What a worker gets at start (workerData). */
export interface WorkerInit {
  config: CnnConfig;
  grad: GradOptions;
  /** Shared with the main thread and the other workers. */
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** Every worker's gradient buffer (flat, parameter order); this worker writes grads[index]. */
  grads: Float32Array[];
  index: number;
  windows?: WorkerWindows;
}

/** Rows a worker builds itself: row j is signal signals[j] with window seed seeds[j] (train-windows.ts). */
/** A mixup partner of a row (train-windows.ts): its signal in the shared pack, its window seed, and the row's own weight λ. */
export interface PartnerRow {
  signal: number;
  seed: number;
  lambda: number;
}

export interface WindowRows {
  signals: number[];
  seeds: number[];
  /** Mixup: row j's partner, or null for none. */
  mixes?: (PartnerRow | null)[];
}

export type WorkerRequest =
  /**
   * x: the shard's inputs, or the rows to build from the shared signals; y: its targets,
   * row-major [rows, outputs], NaN = unknown; labelTotal: the whole batch's known labels.
   */
  | { type: 'grads'; id: number; x: Float32Array | WindowRows; xShape: [number, number, number, number]; y: Float32Array; labelTotal: number }
  | { type: 'adam'; id: number; step: number; from: number; to: number; options: AdamOptions; workers: number }
  /** The model's outputs for `rows` inputs (x row-major [rows, H, W]) with the shared parameters. */
  | { type: 'forward'; id: number; x: Float32Array; rows: number }
  /** Ends the thread at once with this exit code (tests use it to simulate a crash). */
  | { type: 'exit'; code: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number }
  | { type: 'adam'; id: number }
  /** y: [rows, outputs] row-major. */
  | { type: 'forward'; id: number; y: Float32Array }
  | { type: 'error'; id: number; message: string; stack: string };
