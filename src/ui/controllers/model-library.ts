// The app's models (ModelStore, IndexedDB): stores or refreshes the bundled model at start,
// hands the ACTIVE stored model's files to the worker (so later starts, offline ones
// included, take the model from the browser), and imports, switches and deletes models.
// It also holds the worker's model status (loading / measuring / ready / failed). A change
// made while the worker is busy (a session or a file analysis) waits until it is free. An
// import becomes active only after the worker's trial run of it; a stored model that fails
// to load (one kept from before those checks) gives way to the bundled model, with a
// message, so the app is never left without a working model; it stays stored. A personal
// model exports as a model folder.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { personalModelFiles } from '../../calibration/personal-export.ts';
import { saveExportFiles } from '../clip-files.ts';
import { ModelStore, toModelFiles, type ModelFileLike, type ModelRecord, type ModelSummary, type ModelTrial } from '../../storage/model-store.ts';
import type { AnalysisClient } from '../../worker/client.ts';
import { BACKEND_NAMES, type BackendPreference } from '../../model/backend-name.ts';
import type { ModelFilesPayload, ModelStatusMessage } from '../../worker/protocol.ts';
import type { BackendChoiceController } from './backend-choice.ts';

/** What the worker is doing, as far as a model change cares. */
export type WorkerUse = 'free' | 'session' | 'file';

export interface ModelLibraryDeps {
  /** The analysis worker (null while the host is disconnected). */
  client(): AnalysisClient | null;
  workerUse(): WorkerUse;
  /** The kept backend choice and its background timing (absent: every load times the backends). */
  backends?: BackendChoiceController;
}

const BACKENDS: readonly BackendPreference[] = ['auto', ...BACKEND_NAMES];

function modelsUrl(): string {
  return new URL('models/', document.baseURI).href;
}

export class ModelLibraryController implements ReactiveController {
  /** The worker's model status. */
  status: ModelStatusMessage = { type: 'model', state: 'loading' };
  models: readonly ModelSummary[] = [];
  activeModelId = '';
  activeModelName = '';
  /**
   * Why the last import / switch / deletion failed, why nothing can be stored, or which
   * model failed to load and was replaced by the bundled one ('' for none).
   */
  error = '';
  busy = false;
  /** Says a chosen model waits for the worker to be free ('' for none). */
  notice = '';
  private store: ModelStore | null = null;
  /** The stored model last sent to the worker (its failure falls back to the bundled one). */
  private sent: Pick<ModelRecord, 'id' | 'name' | 'source'> | null = null;
  private reloadPending = false;
  private backendPreference: BackendPreference = 'auto';
  /** Files for the background timing, started once the analysis worker is ready. */
  private toTime: ModelFilesPayload | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: ModelLibraryDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // ?backend=webgl|webgpu|wasm|cpu forces a backend (benchmarks, troubleshooting); default: measure.
    const asked = new URLSearchParams(location.search).get('backend') as BackendPreference | null;
    this.backendPreference = asked && BACKENDS.includes(asked) ? asked : 'auto';
  }

  setStatus(status: ModelStatusMessage): void {
    this.status = status;
    this.host.requestUpdate();
    if (status.state === 'ready' && this.toTime) {
      this.deps.backends?.time(this.toTime, status.backend, this.deps.workerUse() === 'free');
      this.toTime = null;
    }
    const sent = this.sent;
    if (status.state === 'failed' && sent && sent.source !== 'bundled') {
      this.sent = null;
      void this.fallBack(sent, status.message ?? 'no reason given');
    }
  }

  /** No usable IndexedDB: the worker loads the bundled model from the models URL (and reports why not). */
  storageUnavailable(error: Error): void {
    this.error = `Models and sessions cannot be stored in this browser: ${error.message}`;
    this.host.requestUpdate();
    this.deps.client()?.init({ modelsUrl: modelsUrl() }, this.backendPreference);
  }

  /**
   * Stores (or refreshes) the bundled model and hands the active stored model to the
   * worker. With nothing stored and the bundled model unreachable, says which file and why.
   */
  async open(store: ModelStore): Promise<void> {
    this.store = store;
    let bundledError: Error | null = null;
    try {
      await store.ensureBundled((url) => fetch(url), modelsUrl());
    } catch (e) {
      bundledError = e as Error;
    }
    const stored = await store.activeId().catch(() => undefined);
    if (stored === undefined && bundledError) {
      this.setStatus({ type: 'model', state: 'failed', message: `The model could not be loaded: ${bundledError.message}` });
    } else {
      await this.loadActive();
    }
    await this.refresh();
  }

  importFiles(files: readonly ModelFileLike[]): void {
    const client = this.deps.client();
    // Without a worker there is nothing to try it on; its load then decides (and falls back).
    const trial: ModelTrial | undefined = client ? (m) => client.trialModel(m) : undefined;
    void this.act((store) => store.importModelFiles(files, trial));
  }

  use(id: string): void {
    void this.act((store) => store.setActive(id));
  }

  remove(id: string): void {
    void this.act((store) => store.remove(id));
  }

  /** Writes a personal model's folder (model.json, weights.bin, model.safetensors, card.json) where the user picks, or downloads it. */
  async exportModel(id: string): Promise<void> {
    this.error = '';
    try {
      const record = await this.store?.get(id);
      if (!record) throw new Error(`no stored model "${id}"`);
      const outcome = await saveExportFiles(personalModelFiles(record));
      this.notice =
        outcome.to === 'folder' ? `"${record.name}" written to the folder "${outcome.folder}".` : outcome.to === 'downloads' ? `"${record.name}" downloaded as four files: keep them in one folder.` : '';
    } catch (e) {
      this.error = `The model could not be exported: ${(e as Error).message}`;
    }
    this.host.requestUpdate();
  }

  /** A background timing picked another backend: loaded now, or once the worker is free. */
  backendTimed(switching: boolean): void {
    if (!switching) return;
    this.reloadPending = true;
    this.applyPending();
  }

  /** Times the backends again on the active model (the user asked), in the background. */
  async retimeBackends(): Promise<void> {
    const record = await this.store?.active().catch(() => undefined);
    if (record && this.deps.backends) this.deps.backends.time(copyOfFiles(record), this.status.backend, this.deps.workerUse() === 'free');
  }

  /** Loads a model change that waited, once the worker is free (after a session or a file). */
  applyPending(): void {
    if (this.deps.workerUse() !== 'free') return;
    this.deps.backends?.resume();
    if (!this.reloadPending) return;
    this.reloadPending = false;
    this.notice = '';
    this.host.requestUpdate();
    void this.loadActive();
  }

  /** Reads the stored models again (one was stored elsewhere, e.g. by calibration). */
  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.models = await store.list();
    const active = await store.activeId();
    if (active !== undefined) this.activeModelId = active;
    this.host.requestUpdate();
  }

  /** Sends the active stored model to the worker (the URL fallback when none is stored). */
  private async loadActive(): Promise<void> {
    await this.load(await this.store?.active().catch(() => undefined));
  }

  /** Sends a stored model to the worker; none: the bundled model from the models URL. */
  private async load(record: ModelRecord | undefined): Promise<void> {
    const client = this.deps.client();
    if (!client) return;
    const backend = this.startBackend(record);
    if (!record) {
      this.sent = null;
      client.init({ modelsUrl: modelsUrl() }, backend);
      return;
    }
    this.activeModelId = record.id;
    this.activeModelName = record.name;
    this.setStatus({ type: 'model', state: 'loading', name: record.name });
    this.sent = { id: record.id, name: record.name, source: record.source };
    client.init({ model: toModelFiles(record) }, backend);
  }

  /**
   * A forced backend (?backend=) as asked; else the choice kept for this browser and GPU,
   * or wasm while the backends are timed in the background on `record`'s model. Without
   * the kept choice (no storage), the first load times them and a model switch keeps that.
   */
  private startBackend(record: ModelRecord | undefined): BackendPreference {
    if (this.backendPreference !== 'auto') return this.backendPreference;
    const backends = this.deps.backends;
    if (!backends || !record) return this.status.state === 'ready' && this.status.backend ? this.status.backend : 'auto';
    const start = backends.startBackend();
    if (start.needsTiming && !backends.timing) this.toTime = copyOfFiles(record);
    return start.backend;
  }

  /**
   * `failed` (a stored, not bundled, model) did not load: the bundled model becomes the
   * active one, and the message says which model failed and why. Nothing is deleted. With
   * no bundled model stored, the failed status stays, with its reason.
   */
  private async fallBack(failed: Pick<ModelRecord, 'id' | 'name'>, why: string): Promise<void> {
    const store = this.store;
    if (!store) return;
    const bundledId = (await store.list().catch(() => [])).find((m) => m.source === 'bundled')?.id;
    const bundled = bundledId === undefined ? undefined : await store.get(bundledId).catch(() => undefined);
    if (!bundled) return;
    // Saved so the next start does not try the failed model again; if saving fails, the
    // bundled model is still used now (load() takes the record, not the saved choice).
    await store.setActive(bundled.id).catch(() => undefined);
    this.error =
      `The model "${failed.name}" could not be loaded, so the bundled model "${bundled.name}" is used instead. ` +
      `${why.replace(/\.?$/, '.')} "${failed.name}" is still stored; delete it or import a corrected copy.`;
    await this.load(bundled);
    await this.refresh();
  }

  /** After a change of the active model: reload now, or once the worker is free. */
  private async changed(): Promise<void> {
    await this.refresh();
    const use = this.deps.workerUse();
    if (use === 'free') {
      this.notice = '';
      await this.loadActive();
    } else {
      this.reloadPending = true;
      this.notice =
        use === 'file'
          ? 'The chosen model is loaded when the file analysis has finished.'
          : 'The chosen model is used from the next session: the one running keeps its model until you stop.';
    }
    this.host.requestUpdate();
  }

  private async act(op: (store: ModelStore) => Promise<unknown>): Promise<void> {
    const store = this.store;
    if (!store || this.busy) return;
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      await op(store);
      await this.changed();
    } catch (e) {
      this.error = (e as Error).message;
      await this.refresh();
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}

/** A record's files with their own copy of the weights (the worker takes the buffer). */
function copyOfFiles(record: ModelRecord): ModelFilesPayload {
  return { ...toModelFiles(record), weights: record.weights.slice(0) };
}
