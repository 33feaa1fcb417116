// <vm-personal-calibration>: the calibration view's last step, "Make my personal model":
// fine-tunes the model in use on the stored clips (controllers/personal-calibration.ts,
// in a worker of its own), with a progress bar and a cancel button, then says how well
// the personal model reads the user's clips against the base model, honestly scored
// (each clip read by a model that did not train on it). The personal model becomes the
// model in use when it beats the base model on that score; the Models list can switch,
// delete or export it either way.
//   properties: clips (the stored clips), disabled (a recording or storage action runs)
//   events: 'personal-model' {id, adopted}, composed, when a personal model was stored
import { LitElement, css, html, nothing } from 'lit';
import type { ClipRecord } from '../storage/clip-store.ts';
import type { ScoreSet } from '../training/personalize/calibrate.ts';
import { PersonalCalibrationController } from './controllers/personal-calibration.ts';

export interface PersonalModelDetail {
  id: string;
  /** It became the model in use (else the base stays; it is only stored). */
  adopted: boolean;
}

const ccc = (s: ScoreSet, dim: 'valence' | 'arousal') => {
  const m = s[dim];
  return m && Number.isFinite(m.ccc) ? m.ccc : null;
};
const fixed = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

export class PersonalCalibration extends LitElement {
  static override properties = {
    clips: { attribute: false },
    disabled: { type: Boolean },
  };

  declare clips: readonly ClipRecord[];
  declare disabled: boolean;
  private readonly job = new PersonalCalibrationController(this, (id, adopted) =>
    this.dispatchEvent(new CustomEvent<PersonalModelDetail>('personal-model', { detail: { id, adopted }, bubbles: true, composed: true })),
  );

  constructor() {
    super();
    this.clips = [];
    this.disabled = false;
  }

  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0.5rem 0;
    }
    .muted {
      font-size: 0.875rem;
      color: var(--vm-cal-muted, #5d6773);
    }
    .error {
      color: var(--vm-cal-error, #b3261e);
      overflow-wrap: anywhere;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
    }
    progress {
      flex: 1 1 10rem;
      height: 0.75rem;
      accent-color: var(--vm-cal-accent, #3a6fd8);
    }
    button {
      font: inherit;
      min-height: 2.25rem;
      padding: 0.3rem 0.8rem;
      border-radius: 0.4rem;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--vm-cal-accent, #3a6fd8);
      outline-offset: 2px;
    }
    button:disabled {
      opacity: 0.55;
      cursor: default;
    }
    .result strong {
      font-variant-numeric: tabular-nums;
    }
  `;

  private progressText(): string {
    const p = this.job.progress;
    if (!p) return 'Starting…';
    const at = p.workers > 1 ? ` (${p.workers} at a time)` : '';
    return `Fine-tuning: ${p.runsDone} of ${p.runs} models done${at}, ${Math.floor((100 * p.done) / p.total)}%`;
  }

  private result() {
    const o = this.job.outcome;
    if (!o) return nothing;
    const r = o.report;
    const arousal = r.before.arousal !== null;
    return html`<div class="result" role="status" data-before=${fixed(ccc(r.before, 'valence'))} data-after=${fixed(ccc(r.after, 'valence'))}
      data-model=${o.model.id} data-adopted=${o.adopted ? 'true' : 'false'}>
      <p>${o.adopted
        ? `“${o.model.name}” is ready and now in use.`
        : `“${o.model.name}” read your clips no better than “${o.baseName}”, which stays in use; the personal model is kept under Models.`}
        On your ${r.clips} clips, valence agreement (CCC) went from
        <strong>${fixed(ccc(r.before, 'valence'))}</strong> to <strong>${fixed(ccc(r.after, 'valence'))}</strong>${arousal
          ? html`, arousal from <strong>${fixed(ccc(r.before, 'arousal'))}</strong> to <strong>${fixed(ccc(r.after, 'arousal'))}</strong>`
          : nothing}.</p>
      <p class="muted">Scored ${r.folds}-fold: each clip was read by a model that had not trained on it. Took ${o.seconds.toFixed(0)} s
        (${o.backend}). ${o.adopted ? 'Switch back' : 'Use it'}, delete or export it under Models.</p>
    </div>`;
  }

  override render() {
    const job = this.job;
    const running = job.phase === 'running';
    const problem = job.problem(this.clips);
    return html`<p>Fine-tune the model in use on your clips, in this browser: about a minute, and nothing leaves the device.</p>
      <div class="bar">
        <button ?disabled=${running || this.disabled || problem !== null} @click=${() => void job.start(this.clips)}>
          Make my personal model
        </button>
        ${running
          ? html`<progress max=${job.progress?.total ?? 1} .value=${job.progress?.done ?? 0} aria-label="Fine-tuning progress"></progress>
              <button @click=${() => job.cancel()}>Cancel</button>`
          : nothing}
      </div>
      ${running ? html`<p class="muted" role="status" data-phase="running">${this.progressText()}</p>` : nothing}
      ${!running && problem ? html`<p class="muted">${problem}</p>` : nothing}
      ${job.phase === 'failed' ? html`<p class="error" role="alert">${job.message}</p>` : nothing}
      ${job.phase === 'cancelled' ? html`<p class="muted" role="status">${job.message}</p>` : nothing}
      ${job.phase === 'done' ? this.result() : nothing}`;
  }
}

customElements.define('vm-personal-calibration', PersonalCalibration);

declare global {
  interface HTMLElementTagNameMap {
    'vm-personal-calibration': PersonalCalibration;
  }
  interface HTMLElementEventMap {
    'personal-model': CustomEvent<PersonalModelDetail>;
  }
}
