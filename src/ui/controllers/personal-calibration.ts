// The calibration view's fine-tuning (issue 16 section 2): takes the stored clips and the
// base model (the active one, or the base of an active personal model), runs the
// calibration worker with progress and cancel, stores the personal model it makes and,
// when its honest score beats the base model's, makes it the active one and tells the host,
// which has the app load it. The recipe is
// the project's (DEFAULT_PERSONALIZE, what evaluate --personalize measures); a developer
// can try another with ?personal-recipe=key=value,... (recipe-text.ts).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { personalSummary } from '../../calibration/personal-card.ts';
import { openValenceDb } from '../../storage/db.ts';
import { ModelStore, toModelFiles, type ModelRecord, type ModelSummary } from '../../storage/model-store.ts';
import type { ClipRecord } from '../../storage/clip-store.ts';
import type { CalibrationReport } from '../../training/personalize/calibration-report.ts';
import { calibrationProblem, DEFAULT_FOLDS } from '../../training/personalize/folds.ts';
import { parseRecipe } from '../../training/personalize/recipe-text.ts';
import { CalibrationCancelled, CalibrationRun, type CalibrationStatus } from '../../worker/calibration-client.ts';

export type CalibrationPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface CalibrationOutcome {
  model: ModelSummary;
  baseName: string;
  /** The personal model became the model in use (its score beat the base's). */
  adopted: boolean;
  report: CalibrationReport;
  seconds: number;
  backend: string;
}

export class PersonalCalibrationController implements ReactiveController {
  phase: CalibrationPhase = 'idle';
  progress: CalibrationStatus | null = null;
  /** Why the last calibration failed, or that it was cancelled ('' for none). */
  message = '';
  outcome: CalibrationOutcome | null = null;
  private run: CalibrationRun | null = null;
  private store: Promise<ModelStore> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called with the stored personal model's id, and whether it is now the active one. */
    private readonly onStored: (id: string, adopted: boolean) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Why `clips` cannot calibrate yet (null: they can). */
  problem(clips: readonly ClipRecord[]): string | null {
    return calibrationProblem(clips.map((c) => c.valence), DEFAULT_FOLDS);
  }

  /** Fine-tunes the base model on `clips`; the outcome (or the reason it failed) ends up in the state. */
  async start(clips: readonly ClipRecord[]): Promise<void> {
    if (this.phase === 'running') return;
    this.phase = 'running';
    this.progress = null;
    this.message = '';
    this.outcome = null;
    this.host.requestUpdate();
    try {
      const problem = this.problem(clips);
      if (problem) throw new Error(problem);
      const recipe = parseRecipe(new URLSearchParams(location.search).get('personal-recipe'), '?personal-recipe');
      this.store ??= openValenceDb().then((db) => new ModelStore(db));
      const store = await this.store;
      const base = await baseModel(store);
      this.run = new CalibrationRun(
        {
          // The run sends each worker copies: the model's and the clips' buffers stay with the view.
          base: toModelFiles(base),
          clips: clips.map((c) => ({ samples: c.samples, sampleRate: c.sampleRate, valence: c.valence, arousal: c.arousal })),
          recipe,
          folds: DEFAULT_FOLDS,
          origin: { baseId: base.id, baseName: base.name, createdAt: new Date().toISOString() },
        },
        (p) => {
          this.progress = p;
          this.host.requestUpdate();
        },
      );
      const done = await this.run.done;
      // The honest score decides: a personal model that reads the user's clips no better
      // than its base is kept, but the base stays in use.
      const adopted = improves(done.report);
      const model = await store.addPersonal({ modelJson: done.modelJson, weights: done.weights, safetensors: done.safetensors }, adopted);
      this.outcome = { model, baseName: base.name, adopted, report: done.report, seconds: done.seconds, backend: done.backend };
      this.phase = 'done';
      this.onStored(model.id, adopted);
    } catch (e) {
      const cancelled = e instanceof CalibrationCancelled;
      this.phase = cancelled ? 'cancelled' : 'failed';
      this.message = cancelled ? 'Calibration cancelled: nothing was changed.' : `Calibration failed: ${(e as Error).message}`;
    } finally {
      this.run = null;
      this.host.requestUpdate();
    }
  }

  cancel(): void {
    this.run?.cancel();
  }
}

/** Whether the personal model's honest valence CCC on the clips beats the base model's (undefined scores never do). */
export function improves(report: CalibrationReport): boolean {
  const before = report.before.valence?.ccc;
  const after = report.after.valence?.ccc;
  return after !== undefined && Number.isFinite(after) && (before === undefined || !Number.isFinite(before) || after > before);
}

/** The model to fine-tune: the active one, or the base of an active personal model (a personal model is not stacked). */
async function baseModel(store: ModelStore): Promise<ModelRecord> {
  const active = await store.active();
  if (!active) throw new Error('no model is stored yet: wait until the model has loaded');
  if (active.source !== 'personal') return active;
  const baseId = personalSummary(active.card)?.baseId ?? '';
  const base = baseId ? await store.get(baseId) : undefined;
  if (!base) throw new Error(`the model "${active.name}" is personal and its base model is no longer stored: choose another model under Models first`);
  return base;
}
