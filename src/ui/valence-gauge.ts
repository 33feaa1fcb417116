// <vm-valence-gauge>: the monitor's main display. A semicircular scale from -1 (left,
// red) through neutral (grey) to +1 (right, green), a needle, the number and its label.
// Properties in, nothing out; the host reflects data-valence and data-state for styling
// and tests, and a polite live region announces label and state changes.
import { LitElement, css, html, nothing, svg } from 'lit';
import { cssProps } from './css-props.ts';
import type { GaugeState } from './reading-text.ts';
import { NEUTRAL_BAND, clampValence, formatValence, valenceColor, valenceLabel } from './valence-scale.ts';

export type { GaugeState } from './reading-text.ts';

const STATE_TEXT: Record<GaugeState, string> = {
  idle: 'Not listening',
  listening: 'Listening…',
  'no-speech': 'No speech detected',
  held: 'Pause: holding the last reading',
  reading: '',
  error: 'Something went wrong',
};

// Gauge geometry in SVG units: centre of the arc, its radius and the stroke width.
const CX = 120;
const CY = 116;
const R = 96;
const STROKE = 18;
const SEGMENTS = 48; // the colour scale is drawn as this many short arcs

/** Point on the arc for valence v: -1 at the left end, +1 at the right end. */
function arcPoint(v: number, radius = R): [number, number] {
  const angle = (Math.PI * (1 - v)) / 2;
  return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arcPath(from: number, to: number, radius = R): string {
  const [x0, y0] = arcPoint(from, radius);
  const [x1, y1] = arcPoint(to, radius);
  return `M${x0.toFixed(2)},${y0.toFixed(2)} A${radius},${radius} 0 0 1 ${x1.toFixed(2)},${y1.toFixed(2)}`;
}

// The scale never changes, so its segments are built once, not per render.
const SCALE_SEGMENTS = Array.from({ length: SEGMENTS }, (_, i) => {
  const from = -1 + (2 * i) / SEGMENTS;
  const to = -1 + (2 * (i + 1)) / SEGMENTS;
  // A hair of overlap hides anti-aliasing seams between segments.
  return { d: arcPath(from, Math.min(1, to + 0.005)), color: valenceColor((from + to) / 2) };
});
const TICKS = [-1, -0.5, 0, 0.5, 1];

export class ValenceGauge extends LitElement {
  static override properties = {
    valence: { type: Number },
    state: { type: String },
    message: { type: String },
  };

  /** Latest valence in [-1, 1], or null when there is none to show. */
  declare valence: number | null;
  /** What the monitor is doing; decides the status line and dims a stale value. */
  declare state: GaugeState;
  /** Replaces the status line (e.g. an error's explanation). */
  declare message: string | undefined;

  constructor() {
    super();
    this.valence = null;
    this.state = 'idle';
    this.message = undefined;
  }

  static override styles = css`
    :host {
      --vm-gauge-fg: #1d2329;
      --vm-gauge-muted: #5d6773;
      --vm-gauge-track: #e4e7eb;
      --vm-gauge-needle: #1d2329;
      --vm-gauge-error: #b3261e;
      display: block;
      container-type: inline-size;
      max-width: 28rem;
      margin-inline: auto;
      color: var(--vm-gauge-fg);
      font-family: system-ui, sans-serif;
      text-align: center;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-gauge-fg: #e8ecf0;
        --vm-gauge-muted: #a3adb8;
        --vm-gauge-track: #2c333a;
        --vm-gauge-needle: #e8ecf0;
        --vm-gauge-error: #ff8a80;
      }
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
      overflow: visible;
    }
    .scale {
      transition: opacity 0.3s;
    }
    :host([data-state='idle']) .scale,
    :host([data-state='error']) .scale {
      opacity: 0.35;
    }
    .tick-label {
      fill: var(--vm-gauge-muted);
      font-size: 11px;
    }
    .needle {
      stroke: var(--vm-gauge-needle);
      stroke-width: 4;
      stroke-linecap: round;
      transform: rotate(var(--vm-needle-angle, 0deg));
      transition: transform 0.25s ease-out;
      transform-origin: ${CX}px ${CY}px;
    }
    .hub {
      fill: var(--vm-gauge-needle);
    }
    .readout {
      margin-top: -0.25rem;
    }
    .value {
      font-size: clamp(2.25rem, 16cqi, 3.5rem);
      font-weight: 650;
      font-variant-numeric: tabular-nums;
      line-height: 1.1;
      color: var(--vm-value-color);
    }
    .stale .value,
    .stale .label {
      opacity: 0.45;
    }
    .value.none {
      color: var(--vm-gauge-muted);
    }
    .label {
      font-size: 1.125rem;
      font-weight: 600;
      text-transform: capitalize;
    }
    .status {
      min-height: 1.5em;
      margin: 0.25rem 0 0;
      color: var(--vm-gauge-muted);
    }
    :host([data-state='error']) .status {
      color: var(--vm-gauge-error);
      font-weight: 600;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `;

  protected override willUpdate(): void {
    // Reflected before rendering so host-attribute styles and the shadow DOM agree.
    const v = clampValence(this.valence);
    this.dataset.valence = v === null ? '' : String(this.valence);
    this.dataset.state = this.state;
  }

  override render() {
    const v = clampValence(this.valence);
    const label = v === null ? null : valenceLabel(v);
    const stale = this.state !== 'reading';
    const status = this.message ?? STATE_TEXT[this.state] ?? '';
    const valueText = v === null ? 'no reading' : `${formatValence(v)}, ${label}`;
    // Announce the label and state, not every number: readings come twice a second.
    const announcement =
      this.state === 'reading' && label ? `Valence ${label}` : this.message ?? STATE_TEXT[this.state] ?? '';
    return html`
      <div
        role="meter"
        aria-label="Valence"
        aria-valuemin="-1"
        aria-valuemax="1"
        aria-valuenow=${v ?? 0}
        aria-valuetext=${valueText}
      >
        <svg viewBox="0 -14 240 160" aria-hidden="true">
          <path d=${arcPath(-1, 1)} stroke="var(--vm-gauge-track)" stroke-width=${STROKE + 6} fill="none" />
          <g class="scale">
            ${SCALE_SEGMENTS.map((s) => svg`<path d=${s.d} stroke=${s.color} stroke-width=${STROKE} fill="none" />`)}
            ${this.renderBand()}
          </g>
          ${TICKS.map((t) => this.renderTick(t))}
          ${v === null ? nothing : this.renderNeedle(v)}
        </svg>
        <div class="readout ${stale ? 'stale' : ''}">
          <div class="value ${v === null ? 'none' : ''}" ${cssProps(v === null ? {} : { '--vm-value-color': valenceColor(v) })}>
            ${v === null ? '\u2014' : formatValence(v)}
          </div>
          <div class="label">${label ?? '\u00a0'}</div>
        </div>
      </div>
      <p class="status">${status}</p>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${announcement}</div>
    `;
  }

  private renderBand() {
    // Thin marks at the neutral band's edges.
    return [-NEUTRAL_BAND, NEUTRAL_BAND].map((b) => {
      const [x0, y0] = arcPoint(b, R - STROKE / 2);
      const [x1, y1] = arcPoint(b, R + STROKE / 2);
      return svg`<line x1=${x0} y1=${y0} x2=${x1} y2=${y1} stroke="var(--vm-gauge-track)" stroke-width="2" />`;
    });
  }

  private renderTick(t: number) {
    // Inner ticks sit outside the arc; the end labels sit under the arc's ends.
    const end = Math.abs(t) === 1;
    const [x, y] = end ? [CX + t * R, CY + STROKE / 2 + 16] : arcPoint(t, R + STROKE / 2 + 8);
    const text = t === 0 ? '0' : t > 0 ? `+${t}` : `−${-t}`;
    const anchor = end || t === 0 ? 'middle' : t < 0 ? 'end' : 'start';
    return svg`<text class="tick-label" x=${x} y=${y} text-anchor=${anchor}>${text}</text>`;
  }

  private renderNeedle(v: number) {
    // Drawn pointing at 0 (straight up) and rotated, so the transition sweeps along the arc.
    const degrees = v * 90;
    return svg`
      <line class="needle" x1=${CX} y1=${CY} x2=${CX} y2=${CY - R + STROKE / 2 + 4}
        ${cssProps({ '--vm-needle-angle': `${degrees}deg` })} />
      <circle class="hub" cx=${CX} cy=${CY} r="7" />
    `;
  }
}

customElements.define('vm-valence-gauge', ValenceGauge);

declare global {
  interface HTMLElementTagNameMap {
    'vm-valence-gauge': ValenceGauge;
  }
}
