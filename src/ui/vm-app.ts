// Root component: the live monitor screen. It composes one reactive controller per concern
// (src/ui/controllers) and renders what they hold:
// - live-session: the microphone, the analysis worker, the readings (`vm-reading` events);
// - model-library: the stored models (IndexedDB) and the worker's model status;
// - session-recorder: every listening session saved as it runs, and the history;
// - file-analysis: a picked file through the worker's same pipeline (`vm-file-readings`);
// - app-update: a waiting app update, offered, never applied mid-session;
// - microphones: the devices to choose from;
// - baseline: the neutral clips' mean, subtracted on the gauge when the user asks (display only).
// The gauge reflects data-valence / data-state (vm-valence-gauge), the arousal meter (shown
// only for a two-output model) data-arousal / data-state, the host data-capture-mode.
import { LitElement, css, html, nothing } from 'lit';
import { openValenceDb, type ValenceDatabase } from '../storage/db.ts';
import { ModelStore } from '../storage/model-store.ts';
import { SessionStore } from '../storage/session-store.ts';
import { SettingsStore } from '../storage/settings-store.ts';
import { downloadSessionAudio } from './audio-download.ts';
import { AppUpdateController } from './controllers/app-update.ts';
import { FileAnalysisController } from './controllers/file-analysis.ts';
import { KeyShortcutController } from './controllers/key-shortcut.ts';
import { LiveSessionController, type LiveSettings } from './controllers/live-session.ts';
import { MicrophonesController } from './controllers/microphones.ts';
import { ModelLibraryController, type WorkerUse } from './controllers/model-library.ts';
import { BaselineController } from './controllers/baseline.ts';
import { BackendChoiceController } from './controllers/backend-choice.ts';
import { BackendChoiceStore } from '../storage/backend-choice-store.ts';
import { outputCount } from '../model/config.ts';
import { SessionRecorderController } from './controllers/session-recorder.ts';
import { costText, gaugeArousal, gaugeMessage, gaugeState, gaugeValence, infoText, showsArousal } from './reading-text.ts';
import type { FileChosenDetail } from './file-analysis.ts';
import type { ModelIdDetail, ModelImportDetail } from './model-manager.ts';
import type { PersonalModelDetail } from './personal-calibration.ts';
import type { SessionIdDetail } from './session-history.ts';
import { readingExplanation } from './model-card-text.ts';
import './about-panel.ts';
import './arousal-meter.ts';
import './baseline-note.ts';
import './calibration.ts';
import './engine-status.ts';
import './file-analysis.ts';
import './level-meter.ts';
import './live-settings.ts';
import './model-manager.ts';
import './session-history.ts';
import './update-banner.ts';
import './valence-gauge.ts';
import './valence-timeline.ts';

export type { ReadingEventDetail } from './controllers/live-session.ts';
export type { FileReadingsEventDetail } from './controllers/file-analysis.ts';

export class VmApp extends LitElement {
  private readonly appUpdate = new AppUpdateController(this);
  private readonly live: LiveSessionController = new LiveSessionController(this, {
    onModelStatus: (status) => this.models.setStatus(status),
    onReading: (reading) => this.recorder.save(reading),
    onStarted: () => {
      const status = this.models.status;
      this.recorder.begin({
        modelId: this.models.activeModelId,
        modelName: this.models.activeModelName || status.name || '',
        backend: status.backend ?? '',
        hopSeconds: this.live.settings.hopSeconds,
        smoothingSeconds: this.live.settings.smoothingSeconds,
        microphone: this.live.capture?.deviceLabel ?? '',
        voiceProcessing: this.live.settings.voiceProcessing,
      });
      void this.mics.refresh(); // labels appear once access is granted
      this.backends.pause(); // a background timing would cost readings
    },
    onEnded: () => {
      this.recorder.end();
      // What waited for the end of the session: an accepted update, then a model change.
      if (!this.appUpdate.applyIfWaiting()) this.models.applyPending();
    },
  });
  private readonly backends: BackendChoiceController = new BackendChoiceController(this, (_, switching) => this.models.backendTimed(switching));
  private readonly workerUse = (): WorkerUse => (this.files.busy ? 'file' : this.live.phase !== 'idle' ? 'session' : 'free');
  private readonly models: ModelLibraryController = new ModelLibraryController(this, { client: () => this.live.client, workerUse: this.workerUse, backends: this.backends });
  // Re-centres only what the gauge and meter show: sessions and the timeline keep raw readings.
  private readonly baseline = new BaselineController(this, { client: () => this.live.client, workerUse: this.workerUse,
    model: () => ({ id: this.models.activeModelId, status: this.models.status }), on: () => this.live.settings.relativeToNeutral });
  private readonly recorder = new SessionRecorderController(this);
  private readonly files: FileAnalysisController = new FileAnalysisController(this, {
    client: () => this.live.client,
    hopSeconds: () => this.live.settings.hopSeconds,
    onFinished: () => this.models.applyPending(),
  });
  private readonly mics = new MicrophonesController(this);
  /** Where the live settings are remembered (null until the database opens, or without one). */
  private settingsStore: SettingsStore | null = null;
  /** S starts and stops listening, from anywhere but a field. */
  private readonly shortcut = new KeyShortcutController(this, 's', () => {
    if (!this.files.busy) void this.live.toggle();
  });

  /**
   * A new version of the app is waiting (src/pwa/register-sw.ts): the banner offers it;
   * `apply` switches and reloads, which happens only between sessions.
   */
  offerUpdate(apply: () => void): void {
    this.appUpdate.offer(apply);
  }

  static override styles = css`
    :host {
      --vm-accent: #3a6fd8;
      --vm-muted: #5d6773;
      --vm-border: #d5dae0;
      display: block;
      max-width: 44rem;
      margin: 0 auto;
      padding: 1rem;
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-accent: #7fa7ff;
        --vm-muted: #a3adb8;
        --vm-border: #3a434d;
      }
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.25rem 1rem;
      margin-bottom: 0.75rem;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    vm-update-banner,
    .diagnostics {
      margin-top: 1rem;
      border: 1px solid var(--vm-border);
      border-radius: 0.5rem;
      padding: 0.5rem 0.75rem;
    }
    .diagnostics summary {
      cursor: pointer;
      font-weight: 600;
      min-height: 1.75rem;
    }
    .diagnostics vm-engine-status {
      margin: 0.5rem 0;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem 1rem;
      margin: 1.25rem 0 0.5rem;
    }
    button {
      font: inherit;
      font-weight: 600;
      padding: 0.55rem 1.1rem;
      border-radius: 0.5rem;
      border: 1px solid transparent;
      background: #3a6fd8;
      color: #fff;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--vm-accent);
      outline-offset: 2px;
    }
    button.stop,
    button.secondary {
      background: transparent;
      border-color: currentColor;
      color: inherit;
    }
    button:disabled,
    button[aria-disabled='true'] {
      opacity: 0.6;
      cursor: default;
    }
    vm-level-meter {
      flex: 1 1 8rem;
    }
    .info,
    .costs {
      margin: 0 0 0.5rem;
      font-size: 0.875rem;
      color: var(--vm-muted);
      min-height: 1.3em;
      overflow-wrap: anywhere;
    }
    .warn {
      color: #b3261e;
      font-weight: 600;
    }
    @media (prefers-color-scheme: dark) {
      .warn {
        color: #ff8a80;
      }
    }
    h2 {
      font-size: 1rem;
      margin: 1rem 0 0.25rem;
    }
    section {
      margin-top: 1.5rem;
    }
    section > h2 {
      margin-bottom: 0.5rem;
    }
    .explain {
      margin: 0.5rem auto 0;
      max-width: 28rem;
      text-align: center;
      font-size: 0.875rem;
      color: var(--vm-muted);
    }
    vm-about {
      margin-top: 1.5rem;
    }
    .notice {
      margin: 0.5rem 0 0;
      font-size: 0.875rem;
      color: var(--vm-muted);
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback(); // the controllers connect: the live session starts the worker
    void this.openStorage();
  }

  /** Opens IndexedDB for the sessions and the models; without it the worker loads from the models URL. */
  private async openStorage(): Promise<void> {
    let db: ValenceDatabase;
    try {
      db = await openValenceDb();
    } catch (e) {
      this.models.storageUnavailable(e as Error);
      return;
    }
    this.settingsStore = new SettingsStore(db);
    try {
      this.live.setSettings(await this.settingsStore.load()); // the last visit's choices
    } catch {
      // unreadable settings: the defaults serve, and the next change is saved over them
    }
    this.recorder.attach(new SessionStore(db)); // sessions are saved from now on
    await this.backends.attach(new BackendChoiceStore(db));
    await this.models.open(new ModelStore(db));
    await this.recorder.refresh();
  }

  override render() {
    const live = this.live;
    const running = live.phase === 'running';
    const monitor = live.monitorState(this.models.status);
    const state = gaugeState(monitor);
    const active = this.models.models.find((m) => m.id === this.models.activeModelId);
    const arousal = showsArousal(this.models.status, active ? outputCount(active.config) : undefined);
    return html`
      <header>
        <h1>Valence Monitor</h1>
      </header>
      <vm-update-banner ?open=${this.appUpdate.apply !== null} ?waiting=${this.appUpdate.waiting}
        @update-accept=${() => this.appUpdate.accept(live.phase !== 'idle')}
        @update-dismiss=${() => this.appUpdate.dismiss()}></vm-update-banner>
      <vm-valence-gauge .valence=${this.baseline.valence(gaugeValence(monitor))} .state=${state} .message=${gaugeMessage(monitor)}></vm-valence-gauge>
      ${arousal
        ? html`<vm-arousal-meter .arousal=${this.baseline.arousal(gaugeArousal(monitor))} .state=${state}></vm-arousal-meter>`
        : nothing}
      <p class="explain">${readingExplanation(active?.card ?? {}, arousal)}</p>
      <vm-baseline-note .view=${this.baseline.view}></vm-baseline-note>
      <div class="controls">
        <!-- Starting is shown with aria-disabled, not disabled, so a keyboard user keeps the focus:
             a disabled button drops it, and Space then did nothing. The label says the state
             (no aria-pressed: "Stop, pressed" said it twice). -->
        <button class=${running ? 'stop' : ''} aria-disabled=${live.phase === 'starting' ? 'true' : 'false'} ?disabled=${this.files.busy}
          aria-keyshortcuts=${this.shortcut.key} title="Start or stop listening (S)" @click=${() => live.toggle()}>
          ${live.phase === 'starting' ? 'Starting…' : running ? 'Stop' : 'Start listening'}
        </button>
        <vm-level-meter .level=${live.level} label="Microphone level"></vm-level-meter>
      </div>
      ${live.overruns > 0 ? html`<p class="dropped warn">${live.overruns} samples dropped (analysis fell behind)</p>` : nothing}
      <h2>Session</h2>
      <vm-valence-timeline .readings=${live.readings}></vm-valence-timeline>
      <vm-live-settings .settings=${live.settings} .devices=${this.mics.devices} ?disabled=${live.phase !== 'idle'} .baseline=${this.baseline.view}
        @settings-change=${(e: CustomEvent<Partial<LiveSettings>>) => this.changeSettings(e.detail)}>
      </vm-live-settings>
      <!-- Developer figures: kept, but out of the way of the reading (issue 11 item 7). -->
      <details class="diagnostics">
        <summary>Diagnostics</summary>
        <vm-engine-status .status=${this.models.status} .note=${this.backends.note}
          @backend-retime=${() => void this.models.retimeBackends()}></vm-engine-status>
        <p class="info">${infoText(live.capture, live.receivedSamples, live.skipped)}${live.overruns > 0
            ? html` · <span class="warn">${live.overruns} samples dropped (analysis fell behind)</span>`
            : nothing}</p>
        <p class="costs">${costText(live.last, running, live.lastLatencyMs)}</p>
        <button class="secondary" ?disabled=${!live.hasAudio} @click=${() => void downloadSessionAudio(live.client)}>Download audio (WAV)</button>
      </details>
      <section aria-labelledby="h-sessions">
        <h2 id="h-sessions">Saved sessions</h2>
        <vm-session-history .sessions=${this.recorder.sessions} .selected=${this.recorder.selected}
          running-id=${this.recorder.runningSessionId} error=${this.recorder.error}
          @session-select=${(e: CustomEvent<SessionIdDetail>) => this.recorder.select(e.detail.id)}
          @session-delete=${(e: CustomEvent<SessionIdDetail>) => this.recorder.remove(e.detail.id)}></vm-session-history>
      </section>
      <section aria-labelledby="h-file">
        <h2 id="h-file">Analyse a file</h2>
        <vm-file-analysis .readings=${this.files.readings} ?busy=${this.files.busy} ?disabled=${running || this.models.status.state !== 'ready'}
          error=${this.files.error} warning=${this.files.warning} summary=${this.files.summary}
          @file-chosen=${(e: CustomEvent<FileChosenDetail>) => this.files.analyse(e.detail.file)}></vm-file-analysis>
      </section>
      <vm-calibration @personal-model=${(e: CustomEvent<PersonalModelDetail>) => (e.detail.adopted ? this.models.use(e.detail.id) : void this.models.refresh())}></vm-calibration>
      <section aria-labelledby="h-models">
        <h2 id="h-models">Models</h2>
        <vm-model-manager .models=${this.models.models} active-id=${this.models.activeModelId} error=${this.models.error}
          ?busy=${this.models.busy} @model-import=${(e: CustomEvent<ModelImportDetail>) => this.models.importFiles(e.detail.files)}
          @model-select=${(e: CustomEvent<ModelIdDetail>) => this.models.use(e.detail.id)}
          @model-delete=${(e: CustomEvent<ModelIdDetail>) => this.models.remove(e.detail.id)}
          @model-export=${(e: CustomEvent<ModelIdDetail>) => void this.models.exportModel(e.detail.id)}></vm-model-manager>
        ${this.models.notice ? html`<p class="notice" role="status">${this.models.notice}</p>` : nothing}
      </section>
      <vm-about></vm-about>
    `;
  }

  private changeSettings(change: Partial<LiveSettings>): void {
    this.live.setSettings(change);
    // Not being able to remember a choice must not stop it applying now: say so quietly.
    this.settingsStore?.save(this.live.settings).catch((e: unknown) => console.warn(`settings not saved: ${(e as Error).message}`));
  }
}

customElements.define('vm-app', VmApp);

declare global {
  interface HTMLElementTagNameMap {
    'vm-app': VmApp;
  }
}
