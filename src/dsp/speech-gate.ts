// Speech/silence gate for live readings: decides from a window's 8 kHz samples whether
// someone is speaking *now*, so the monitor shows "no speech" instead of a valence number
// for silence or steady background noise. Pure and deterministic; the live worker and
// `analyze --timeline` call the same function on the same window, so their gate agrees.
//
// Energy based, with a noise floor: the recent part of the window is cut into short
// frames; a frame is "active" when its level is above an absolute floor AND clearly above
// the window's own noise floor (a low percentile of its frame levels). Speech needs
// enough active frames in the recent part. The relative test keeps a loud fan or hum from
// counting as speech; the absolute one keeps a quiet room with zero-filled history from it.
import { TARGET_RATE } from './params.ts';

export interface SpeechGateOptions {
  /** Seconds at the end of the window that must contain speech (default 1.5). */
  recentSeconds?: number;
  /** Frame length in samples at 8 kHz (default 256 = 32 ms). */
  frameLength?: number;
  /** A frame below this RMS level (dBFS) is never active (default -50). */
  absoluteFloorDb?: number;
  /** An active frame is at least this many dB above the noise floor (default 12). */
  marginDb?: number;
  /** Percentile of the window's frame levels taken as its noise floor (default 0.2). */
  noisePercentile?: number;
  /** Speech needs at least this many seconds of active frames in the recent part (default 0.15). */
  minActiveSeconds?: number;
}

export interface SpeechGateResult {
  /** Someone is speaking in the recent part of the window. */
  speech: boolean;
  /** Loudest recent frame, dBFS (-Infinity for digital silence). */
  levelDb: number;
  /** Noise floor estimate of the whole window, dBFS. */
  noiseDb: number;
  /** Fraction of recent frames that were active (0..1). */
  activeFraction: number;
}

const DEFAULTS: Required<SpeechGateOptions> = {
  recentSeconds: 1.5,
  frameLength: 256,
  absoluteFloorDb: -50,
  marginDb: 12,
  noisePercentile: 0.2,
  minActiveSeconds: 0.15,
};

/** Full options with defaults filled in; throws RangeError naming a bad value. */
export function gateOptions(opts: SpeechGateOptions = {}): Required<SpeechGateOptions> {
  const o = { ...DEFAULTS, ...opts };
  const positive = (v: number, name: string) => {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`speech gate: ${name} must be a positive number, got ${v}`);
  };
  positive(o.recentSeconds, 'recentSeconds');
  positive(o.minActiveSeconds, 'minActiveSeconds');
  if (!Number.isInteger(o.frameLength) || o.frameLength < 1) {
    throw new RangeError(`speech gate: frameLength must be a whole number >= 1, got ${o.frameLength}`);
  }
  if (!(o.noisePercentile >= 0 && o.noisePercentile <= 1)) {
    throw new RangeError(`speech gate: noisePercentile must be in [0, 1], got ${o.noisePercentile}`);
  }
  if (!Number.isFinite(o.absoluteFloorDb) || !Number.isFinite(o.marginDb)) {
    throw new RangeError('speech gate: absoluteFloorDb and marginDb must be finite numbers');
  }
  return o;
}

/** RMS level of x[from, from + n) in dBFS (-Infinity for all zeros). */
function frameDb(x: Float32Array, from: number, n: number): number {
  let sum = 0;
  for (let i = from; i < from + n; i++) sum += x[i] * x[i];
  return sum > 0 ? 10 * Math.log10(sum / n) : -Infinity;
}

/**
 * Gate of one analysis window (8 kHz samples, newest last, as ReadingPoint.window()
 * returns). Frames are aligned to the window's end, so the newest samples always count.
 */
export function speechGate(window: Float32Array, opts: SpeechGateOptions = {}): SpeechGateResult {
  const o = gateOptions(opts);
  const n = o.frameLength;
  const frames = Math.floor(window.length / n);
  if (frames === 0) return { speech: false, levelDb: -Infinity, noiseDb: -Infinity, activeFraction: 0 };
  const start = window.length - frames * n;
  const levels = new Float64Array(frames);
  for (let f = 0; f < frames; f++) levels[f] = frameDb(window, start + f * n, n);

  // Noise floor over frames that hold signal: the zero-filled start of a young window
  // (and digital silence) would otherwise pull the floor to -Infinity.
  const heard = Array.from(levels).filter((v) => v > -Infinity).sort((a, b) => a - b);
  const noiseDb = heard.length === 0 ? -Infinity : heard[Math.min(heard.length - 1, Math.floor(o.noisePercentile * heard.length))];
  const threshold = Math.max(o.absoluteFloorDb, noiseDb + o.marginDb);

  const recent = Math.min(frames, Math.max(1, Math.round((o.recentSeconds * TARGET_RATE) / n)));
  let active = 0;
  let levelDb = -Infinity;
  for (let f = frames - recent; f < frames; f++) {
    if (levels[f] > levelDb) levelDb = levels[f];
    if (levels[f] >= threshold) active++;
  }
  const needed = Math.max(1, Math.round((o.minActiveSeconds * TARGET_RATE) / n));
  return { speech: active >= needed, levelDb, noiseDb, activeFraction: active / recent };
}
