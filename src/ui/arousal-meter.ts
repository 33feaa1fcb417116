// <vm-arousal-meter>: the arousal of a two-output model (SPEC section 3), secondary to the
// valence gauge: one small horizontal scale from calm (-1) to excited (+1), a marker and
// the number. The app shows it only for such a model, in the gauge's states (no speech:
// no number). Properties in, nothing out; the host reflects data-arousal (a number, or
// empty) and data-state for styling and tests.
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { cssProps } from './css-props.ts';
import type { GaugeState } from './reading-text.ts';
import { AROUSAL_GRADIENT, arousalLabel } from './arousal-scale.ts';
import { clampValence, formatValence } from './valence-scale.ts';

export class ArousalMeter extends LitElement {
  static override properties = {
    arousal: { type: Number },
    state: { type: String },
  };

  /** Latest arousal in [-1, 1], or null when there is none to show. */
  declare arousal: number | null;
  /** The gauge's state: a value is drawn full strength only while 'reading'. */
  declare state: GaugeState;

  constructor() {
    super();
    this.arousal = null;
    this.state = 'idle';
  }

  static override styles = css`
    :host {
      --vm-arousal-fg: #1d2329;
      --vm-arousal-muted: #5d6773;
      --vm-arousal-track-edge: rgba(29, 35, 41, 0.18);
      display: block;
      max-width: 22rem;
      margin: 0.5rem auto 0;
      color: var(--vm-arousal-fg);
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-arousal-fg: #e8ecf0;
        --vm-arousal-muted: #a3adb8;
        --vm-arousal-track-edge: rgba(232, 236, 240, 0.22);
      }
    }
    .meter {
      display: grid;
      grid-template-columns: auto 1fr 3.25rem;
      align-items: center;
      gap: 0 0.75rem;
    }
    .name {
      font-size: 0.875rem;
      font-weight: 600;
      color: var(--vm-arousal-muted);
    }
    .scale {
      position: relative;
      padding-top: 4px;
    }
    .track {
      height: 8px;
      border-radius: 4px;
      background: ${unsafeCSS(AROUSAL_GRADIENT)};
      box-shadow: inset 0 0 0 1px var(--vm-arousal-track-edge);
      transition: opacity 0.3s;
    }
    :host([data-state='idle']) .track,
    :host([data-state='error']) .track {
      opacity: 0.35;
    }
    .marker {
      position: absolute;
      top: 0;
      left: var(--vm-arousal-position);
      width: 4px;
      height: 16px;
      margin-left: -2px;
      border-radius: 2px;
      background: var(--vm-arousal-fg);
      transition: left 0.25s ease-out;
    }
    .ends {
      display: flex;
      justify-content: space-between;
      margin-top: 0.15rem;
      font-size: 0.75rem;
      color: var(--vm-arousal-muted);
    }
    .value {
      text-align: right;
      font-size: 1.125rem;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
      line-height: 1.1;
    }
    .value .label {
      display: block;
      font-size: 0.75rem;
      font-weight: 500;
      color: var(--vm-arousal-muted);
    }
    .value.none {
      color: var(--vm-arousal-muted);
    }
    .stale {
      opacity: 0.45;
    }
  `;

  protected override willUpdate(): void {
    // Reflected before rendering, as the gauge does, so host-attribute styles and the shadow DOM agree.
    const a = clampValence(this.arousal);
    this.dataset.arousal = a === null ? '' : String(this.arousal);
    this.dataset.state = this.state;
  }

  override render() {
    const a = clampValence(this.arousal);
    const label = a === null ? null : arousalLabel(a);
    const stale = this.state !== 'reading';
    return html`
      <div
        class="meter"
        role="meter"
        aria-label="Arousal"
        aria-valuemin="-1"
        aria-valuemax="1"
        aria-valuenow=${a ?? 0}
        aria-valuetext=${a === null ? 'no reading' : `${formatValence(a)}, ${label}`}
      >
        <span class="name" aria-hidden="true">Arousal</span>
        <div class="scale" aria-hidden="true">
          <div class="track"></div>
          ${a === null ? nothing : html`<div class="marker ${stale ? 'stale' : ''}" ${cssProps({ '--vm-arousal-position': `${((a + 1) / 2) * 100}%` })}></div>`}
          <div class="ends"><span>calm</span><span>excited</span></div>
        </div>
        <div class="value ${a === null ? 'none' : ''} ${stale ? 'stale' : ''}" aria-hidden="true">
          ${a === null ? '\u2014' : formatValence(a)}<span class="label">${label ?? '\u00a0'}</span>
        </div>
      </div>
    `;
  }
}

customElements.define('vm-arousal-meter', ArousalMeter);

declare global {
  interface HTMLElementTagNameMap {
    'vm-arousal-meter': ArousalMeter;
  }
}
