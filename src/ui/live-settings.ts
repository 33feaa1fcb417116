// <vm-live-settings>: the settings of the next listening session: microphone, how often a
// reading comes, smoothing, and the browser's voice processing; and the gauge's "relative to
// my neutral voice" switch, which only changes the display, so it stays usable while a
// session runs (disabled, with the reason, while there is no neutral clip to take the
// baseline from). Properties in (the current settings, the devices, `disabled` while a
// session runs, the baseline's view), one event out:
//   'settings-change' (detail: the changed part of LiveSettings)
// The `actions` slot holds the host's buttons that sit in the same box.
import { LitElement, css, html, nothing } from 'lit';
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from '../storage/settings-store.ts';
import { baselineSwitchReason } from './baseline-text.ts';
import type { BaselineView } from './controllers/baseline.ts';
import type { MicOption } from './mic-picker.ts';
import './mic-picker.ts';

const HOPS = [0.25, 0.5, 1] as const;
const SMOOTHING = [0, 1, 3] as const;

export class LiveSettingsPanel extends LitElement {
  static override properties = {
    settings: { attribute: false },
    devices: { attribute: false },
    disabled: { type: Boolean },
    baseline: { attribute: false },
  };

  declare settings: LiveSettings;
  /** Microphones to offer. */
  declare devices: readonly MicOption[];
  /** While listening: the settings hold for the running session. */
  declare disabled: boolean;
  /** The baseline for the "relative to my neutral voice" switch (null: not known yet). */
  declare baseline: BaselineView | null;

  constructor() {
    super();
    this.settings = { ...DEFAULT_LIVE_SETTINGS };
    this.devices = [];
    this.disabled = false;
    this.baseline = null;
  }

  static override styles = css`
    :host {
      display: block;
    }
    .settings {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 0.75rem 1.25rem;
      margin: 1rem 0;
      padding: 0.75rem;
      border: 1px solid var(--vm-border);
      border-radius: 0.5rem;
      font-size: 0.875rem;
    }
    label.field {
      display: inline-flex;
      flex-direction: column;
      gap: 0.2rem;
    }
    label.check {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    select {
      font: inherit;
      padding: 0.35rem 0.4rem;
      border-radius: 0.375rem;
      border: 1px solid #8a929b;
      background: Canvas;
      color: CanvasText;
    }
    select:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--vm-accent);
      outline-offset: 2px;
    }
    vm-mic-picker {
      flex: 1 1 12rem;
    }
    .relative {
      display: inline-flex;
      flex-direction: column;
      gap: 0.2rem;
      max-width: 100%;
    }
    .relative input:disabled + span {
      opacity: 0.6;
    }
    .reason {
      color: var(--vm-muted);
      max-width: 22rem;
    }
  `;

  private change(change: Partial<LiveSettings>): void {
    this.dispatchEvent(new CustomEvent<Partial<LiveSettings>>('settings-change', { detail: change, bubbles: true, composed: true }));
  }

  /** On stays switchable off even when the neutral clips are gone; off needs a neutral clip. */
  private relativeSwitch() {
    const on = this.settings.relativeToNeutral;
    const reason = this.baseline ? baselineSwitchReason(this.baseline) : 'Reading your calibration clips…';
    return html`<span class="relative">
      <label class="check">
        <input type="checkbox" .checked=${on} ?disabled=${reason !== null && !on} aria-describedby=${reason ? 'relative-reason' : nothing}
          @change=${(e: Event) => this.change({ relativeToNeutral: (e.target as HTMLInputElement).checked })} />
        <span>Relative to my neutral voice</span>
      </label>
      ${reason ? html`<span id="relative-reason" class="reason">${reason}</span>` : nothing}
    </span>`;
  }

  override render() {
    const s = this.settings;
    const value = (e: Event) => Number((e.target as HTMLSelectElement).value);
    return html`<div class="settings">
      <vm-mic-picker .devices=${this.devices} .value=${s.deviceId} ?disabled=${this.disabled}
        @mic-change=${(e: CustomEvent<string>) => this.change({ deviceId: e.detail })}></vm-mic-picker>
      <label class="field">Reading every
        <select ?disabled=${this.disabled} @change=${(e: Event) => this.change({ hopSeconds: value(e) })}>
          ${HOPS.map((h) => html`<option value=${h} ?selected=${h === s.hopSeconds}>${h} s</option>`)}
        </select>
      </label>
      <label class="field">Smoothing
        <select ?disabled=${this.disabled} @change=${(e: Event) => this.change({ smoothingSeconds: value(e) })}>
          ${SMOOTHING.map((v) => html`<option value=${v} ?selected=${v === s.smoothingSeconds}>${v === 0 ? 'off' : `${v} s`}</option>`)}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" .checked=${s.voiceProcessing} ?disabled=${this.disabled}
          @change=${(e: Event) => this.change({ voiceProcessing: (e.target as HTMLInputElement).checked })} />
        Browser voice processing
      </label>
      ${this.relativeSwitch()}
      <slot name="actions"></slot>
    </div>`;
  }
}

customElements.define('vm-live-settings', LiveSettingsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vm-live-settings': LiveSettingsPanel;
  }
  interface HTMLElementEventMap {
    'settings-change': CustomEvent<Partial<LiveSettings>>;
  }
}
