// <vm-file-analysis>: drop or pick an audio file; the app decodes it and runs it through
// the live pipeline in the analysis worker, then passes the readings back here to show as
// a timeline. Properties in (readings, busy, error, warning, summary), one event out:
//   'file-chosen' {file: File}
import { LitElement, css, html, nothing } from 'lit';
import './valence-timeline.ts';
import type { Reading } from './timeline-geometry.ts';

export interface FileChosenDetail {
  file: File;
}

export class FileAnalysis extends LitElement {
  static override properties = {
    readings: { attribute: false },
    busy: { type: Boolean },
    disabled: { type: Boolean },
    error: {},
    warning: {},
    summary: {},
    dragging: { state: true },
  };

  /** The file's readings (null valence: no speech). */
  declare readings: readonly Reading[];
  /** While decoding / analysing. */
  declare busy: boolean;
  /** No analysis possible now (model not ready, or listening). */
  declare disabled: boolean;
  /** Why the last file could not be analysed ('' for none). */
  declare error: string;
  /** What the user should know about the analysed file, e.g. that it is cut short ('' for none). */
  declare warning: string;
  /** One line about the analysed file ('' for none). */
  declare summary: string;
  declare private dragging: boolean;

  constructor() {
    super();
    this.readings = [];
    this.busy = false;
    this.disabled = false;
    this.error = '';
    this.warning = '';
    this.summary = '';
    this.dragging = false;
  }

  static override styles = css`
    :host {
      --vm-fa-muted: #5d6773;
      --vm-fa-border: #b7bfc8;
      --vm-fa-accent: #3a6fd8;
      --vm-fa-error: #b3261e;
      --vm-fa-warning: #7a4f00;
      display: block;
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-fa-muted: #a3adb8;
        --vm-fa-border: #4a545f;
        --vm-fa-accent: #7fa7ff;
        --vm-fa-error: #ff8a80;
        --vm-fa-warning: #ffcc80;
      }
    }
    .drop {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      padding: 0.75rem;
      border: 2px dashed var(--vm-fa-border);
      border-radius: 0.5rem;
      font-size: 0.9rem;
      color: var(--vm-fa-muted);
    }
    .drop.over {
      border-color: var(--vm-fa-accent);
    }
    input[type='file'] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    label.button {
      font: inherit;
      padding: 0.35rem 0.8rem;
      min-height: 2.25rem;
      box-sizing: border-box;
      border-radius: 0.4rem;
      border: 1px solid var(--vm-fa-border);
      color: CanvasText;
      cursor: pointer;
      display: inline-flex;
      align-items: center;
    }
    input:focus-visible + label.button {
      outline: 3px solid var(--vm-fa-accent);
      outline-offset: 2px;
    }
    input:disabled + label.button {
      opacity: 0.55;
      cursor: default;
    }
    .summary {
      margin: 0.5rem 0 0.25rem;
      font-size: 0.875rem;
      color: var(--vm-fa-muted);
      overflow-wrap: anywhere;
    }
    .error {
      color: var(--vm-fa-error);
      margin: 0.5rem 0 0;
    }
    .warning {
      color: var(--vm-fa-warning);
      margin: 0.5rem 0 0;
      overflow-wrap: anywhere;
    }
  `;

  private choose(file: File | undefined): void {
    if (!file || this.disabled || this.busy) return;
    this.dispatchEvent(new CustomEvent<FileChosenDetail>('file-chosen', { detail: { file }, bubbles: true, composed: true }));
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    this.choose(file);
  }

  private over(event: DragEvent): void {
    event.preventDefault();
    this.dragging = true;
  }

  private dropped(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    this.choose(event.dataTransfer?.files?.[0]);
  }

  override render() {
    // The whole file, from 0 to its last reading: a 4.1 s file was drawn on a 1-11 s axis.
    const span = this.readings.length > 0 ? this.readings[this.readings.length - 1].t : 60;
    return html`
      <div class="drop ${this.dragging ? 'over' : ''}" @dragover=${this.over} @dragleave=${() => (this.dragging = false)} @drop=${this.dropped}>
        <input id="audio" type="file" accept="audio/*,.wav,.mp3,.ogg,.flac,.m4a,.webm" ?disabled=${this.disabled || this.busy}
          @change=${this.picked} />
        <label class="button" for="audio">Analyse an audio file…</label>
        <span>${this.busy ? 'Analysing…' : 'or drop one here (WAV, MP3, OGG, FLAC: whatever this browser decodes)'}</span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.warning ? html`<p class="warning" role="status">${this.warning}</p>` : nothing}
      ${this.summary ? html`<p class="summary" role="status">${this.summary}</p>` : nothing}
      ${this.readings.length > 0
        ? html`<vm-valence-timeline .readings=${this.readings} span-seconds=${span}></vm-valence-timeline>`
        : nothing}
    `;
  }
}

customElements.define('vm-file-analysis', FileAnalysis);

declare global {
  interface HTMLElementTagNameMap {
    'vm-file-analysis': FileAnalysis;
  }
  interface HTMLElementEventMap {
    'file-chosen': CustomEvent<FileChosenDetail>;
  }
}
