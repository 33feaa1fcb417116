// <vm-valence-timeline>: valence over time as an SVG line chart, -1 at the bottom, +1 at
// the top, the neutral band shaded, a gap wherever a reading is null (no speech). Where
// readings carry arousal (a two-output model), it is a second, thinner line in its own
// colour, with a legend. It draws at its real pixel width (a ResizeObserver), so text
// stays legible from 320 px up.
import { LitElement, css, html, nothing, svg } from 'lit';
import { formatSeconds, formatTick, timeDomain, timeTicks, timelineShape, type Reading, type ReadingValue } from './timeline-geometry.ts';
import { NEUTRAL_BAND, valenceColor } from './valence-scale.ts';

export type { Reading } from './timeline-geometry.ts';

const HEIGHT = 160;
const PAD = { left: 30, right: 8, top: 10, bottom: 22 };
const arousalOf: ReadingValue = (r) => r.arousal;

export class ValenceTimeline extends LitElement {
  static override properties = {
    readings: { attribute: false },
    spanSeconds: { type: Number, attribute: 'span-seconds' },
    width: { state: true },
  };

  /** Readings sorted by time; replace the array (do not mutate it) to redraw. */
  declare readings: readonly Reading[];
  /** Seconds of time shown at once (default 60); older readings scroll off. */
  declare spanSeconds: number;
  /** Measured width in CSS pixels. */
  declare private width: number;

  private resizeObserver: ResizeObserver | null = null;

  constructor() {
    super();
    this.readings = [];
    this.spanSeconds = 60;
    this.width = 600;
  }

  static override styles = css`
    :host {
      --vm-timeline-fg: #1d2329;
      --vm-timeline-muted: #5d6773;
      --vm-timeline-grid: #dde1e6;
      --vm-timeline-band: rgba(138, 143, 152, 0.14);
      --vm-timeline-line: #3a6fd8;
      --vm-timeline-arousal: #c26a12;
      display: block;
      color: var(--vm-timeline-fg);
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-timeline-fg: #e8ecf0;
        --vm-timeline-muted: #a3adb8;
        --vm-timeline-grid: #333b44;
        --vm-timeline-band: rgba(138, 143, 152, 0.18);
        --vm-timeline-line: #7fa7ff;
        --vm-timeline-arousal: #f0a24e;
      }
    }
    svg {
      display: block;
      width: 100%;
      height: ${HEIGHT}px;
    }
    text {
      fill: var(--vm-timeline-muted);
      font-size: 11px;
    }
    .grid {
      stroke: var(--vm-timeline-grid);
      stroke-width: 1;
    }
    .zero {
      stroke: var(--vm-timeline-muted);
      stroke-dasharray: 3 3;
    }
    .band {
      fill: var(--vm-timeline-band);
    }
    .tick {
      stroke: var(--vm-timeline-grid);
      stroke-width: 1;
    }
    .line {
      fill: none;
      /* coloured by valence: the gradient runs from +1 (top) to -1 (bottom) */
      stroke: url(#valence-stroke);
      stroke-width: 2;
      stroke-linejoin: round;
      stroke-linecap: round;
    }
    .dot {
      fill: url(#valence-stroke);
    }
    .arousal-line {
      fill: none;
      stroke: var(--vm-timeline-arousal);
      stroke-width: 1.25;
      stroke-linejoin: round;
      stroke-linecap: round;
    }
    .arousal-dot {
      fill: var(--vm-timeline-arousal);
    }
    .legend {
      display: flex;
      justify-content: flex-end;
      gap: 1rem;
      margin-bottom: 0.15rem;
      font-size: 0.75rem;
      color: var(--vm-timeline-muted);
    }
    .key {
      display: inline-block;
      width: 1rem;
      margin-right: 0.35rem;
      vertical-align: middle;
      border-top: 2px solid var(--vm-timeline-line);
    }
    .key.arousal {
      border-top: 1.5px solid var(--vm-timeline-arousal);
    }
    .empty {
      fill: var(--vm-timeline-muted);
      font-size: 13px;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]?.contentRect.width ?? 0);
      if (width > 0 && width !== this.width) this.width = width;
    });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  override render() {
    const width = this.width;
    const box = {
      left: PAD.left,
      top: PAD.top,
      width: Math.max(1, width - PAD.left - PAD.right),
      height: HEIGHT - PAD.top - PAD.bottom,
    };
    const span = this.spanSeconds > 0 ? this.spanSeconds : 60;
    const domain = timeDomain(this.readings, span);
    const shape = timelineShape(this.readings, domain, box);
    const arousal = timelineShape(this.readings, domain, box, arousalOf);
    const hasArousal = arousal.path !== '' || arousal.dots.length > 0;
    const yOf = (v: number) => box.top + ((1 - v) / 2) * box.height;
    const right = box.left + box.width;
    const hasData = shape.path !== '' || shape.dots.length > 0;
    const ticks = timeTicks(domain);
    const xOf = (t: number) => box.left + ((t - domain[0]) / (domain[1] - domain[0] || 1)) * box.width;
    return html`
      ${hasArousal
        ? html`<div class="legend" aria-hidden="true">
            <span><span class="key"></span>valence</span><span><span class="key arousal"></span>arousal</span>
          </div>`
        : nothing}
      <svg
        viewBox="0 0 ${width} ${HEIGHT}"
        role="img"
        aria-label=${this.describe()}
      >
        <rect class="band" x=${box.left} y=${yOf(NEUTRAL_BAND)} width=${box.width}
          height=${yOf(-NEUTRAL_BAND) - yOf(NEUTRAL_BAND)} />
        ${[1, -1].map((v) => svg`<line class="grid" x1=${box.left} x2=${right} y1=${yOf(v)} y2=${yOf(v)} />`)}
        <line class="zero" x1=${box.left} x2=${right} y1=${yOf(0)} y2=${yOf(0)} />
        <text x=${box.left - 6} y=${yOf(1) + 4} text-anchor="end">+1</text>
        <text x=${box.left - 6} y=${yOf(0) + 4} text-anchor="end">0</text>
        <text x=${box.left - 6} y=${yOf(-1) + 4} text-anchor="end">\u22121</text>
        <defs>
          <linearGradient id="valence-stroke" gradientUnits="userSpaceOnUse" x1="0" y1=${yOf(1)} x2="0" y2=${yOf(-1)}>
            ${[1, 0.5, NEUTRAL_BAND, 0, -NEUTRAL_BAND, -0.5, -1].map((v) => svg`<stop offset=${(1 - v) / 2} stop-color=${valenceColor(v)} />`)}
          </linearGradient>
        </defs>
        ${ticks.map((t, i) => {
          const x = xOf(t);
          const anchor = i === 0 && x - box.left < 12 ? 'start' : i === ticks.length - 1 && right - x < 12 ? 'end' : 'middle';
          return svg`<line class="tick" x1=${x} x2=${x} y1=${box.top + box.height} y2=${box.top + box.height + 4} />
            <text class="tick-label" x=${x} y=${HEIGHT - 6} text-anchor=${anchor}>${formatTick(t, ticks)}</text>`;
        })}
        ${arousal.path ? svg`<path class="arousal-line" d=${arousal.path} />` : nothing}
        ${arousal.dots.map((d) => svg`<circle class="arousal-dot" cx=${d.x} cy=${d.y} r="2" />`)}
        ${shape.path ? svg`<path class="line" d=${shape.path} />` : nothing}
        ${shape.dots.map((d) => svg`<circle class="dot" cx=${d.x} cy=${d.y} r="2.5" />`)}
        ${hasData
          ? nothing
          : svg`<text class="empty" x=${box.left + box.width / 2} y=${yOf(0) - 8} text-anchor="middle">No readings yet</text>`}
      </svg>
    `;
  }

  /** A short text alternative: how many readings and the latest one (with its arousal, where it has one). */
  private describe(): string {
    for (let i = this.readings.length - 1; i >= 0; i--) {
      const { t, valence, arousal } = this.readings[i];
      if (valence !== null) {
        const withArousal = arousal === null || arousal === undefined ? '' : ` (arousal ${arousal.toFixed(2)})`;
        return `Valence over time: ${this.readings.length} readings, latest ${valence.toFixed(2)}${withArousal} at ${formatSeconds(t)}`;
      }
    }
    return 'Valence over time: no readings yet';
  }
}

customElements.define('vm-valence-timeline', ValenceTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'vm-valence-timeline': ValenceTimeline;
  }
}
