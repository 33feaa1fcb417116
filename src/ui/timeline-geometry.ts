// Geometry of the valence timeline: which stretch of time is shown and the SVG path of
// the readings (valence, or arousal for a two-output model's second line), with a gap
// wherever a reading is null. Pure, so it is tested in Node.
import { clampValence } from './valence-scale.ts';

export interface Reading {
  /** Seconds from the start of the recording. */
  t: number;
  /** Valence in [-1, 1], or null where there was no speech / no reading. */
  valence: number | null;
  /** Arousal in [-1, 1] of a two-output model; null or absent where there is none. */
  arousal?: number | null;
}

/** Which number of a reading a line draws. */
export type ReadingValue = (r: Reading) => number | null | undefined;

const valenceOf: ReadingValue = (r) => r.valence;

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Time range shown: the first `span` seconds until the readings outgrow them, then the
 * latest `span` seconds (a live chart fills from the left, then scrolls).
 */
export function timeDomain(readings: readonly Reading[], span: number): [number, number] {
  if (readings.length === 0) return [0, span];
  const first = readings[0].t;
  const last = readings[readings.length - 1].t;
  return last - first <= span ? [first, first + span] : [last - span, last];
}

export interface TimelineShape {
  /** SVG path data: one "M ... L ..." run per unbroken stretch of readings. */
  path: string;
  /** Readings with null on both sides: a lone point that a path cannot show. */
  dots: { x: number; y: number }[];
}

/**
 * Path of the readings (sorted by t) inside `box`; y maps +1 to the top, -1 to the bottom.
 * `value` picks the number drawn (default: valence).
 */
export function timelineShape(
  readings: readonly Reading[],
  domain: [number, number],
  box: PlotBox,
  value: ReadingValue = valenceOf,
): TimelineShape {
  const [t0, t1] = domain;
  const scaleX = box.width / (t1 - t0 || 1);
  const x = (t: number) => round(box.left + (t - t0) * scaleX);
  const y = (v: number) => round(box.top + ((1 - v) / 2) * box.height);
  const parts: string[] = [];
  const dots: { x: number; y: number }[] = [];
  let run: { x: number; y: number }[] = [];
  const flush = () => {
    if (run.length === 1) dots.push(run[0]);
    else if (run.length > 1) parts.push(run.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' '));
    run = [];
  };
  for (const r of readings) {
    if (r.t < t0 || r.t > t1) continue; // outside the window: not drawn, and no gap either
    const v = clampValence(value(r));
    if (v === null) flush();
    else run.push({ x: x(r.t), y: y(v) });
  }
  flush();
  return { path: parts.join(' '), dots };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "12 s", "1:05", "1:02:03": short labels for the time axis. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
