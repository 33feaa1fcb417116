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
 * Time range shown: from the start of the recording (t = 0) over `span` seconds until the
 * readings outgrow them, then the latest `span` seconds (a live chart fills from the left,
 * then scrolls). A finished recording passes its own length as the span.
 */
export function timeDomain(readings: readonly Reading[], span: number): [number, number] {
  if (readings.length === 0) return [0, span];
  const last = readings[readings.length - 1].t;
  return last <= span ? [0, span] : [last - span, last];
}

/** Steps between time ticks, in seconds: the first that gives at most `maxTicks` ticks is used. */
const TICK_STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Tick times inside `domain` (inclusive), on whole multiples of a step from TICK_STEPS. */
export function timeTicks(domain: [number, number], maxTicks = 6): number[] {
  const [t0, t1] = domain;
  const width = t1 - t0;
  if (!(width > 0)) return [t0];
  const step = TICK_STEPS.find((s) => Math.floor(t1 / s) - Math.ceil(t0 / s) + 1 <= maxTicks) ?? Math.ceil(width / maxTicks / 3600) * 3600;
  const ticks: number[] = [];
  for (let k = Math.ceil(t0 / step - 1e-9); k * step <= t1 + 1e-9; k++) ticks.push(Math.round(k * step * 1000) / 1000 + 0); // + 0: no -0
  return ticks;
}

/** A tick's label: tenths where the ticks are half a second apart, else formatSeconds. */
export function formatTick(t: number, ticks: readonly number[]): string {
  const fine = ticks.some((x) => Math.abs(x - Math.round(x)) > 1e-9);
  return fine && t < 60 ? `${t.toFixed(1)} s` : formatSeconds(t);
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
