// <vm-mic-picker>: chooses the microphone. Properties in (the device list, the selected
// deviceId), a `mic-change` event out (detail: the deviceId, '' for the default one).
import { LitElement, css, html } from 'lit';

export interface MicOption {
  deviceId: string;
  label: string;
}

export class MicPicker extends LitElement {
  static override properties = {
    devices: { attribute: false },
    value: { type: String },
    disabled: { type: Boolean, reflect: true },
  };

  /** Microphones to offer (labels are generic until the user has granted access once). */
  declare devices: readonly MicOption[];
  /** Selected deviceId; '' means the browser's default microphone. */
  declare value: string;
  declare disabled: boolean;

  constructor() {
    super();
    this.devices = [];
    this.value = '';
    this.disabled = false;
  }

  static override styles = css`
    :host {
      display: inline-flex;
      flex-direction: column;
      gap: 0.2rem;
      min-width: 0;
      font-size: 0.875rem;
    }
    label {
      opacity: 0.8;
    }
    select {
      font: inherit;
      max-width: 100%;
      padding: 0.35rem 0.4rem;
      border-radius: 0.375rem;
      border: 1px solid #8a929b;
      background: Canvas;
      color: CanvasText;
    }
  `;

  override render() {
    const none = this.devices.length === 0;
    return html`
      <label for="mic">Microphone</label>
      <select id="mic" ?disabled=${this.disabled} @change=${this.onChange}>
        <option value="" ?selected=${this.value === ''}>${none ? 'Default (none listed yet)' : 'Default microphone'}</option>
        ${this.devices
          .filter((d) => d.deviceId !== '' && d.deviceId !== 'default')
          .map((d) => html`<option value=${d.deviceId} ?selected=${d.deviceId === this.value}>${d.label}</option>`)}
      </select>
    `;
  }

  private onChange(event: Event): void {
    this.value = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent<string>('mic-change', { detail: this.value, bubbles: true, composed: true }));
  }
}

customElements.define('vm-mic-picker', MicPicker);

declare global {
  interface HTMLElementTagNameMap {
    'vm-mic-picker': MicPicker;
  }
}
