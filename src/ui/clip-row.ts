// <vm-clip-row>: one calibration clip in the "Calibrate to my voice" view: what to read (a
// prompt's sentence, or an imported file's name), the tone and its label, and the actions
// its state allows. Properties in; one event out:
//   'clip-action' {action: 'record' | 'stop' | 'play' | 'stop-playing' | 'redo' | 'delete' | 'relabel', emotion?}
// The host reflects data-state for tests.
import { LitElement, css, html, nothing } from 'lit';
import { CALIBRATION_EMOTIONS, TONE_HINTS, emotionLabel, labelText } from '../calibration/prompts.ts';
import type { Emotion } from '../training/labels.ts';
import './level-meter.ts';

export type ClipAction = 'record' | 'stop' | 'play' | 'stop-playing' | 'redo' | 'delete' | 'relabel';

export interface ClipActionDetail {
  action: ClipAction;
  /** The new emotion, for 'relabel'. */
  emotion?: Emotion;
}

/** 'empty': a prompt not recorded yet; 'starting' / 'recording': the microphone is open for it; 'saved': a stored clip. */
export type ClipRowState = 'empty' | 'starting' | 'recording' | 'saved';

const title = (e: Emotion) => e[0].toUpperCase() + e.slice(1);

export class ClipRow extends LitElement {
  static override properties = {
    heading: {},
    name: {},
    emotion: {},
    state: {},
    seconds: { type: Number },
    level: { type: Number },
    playing: { type: Boolean },
    disabled: { type: Boolean },
    editableLabel: { type: Boolean, attribute: 'editable-label' },
    number: { type: Number },
    next: { type: Boolean },
  };

  /** What to read, or the file's name. */
  declare heading: string;
  /** Names the clip in the buttons' accessible names, e.g. "prompt 3". */
  declare name: string;
  declare emotion: Emotion;
  declare state: ClipRowState;
  /** The clip's length, or the seconds recorded so far. */
  declare seconds: number;
  /** Microphone level while recording, 0..1. */
  declare level: number;
  declare playing: boolean;
  /** Another clip is being recorded, or the store is busy. */
  declare disabled: boolean;
  /** The label is a choice (imported clips) rather than the prompt's tone. */
  declare editableLabel: boolean;
  /** The prompt's number, shown before its tone (0: none). */
  declare number: number;
  /** The prompt to record next: its Record button stands out. */
  declare next: boolean;

  constructor() {
    super();
    this.heading = '';
    this.name = 'clip';
    this.emotion = 'neutral';
    this.state = 'empty';
    this.seconds = 0;
    this.level = 0;
    this.playing = false;
    this.disabled = false;
    this.editableLabel = false;
    this.number = 0;
    this.next = false;
  }

  static override styles = css`
    :host {
      --vm-row-muted: #5d6773;
      --vm-row-accent: #3a6fd8;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem 1rem;
      padding: 0.6rem 0;
      border-bottom: 1px solid var(--vm-border, #d5dae0);
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-row-muted: #a3adb8;
        --vm-row-accent: #7fa7ff;
      }
    }
    .what {
      flex: 1 1 16rem;
      min-width: 0;
    }
    .tone {
      font-weight: 600;
    }
    .label,
    .hint,
    .length {
      font-size: 0.85rem;
      color: var(--vm-row-muted);
    }
    .heading {
      margin: 0.15rem 0;
      overflow-wrap: anywhere;
    }
    .hint {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    vm-level-meter {
      width: 6rem;
    }
    button,
    select {
      font: inherit;
      min-height: 2.25rem;
      padding: 0.3rem 0.8rem;
      border-radius: 0.4rem;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    button.primary {
      background: #3a6fd8;
      border-color: #3a6fd8;
      color: #fff;
      font-weight: 600;
    }
    button:focus-visible,
    select:focus-visible {
      outline: 3px solid var(--vm-row-accent);
      outline-offset: 2px;
    }
    button:disabled,
    select:disabled {
      opacity: 0.55;
      cursor: default;
    }
  `;

  protected override willUpdate(): void {
    this.dataset.state = this.state;
  }

  private act(action: ClipAction, emotion?: Emotion): void {
    this.dispatchEvent(new CustomEvent<ClipActionDetail>('clip-action', { detail: { action, emotion }, bubbles: true, composed: true }));
  }

  private button(action: ClipAction, text: string, primary = false, disabled = this.disabled) {
    return html`<button class=${primary ? 'primary' : ''} ?disabled=${disabled} aria-label=${`${text} ${this.name}`}
      @click=${() => this.act(action)}>${text}</button>`;
  }

  private actions() {
    const length = html`<span class="length">${this.seconds.toFixed(1)} s</span>`;
    switch (this.state) {
      case 'empty':
        return this.button('record', 'Record', this.next);
      case 'starting':
        return html`<span class="length">Opening the microphone…</span>`;
      case 'recording':
        return html`<vm-level-meter .level=${this.level} label="Microphone level"></vm-level-meter>${length}
          ${this.button('stop', 'Stop', true, false)}`;
      case 'saved':
        return html`${length}
          ${this.playing ? this.button('stop-playing', 'Stop playing', false, false) : this.button('play', 'Play')}
          ${this.editableLabel ? nothing : this.button('redo', 'Redo')} ${this.button('delete', 'Delete')}`;
    }
  }

  private labelChoice() {
    return html`<select aria-label=${`Label of ${this.name}`} ?disabled=${this.disabled}
      @change=${(e: Event) => this.act('relabel', (e.target as HTMLSelectElement).value as Emotion)}>
      ${CALIBRATION_EMOTIONS.map((e) => html`<option value=${e} ?selected=${e === this.emotion}>${title(e)}</option>`)}
    </select>`;
  }

  override render() {
    return html`
      <div class="what">
        ${this.editableLabel ? this.labelChoice() : html`<span class="tone">${this.number > 0 ? `${this.number}. ` : ''}${title(this.emotion)}</span>`}
        <span class="label">${labelText(emotionLabel(this.emotion))}</span>
        <p class="heading">${this.heading}</p>
        ${this.editableLabel ? nothing : html`<p class="hint">Read it ${TONE_HINTS[this.emotion]}.</p>`}
      </div>
      <div class="actions">${this.actions()}</div>
    `;
  }
}

customElements.define('vm-clip-row', ClipRow);

declare global {
  interface HTMLElementTagNameMap {
    'vm-clip-row': ClipRow;
  }
  interface HTMLElementEventMap {
    'clip-action': CustomEvent<ClipActionDetail>;
  }
}
