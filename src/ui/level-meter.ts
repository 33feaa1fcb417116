// <vm-level-meter>: a horizontal input-level bar (0..1), so the user sees the microphone
// is live before any valence arrives. Map dBFS to 0..1 outside (see meterLevel() in
// src/audio/capture.ts); the host reflects data-level for tests.
import { LitElement, css, html } from 'lit';
import { cssProps } from './css-props.ts';

export class LevelMeter extends LitElement {
  static override properties = {
    level: { type: Number },
    label: { type: String },
  };

  /** Meter position, 0 (silent) to 1 (full scale); out-of-range values are clamped. */
  declare level: number;
  /** Accessible name of the meter. */
  declare label: string;

  constructor() {
    super();
    this.level = 0;
    this.label = 'Input level';
  }

  static override styles = css`
    :host {
      --vm-meter-track: #e4e7eb;
      --vm-meter-border: #c4cad1;
      display: block;
      min-width: 4rem;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-meter-track: #2c333a;
        --vm-meter-border: #45505b;
      }
    }
    .track {
      position: relative;
      height: 0.75rem;
      border-radius: 0.375rem;
      background: var(--vm-meter-track);
      box-shadow: inset 0 0 0 1px var(--vm-meter-border);
      overflow: hidden;
    }
    /* The gradient spans the whole track and is revealed up to the level, so the colour
       at a position is fixed: green for speech, amber when loud, red near clipping. */
    .fill {
      position: absolute;
      inset: 0;
      background: linear-gradient(to right, #2ea460 0%, #2ea460 70%, #e0a526 85%, #d64550 100%);
      clip-path: inset(0 var(--vm-level-gap) 0 0);
      transition: clip-path 60ms linear;
    }
  `;

  private clamped(): number {
    return Number.isFinite(this.level) ? Math.min(1, Math.max(0, this.level)) : 0;
  }

  protected override willUpdate(): void {
    this.dataset.level = this.clamped().toFixed(3);
  }

  override render() {
    const level = this.clamped();
    const percent = Math.round(level * 100);
    return html`
      <div
        class="track"
        role="meter"
        aria-label=${this.label}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-valuetext=${`${percent}%`}
      >
        <div class="fill" ${cssProps({ '--vm-level-gap': `${(100 - level * 100).toFixed(1)}%` })}></div>
      </div>
    `;
  }
}

customElements.define('vm-level-meter', LevelMeter);

declare global {
  interface HTMLElementTagNameMap {
    'vm-level-meter': LevelMeter;
  }
}
