// <vm-calibration>: "Calibrate to my voice", a collapsible view of its own. It guides the
// user through the calibration prompts (src/calibration/prompts.ts), one clip each,
// recorded through the live monitor's capture path (controllers/clip-recorder.ts) and kept
// in IndexedDB (controllers/calibration-clips.ts); clips can also come from audio files,
// with a label picked for each, and the set exports as WAVs + manifest.csv for
// `npm run train -- --manifest`; from them, a personal model (<vm-personal-calibration>).
// Self-contained: the app only mounts it, and takes up the model its 'personal-model' names.
import { LitElement, css, html, nothing } from 'lit';
import { CALIBRATION_EMOTIONS, CALIBRATION_PROMPTS } from '../calibration/prompts.ts';
import type { ClipRecord } from '../storage/clip-store.ts';
import type { Emotion } from '../training/labels.ts';
import { CalibrationClipsController } from './controllers/calibration-clips.ts';
import { ClipRecorderController } from './controllers/clip-recorder.ts';
import { ClipPlayer } from './clip-player.ts';
import type { ClipActionDetail, ClipRowState } from './clip-row.ts';
import './clip-row.ts';
import './personal-calibration.ts';

const title = (e: Emotion) => e[0].toUpperCase() + e.slice(1);

export class Calibration extends LitElement {
  static override properties = {
    importEmotion: { state: true },
    speaker: { state: true },
  };

  declare private importEmotion: Emotion;
  declare private speaker: string;
  private readonly clips = new CalibrationClipsController(this);
  private readonly recorder: ClipRecorderController = new ClipRecorderController(this, {
    settings: () => this.clips.liveSettings(),
    onRecorded: (audio) => void this.clips.keepRecording(audio),
  });
  private readonly player = new ClipPlayer(() => this.requestUpdate());

  constructor() {
    super();
    this.importEmotion = 'neutral';
    this.speaker = 'me';
  }

  static override styles = css`
    :host {
      --vm-cal-muted: #5d6773;
      --vm-cal-accent: #3a6fd8;
      --vm-cal-error: #b3261e;
      display: block;
      margin-top: 1.5rem;
      border: 1px solid var(--vm-border, #d5dae0);
      border-radius: 0.5rem;
      padding: 0.5rem 0.75rem;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-cal-muted: #a3adb8;
        --vm-cal-accent: #7fa7ff;
        --vm-cal-error: #ff8a80;
      }
    }
    summary {
      cursor: pointer;
      font-weight: 600;
      min-height: 1.75rem;
    }
    p {
      margin: 0.5rem 0;
    }
    .muted {
      font-size: 0.875rem;
      color: var(--vm-cal-muted);
    }
    code {
      white-space: nowrap;
    }
    .error {
      color: var(--vm-cal-error);
      overflow-wrap: anywhere;
    }
    ol,
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    h3 {
      font-size: 1rem;
      margin: 1.25rem 0 0.25rem;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
    }
    input[type='file'] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    label.button,
    button,
    select,
    input[type='text'] {
      font: inherit;
      min-height: 2.25rem;
      box-sizing: border-box;
      padding: 0.3rem 0.8rem;
      border-radius: 0.4rem;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
    }
    label.button,
    button {
      display: inline-flex;
      align-items: center;
      cursor: pointer;
    }
    input[type='text'] {
      width: 9rem;
    }
    input:focus-visible + label.button,
    button:focus-visible,
    select:focus-visible,
    input[type='text']:focus-visible {
      outline: 3px solid var(--vm-cal-accent);
      outline-offset: 2px;
    }
    input:disabled + label.button,
    button:disabled {
      opacity: 0.55;
      cursor: default;
    }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback(); // the recorder stops with its host
    this.player.stop();
  }

  private rowState(promptId: string, clip: ClipRecord | undefined): ClipRowState {
    if (this.recorder.target === promptId) return this.recorder.phase === 'recording' ? 'recording' : 'starting';
    return clip ? 'saved' : 'empty';
  }

  private onAction(e: CustomEvent<ClipActionDetail>, clip: ClipRecord | undefined, promptId: string | null): void {
    const { action, emotion } = e.detail;
    if ((action === 'record' || action === 'redo') && promptId) {
      this.player.stop();
      void this.recorder.start(promptId);
    } else if (action === 'stop') void this.recorder.stop();
    else if (action === 'stop-playing') this.player.stop();
    else if (clip && action === 'play') void this.player.play(clip.id, clip.samples, clip.sampleRate);
    else if (clip && action === 'delete') {
      if (this.player.playing === clip.id) this.player.stop();
      void this.clips.remove(clip.id);
    } else if (clip && action === 'relabel' && emotion) void this.clips.relabel(clip.id, emotion);
  }

  /** The clips' error where it belongs: under its prompt, the import, the export, or at the top ('storage'). */
  private errorFor(place: string) {
    const c = this.clips;
    return c.error && c.errorAt === place ? html`<p class="error" role="alert">${c.error}</p>` : nothing;
  }

  private row(clip: ClipRecord | undefined, promptId: string | null, heading: string, name: string, emotion: Emotion, number = 0, next = false) {
    const recording = this.recorder.phase !== 'idle';
    const state = promptId ? this.rowState(promptId, clip) : 'saved';
    const live = state === 'recording' || state === 'starting';
    return html`<vm-clip-row .heading=${heading} .name=${name} .emotion=${emotion} .state=${state} ?editable-label=${promptId === null}
      .seconds=${live ? this.recorder.seconds : clip ? clip.samples.length / clip.sampleRate : 0} .level=${this.recorder.level}
      ?playing=${clip !== undefined && this.player.playing === clip.id} ?disabled=${(recording && !live) || this.clips.busy}
      .number=${number} ?next=${next}
      data-prompt=${promptId ?? nothing} data-clip=${clip?.id ?? nothing}
      @clip-action=${(e: CustomEvent<ClipActionDetail>) => this.onAction(e, clip, promptId)}></vm-clip-row>`;
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) void this.clips.importFiles(files, this.importEmotion);
  }

  override render() {
    const c = this.clips;
    const imported = c.clips.filter((clip) => clip.promptId === null);
    const done = CALIBRATION_PROMPTS.filter((p) => c.forPrompt(p.id)).length;
    const next = CALIBRATION_PROMPTS.find((p) => !c.forPrompt(p.id))?.id;
    const busy = c.busy || this.recorder.phase !== 'idle';
    return html`<details>
      <summary>Calibrate to my voice</summary>
      <p>Read each sentence aloud in the tone asked for, one clip of a few seconds each: ${CALIBRATION_PROMPTS.length} clips
        teach the app how your voice sounds. Each tone stands for the valence and arousal shown beside it. The clips stay in
        this browser.</p>
      <p class="muted" role="status" data-clips=${c.clips.length}>${c.loaded
        ? `${done} of ${CALIBRATION_PROMPTS.length} prompts recorded, ${imported.length} clip${imported.length === 1 ? '' : 's'} from files.`
        : 'Reading the stored clips…'}</p>
      ${this.recorder.error ? html`<p class="error" role="alert">${this.recorder.error}</p>` : nothing}
      ${this.errorFor('storage')}
      <ol aria-label="Prompts">
        ${CALIBRATION_PROMPTS.map((p, i) => {
          const clip = c.forPrompt(p.id);
          return html`<li>${this.row(clip, p.id, `“${p.sentence}”`, `prompt ${i + 1}`, p.emotion, i + 1, p.id === next)}${this.errorFor(p.id)}</li>`;
        })}
      </ol>
      <h3>Clips from audio files</h3>
      <div class="bar">
        <label>Label <select aria-label="Label for imported files" @change=${(e: Event) => (this.importEmotion = (e.target as HTMLSelectElement).value as Emotion)}>
          ${CALIBRATION_EMOTIONS.map((e) => html`<option value=${e} ?selected=${e === this.importEmotion}>${title(e)}</option>`)}
        </select></label>
        <input id="import" type="file" multiple accept="audio/*,.wav,.mp3,.ogg,.flac,.m4a,.webm" ?disabled=${busy} @change=${this.picked} />
        <label class="button" for="import">Import audio files…</label>
      </div>
      ${this.errorFor('import')}
      <ul aria-label="Clips from files">
        ${imported.map((clip) => html`<li>${this.row(clip, null, clip.name, `file ${clip.name}`, clip.emotion)}</li>`)}
      </ul>
      <h3>Export</h3>
      <p class="muted">WAV files and a manifest.csv (path, valence, speaker, arousal) for
        <code>npm run train -- --manifest</code> and <code>npm run evaluate -- --manifest</code>.</p>
      <div class="bar">
        <label>Speaker <input type="text" .value=${this.speaker} @input=${(e: Event) => (this.speaker = (e.target as HTMLInputElement).value)} /></label>
        <button ?disabled=${busy || c.clips.length === 0} @click=${() => void c.exportAll(this.speaker)}>Export clips</button>
      </div>
      ${this.errorFor('export')}
      ${c.notice ? html`<p class="muted" role="status">${c.notice}</p>` : nothing}
      <h3>Your personal model</h3>
      <vm-personal-calibration .clips=${c.clips} ?disabled=${busy}></vm-personal-calibration>
    </details>`;
  }
}

customElements.define('vm-calibration', Calibration);

declare global {
  interface HTMLElementTagNameMap {
    'vm-calibration': Calibration;
  }
}
