// <vm-engine-status>: what the analysis runs on: the model's state (loading, choosing a
// backend, ready, failed), the TF.js backend in use and why it won, with the start-up
// timings of every backend tried, and whether that choice was kept from an earlier timing
// or is being timed in the background (that timing's trials of every backend, WebGPU's
// "no adapter" too, are listed beside this start's own). Properties in; out, a `backend-retime` event when
// the user asks to time the backends again. The host reflects data-model-state,
// data-backend and data-backend-note (the note's kind) for tests.
import { LitElement, css, html, nothing } from 'lit';
import { backendNoteText, type BackendNote } from '../model/backend-cache.ts';
import type { BackendTrial } from '../model/backend-name.ts';
import type { ModelStatusMessage } from '../worker/protocol.ts';

const fmtMs = (ms: number | null) => (ms === null ? '—' : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

export class EngineStatus extends LitElement {
  static override properties = {
    status: { attribute: false },
    note: { attribute: false },
  };

  /** The worker's latest model status. */
  declare status: ModelStatusMessage;
  /** Why this backend: kept from an earlier timing, being timed, timed (null: none to tell). */
  declare note: BackendNote | null;

  constructor() {
    super();
    this.status = { type: 'model', state: 'loading' };
    this.note = null;
  }

  static override styles = css`
    :host {
      --vm-status-muted: #5d6773;
      --vm-status-error: #b3261e;
      --vm-status-chip: #e6edf9;
      display: block;
      font-size: 0.875rem;
      line-height: 1.4;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-status-muted: #a3adb8;
        --vm-status-error: #ff8a80;
        --vm-status-chip: #233147;
      }
    }
    .line {
      margin: 0;
    }
    .chip {
      display: inline-block;
      padding: 0.05rem 0.5rem;
      border-radius: 999px;
      background: var(--vm-status-chip);
      font-weight: 600;
    }
    .why,
    summary {
      color: var(--vm-status-muted);
    }
    .failed {
      color: var(--vm-status-error);
      font-weight: 600;
    }
    details,
    .retime {
      margin-top: 0.25rem;
    }
    .retime {
      font: inherit;
    }
    summary {
      cursor: pointer;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      margin-top: 0.25rem;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: left;
      padding: 0.1rem 0.6rem 0.1rem 0;
      vertical-align: top;
    }
    /* the figures never break ("353 ms" wrapped onto two lines); the headings may, so that the
       note column keeps room on a phone */
    td:not(:last-child) {
      white-space: nowrap;
    }
    @media (min-width: 40rem) {
      th {
        white-space: nowrap;
      }
    }
    /* a renderer name such as "(0x0000C0DE))," must break too, or a phone's table runs off the screen */
    td:last-child {
      overflow-wrap: anywhere;
    }
  `;

  protected override willUpdate(): void {
    this.dataset.modelState = this.status.state;
    if (this.status.backend) this.dataset.backend = this.status.backend;
    else delete this.dataset.backend;
    if (this.note) this.dataset.backendNote = this.note.kind;
    else delete this.dataset.backendNote;
  }

  override render() {
    const s = this.status;
    switch (s.state) {
      case 'loading':
        return html`<p class="line" role="status">Loading the model…</p>`;
      case 'measuring':
        // With a note the backend is already decided (kept, or wasm while timing in the background).
        return html`<p class="line" role="status">
          Model ${s.name} loaded; ${this.note ? 'starting the backend…' : 'timing the backends to pick the fastest…'}
        </p>`;
      case 'failed':
        return html`<p class="line failed" role="alert">${s.message ?? 'The model failed to load.'}</p>`;
      case 'ready':
        return html`
          <p class="line" role="status">
            Backend <span class="chip">${s.backend}</span> · model ${s.name}
          </p>
          <p class="line why">${s.reason}</p>
          ${this.note ? html`<p class="line why note">${backendNoteText(this.note)}</p>` : nothing}
          ${s.trials && s.trials.length > 0 ? this.renderTrials('Start-up timings', s.trials) : nothing}
          ${this.timedTrials().length > 0 ? this.renderTrials('Every backend, as timed for this browser and GPU', this.timedTrials(), 'timed') : nothing}
          ${this.note && this.note.kind !== 'timing'
            ? html`<button type="button" class="retime" @click=${this.retime}>Time the backends again</button>`
            : nothing}
        `;
    }
  }

  private readonly retime = () => this.dispatchEvent(new CustomEvent('backend-retime', { bubbles: true, composed: true }));

  /**
   * The trials of the timing the backend choice came from (kept, or just timed in the
   * background): with a kept choice this start tries only that backend, so the others'
   * figures and notes are there alone.
   */
  private timedTrials(): readonly BackendTrial[] {
    const n = this.note;
    return n && (n.kind === 'kept' || n.kind === 'timed') ? n.choice.trials : [];
  }

  private renderTrials(title: string, trials: readonly BackendTrial[], kind = 'start') {
    return html`
      <details class="trials" data-trials=${kind}>
        <summary>${title}</summary>
        <table>
          <tr><th>backend</th><th>per reading</th><th>first run</th><th>note</th></tr>
          ${trials.map(
            (t) => html`<tr data-trial=${t.backend}><td>${t.backend}</td><td>${fmtMs(t.forwardMs)}</td><td>${fmtMs(t.warmupMs)}</td><td>${t.note}</td></tr>`,
          )}
        </table>
      </details>
    `;
  }
}

customElements.define('vm-engine-status', EngineStatus);

declare global {
  interface HTMLElementTagNameMap {
    'vm-engine-status': EngineStatus;
  }
}
