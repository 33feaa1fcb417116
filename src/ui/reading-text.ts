// What the live monitor says about its state in words: the gauge's state and message,
// whether and what the arousal meter shows, the capture line and the cost line under it,
// and the one-line summary of an analysed file.
// Pure functions of the app's state (no Lit, no DOM), so they are tested in Node.
import { headlineRuleText, type FileHeadline } from '../worker/file-headline.ts';
import type { LiveReading, ModelStatusMessage } from '../worker/protocol.ts';
import { formatValence } from './valence-scale.ts';

/** What the gauge shows; it reflects this as its data-state attribute. */
export type GaugeState = 'idle' | 'listening' | 'no-speech' | 'held' | 'reading' | 'error';

/** Where the live session is: 'starting' while the microphone opens. */
export type SessionPhase = 'idle' | 'starting' | 'running';

/** The state the gauge is drawn from. */
export interface MonitorState {
  phase: SessionPhase;
  /** A capture or worker error to show (undefined: none). */
  errorMessage: string | undefined;
  /** The worker's model status. */
  model: ModelStatusMessage;
  /** The latest reading of the running session (null before the first). */
  last: LiveReading | null;
  /** Seconds between readings. */
  hopSeconds: number;
}

/** The capture facts the info line names (a CaptureSession has them). */
export interface CaptureInfo {
  deviceLabel: string;
  sampleRate: number;
  mode: 'ring' | 'message';
}

/** Whether the latest reading has a number to show: speech now, or a pause that holds the last one. */
const shown = (s: Pick<MonitorState, 'phase' | 'last'>): boolean => s.phase === 'running' && !!(s.last?.speech || s.last?.held);

/** The gauge's number: the smoothed valence while listening to speech or through a short pause, else none. */
export function gaugeValence(s: Pick<MonitorState, 'phase' | 'last'>): number | null {
  return shown(s) ? s.last!.smoothed : null;
}

/**
 * Whether the screen shows arousal: for a loaded two-output model (SPEC section 3), and
 * while the active model loads when its stored config says two outputs (`expected`), so
 * the meter's place is taken from the start instead of pushing the controls down later.
 */
export function showsArousal(model: ModelStatusMessage, expected?: number): boolean {
  if (model.state === 'ready') return model.outputs === 2;
  return model.state !== 'failed' && expected === 2;
}

/** The arousal meter's number: the smoothed arousal exactly where the gauge has a number. */
export function gaugeArousal(s: Pick<MonitorState, 'phase' | 'last'>): number | null {
  return shown(s) ? s.last!.smoothedArousal : null;
}

export function gaugeState(s: Pick<MonitorState, 'phase' | 'errorMessage' | 'model' | 'last'>): GaugeState {
  if (s.errorMessage || s.model.state === 'failed') return 'error';
  if (s.phase !== 'running') return 'idle';
  if (!s.last) return 'listening';
  if (!s.last.speech) return s.last.held && s.last.smoothed !== null ? 'held' : 'no-speech';
  return s.last.smoothed === null ? 'listening' : 'reading';
}

/**
 * The model's state where a user sees it, in the gauge's status line while it is not ready
 * (the full engine status, with backends and timings, sits in the Diagnostics section); null
 * once ready. In the gauge, not a line of its own: a line that comes and goes pushed the
 * controls down and up again.
 */
export function modelStatusLine(model: ModelStatusMessage): { text: string; alert: boolean } | null {
  switch (model.state) {
    case 'loading':
      return { text: 'Loading the model…', alert: false };
    case 'measuring':
      return { text: 'Getting the model ready…', alert: false };
    case 'failed':
      return { text: model.message ?? 'The model failed to load.', alert: true };
    default:
      return null;
  }
}

/** Replaces the gauge's status line; undefined keeps the gauge's own text for its state. */
export function gaugeMessage(s: MonitorState): string | undefined {
  if (s.errorMessage) return s.errorMessage;
  if (s.model.state === 'failed') return s.model.message;
  if (s.phase === 'running' && s.model.state !== 'ready') return 'Listening… the model is still loading';
  if (s.phase === 'running' && !s.last) return `Listening… first reading after ${s.hopSeconds} s`;
  if (s.phase === 'idle') return modelStatusLine(s.model)?.text;
  return undefined;
}

/** "Mic · 48000 Hz · shared ring buffer · 3.2 s received"; '' when not capturing. */
export function infoText(capture: CaptureInfo | null, receivedSamples: number, skipped: number): string {
  if (!capture) return '';
  const transport = capture.mode === 'ring' ? 'shared ring buffer' : 'message fallback';
  const seconds = (receivedSamples / capture.sampleRate).toFixed(1);
  const skippedText = skipped > 0 ? ` · ${skipped} readings skipped to keep up` : '';
  return `${capture.deviceLabel || 'Microphone'} · ${capture.sampleRate} Hz · ${transport} · ${seconds} s received${skippedText}`;
}

/** Milliseconds as shown: one decimal under 10 ms, none from 10 ms. */
function ms(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1);
}

/** What the last reading cost, stage by stage, and how late it reached the screen. */
export function costText(last: LiveReading | null, running: boolean, latencyMs: number | null): string {
  if (!last || !running) return '';
  const t = last.timings;
  const latency = latencyMs === null ? '' : ` · on screen ${ms(latencyMs)} ms after the audio`;
  const stages = last.speech
    ? `resample ${ms(t.resampleMs)} ms · Mel ${ms(t.melMs)} ms · CNN ${ms(t.cnnMs)} ms`
    : `no speech (resample ${ms(t.resampleMs)} ms · gate ${ms(t.gateMs)} ms; no CNN run)`;
  return `Last reading: ${stages}${latency}`;
}

/** An analysed file, as its summary line names it. */
export interface FileSummary {
  name: string;
  samples: number;
  sampleRate: number;
  decoder: 'wav' | 'browser';
  readings: readonly LiveReading[];
  headline: FileHeadline;
}

/**
 * "a.wav: 12.2 s at 44100 Hz (WAV decoder, no resampling) · 24 readings, 18 with speech ·
 * valence +0.12 (mean of 18 speech readings, 7.7 s windows every 0.5 s)": the file's one
 * figure and its rule, as `npm run analyze` prints them.
 */
export function fileSummaryText(f: FileSummary): string {
  const seconds = f.samples / f.sampleRate;
  const voiced = f.readings.filter((r) => r.speech && r.valence !== null);
  const how = f.decoder === 'wav' ? 'WAV decoder, no resampling' : `browser decoder, at ${f.sampleRate} Hz`;
  const h = f.headline;
  const figure =
    h.valence === null
      ? headlineRuleText(h)
      : `valence ${formatValence(h.valence)}${h.arousal === null ? '' : `, arousal ${formatValence(h.arousal)}`} (${headlineRuleText(h)})`;
  return `${f.name}: ${seconds.toFixed(1)} s at ${f.sampleRate} Hz (${how}) · ${f.readings.length} readings, ${voiced.length} with speech · ${figure}`;
}
