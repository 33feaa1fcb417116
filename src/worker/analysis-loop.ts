// The live monitor's update loop, free of browser APIs so Node tests can run it: input
// chunks at the capture rate go through the one LiveWindow, the speech gate and an
// injected predict function (valence, and arousal for a two-output model, from one pass),
// and come out as readings. It never queues: each process()
// call evaluates only the newest reading point its chunk reaches and counts the older ones
// as skipped, so a caller that hands over everything that arrived while the previous
// reading was computed catches up at once. analyzeSignal() is the file timeline: a whole
// signal through the same loop with every reading point evaluated (the app's file
// analysis and `analyze --timeline`); analyzeChunks() the same for a signal read in blocks.
import { LiveWindow, readingInputSamples, type ReadingPoint } from '../dsp/live-window.ts';
import { DEFAULT_HOP_SECONDS, type FeatureType } from '../dsp/params.ts';
import { speechGate, type SpeechGateOptions } from '../dsp/speech-gate.ts';
import type { LiveReading } from './protocol.ts';
import type { LoudnessNormalisation } from '../dsp/loudness.ts';
import { ExpSmoother } from './smoother.ts';
import { clampUnit } from '../model/output-range.ts';

/**
 * Ordinary speech pauses for up to about 1 s between phrases (and the gate needs ~0.15 s of
 * speech in its last 1.5 s): 3 s holds through them and still lets a real silence show.
 */
export const DEFAULT_HOLD_SECONDS = 3;

/** The model's outputs for one window: arousal is null for a one-output model. */
export interface WindowPrediction {
  valence: number;
  arousal: number | null;
}

/**
 * The model on one window's features (mels x frames, row-major), one forward pass; may be
 * async (WebGL). windowPredictor() makes one from a TF.js model.
 */
export type PredictFn = (features: Float32Array) => WindowPrediction | Promise<WindowPrediction>;

export interface AnalysisLoopOptions {
  /** Capture sample rate (Hz). */
  inputRate: number;
  /** Features the model reads (its config.features). */
  features: FeatureType;
  /** The model's loudness normalisation (its card says), if any. */
  normalisation?: LoudnessNormalisation | null;
  /** Seconds between readings (default 0.5). */
  hopSeconds?: number;
  /**
   * Smoothing time constant in seconds for `smoothed` and `smoothedArousal` (exponential,
   * over speech readings, carried over pauses up to holdSeconds; reset by longer silence).
   * 0 or absent: no smoothing, `smoothed` equals `valence` and `smoothedArousal` equals `arousal`.
   */
  smoothingSeconds?: number;
  /**
   * Longest pause, in seconds since the last speech reading, through which readings are
   * `held` (default DEFAULT_HOLD_SECONDS); 0: none, every silence shows as no speech.
   */
  holdSeconds?: number;
  gate?: SpeechGateOptions;
  /** The model, or null while none is loaded: readings then carry no valence. */
  predict: PredictFn | null;
  /** Clock for stage timings (ms); performance.now in the browser. */
  now?: () => number;
}

/** The newest reading point of a chunk, captured inside LiveWindow's callback. */
interface Captured {
  point: Pick<ReadingPoint, 'index' | 'time' | 'inputSamples'>;
  speech: boolean;
  levelDb: number;
  features: Float32Array | null;
  melMs: number;
  gateMs: number;
}

export class AnalysisLoop {
  readonly inputRate: number;
  readonly hopSeconds: number;
  private readonly live: LiveWindow;
  private readonly gate: SpeechGateOptions | undefined;
  private readonly now: () => number;
  private predict: PredictFn | null;
  private skipped = 0;
  /** Resampling time since the last reading: input arrives in many small chunks. */
  private resampleMs = 0;
  private readonly smoothValence: ExpSmoother;
  private readonly smoothArousal: ExpSmoother;
  private readonly holdSeconds: number;
  /** Time of the last speech reading with a valence; null after a silence longer than the hold. */
  private lastSpeechTime: number | null = null;

  constructor(opts: AnalysisLoopOptions) {
    this.inputRate = opts.inputRate;
    this.hopSeconds = opts.hopSeconds ?? DEFAULT_HOP_SECONDS;
    this.live = new LiveWindow(opts.inputRate, {
      hopSeconds: this.hopSeconds,
      features: opts.features,
      normalisation: opts.normalisation ?? null,
    });
    this.smoothValence = new ExpSmoother(opts.smoothingSeconds ?? 0);
    this.smoothArousal = new ExpSmoother(opts.smoothingSeconds ?? 0);
    const hold = opts.holdSeconds ?? DEFAULT_HOLD_SECONDS;
    if (!(Number.isFinite(hold) && hold >= 0)) throw new RangeError(`holdSeconds must be >= 0, got ${hold}`);
    this.holdSeconds = hold;
    this.gate = opts.gate;
    this.predict = opts.predict;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Input samples consumed so far. */
  get inputSamples(): number {
    return this.live.inputSamples;
  }

  /** Installs (or removes) the model, e.g. once it has loaded. */
  setPredict(predict: PredictFn | null): void {
    this.predict = predict;
  }

  /**
   * Feeds a chunk and returns the reading of the newest reading point it reaches (null if
   * it reaches none). Older points in the same chunk are skipped, never evaluated later.
   */
  async process(chunk: Float32Array): Promise<LiveReading | null> {
    const chunkEnd = this.live.inputSamples + chunk.length;
    const hop = this.hopSeconds;
    const rate = this.inputRate;
    // Declared through a cast: TS cannot see the callback assign it.
    let captured = null as Captured | null;
    let visitMs = 0;
    const t0 = this.now();
    this.live.push(chunk, (r) => {
      // A later point in this same chunk makes this one stale: skip it, compute nothing.
      if (readingInputSamples(r.index + 1, hop, rate) <= chunkEnd) {
        this.skipped++;
        return;
      }
      const v0 = this.now();
      const gate = speechGate(r.window(), this.gate);
      const g1 = this.now();
      // features() is valid only inside this callback: copy it out. Silence needs no CNN,
      // so no Mel either.
      const features = gate.speech && this.predict ? Float32Array.from(r.features().data) : null;
      const m1 = this.now();
      captured = {
        point: { index: r.index, time: r.time, inputSamples: r.inputSamples },
        speech: gate.speech,
        levelDb: gate.levelDb,
        features,
        melMs: m1 - g1,
        gateMs: g1 - v0,
      };
      visitMs += m1 - v0;
    });
    this.resampleMs += this.now() - t0 - visitMs;
    const c = captured;
    if (c === null) return null;

    let valence: number | null = null;
    let arousal: number | null = null;
    let cnnMs = 0;
    if (c.features && this.predict) {
      const p0 = this.now();
      const p = await this.predict(c.features);
      cnnMs = this.now() - p0;
      valence = clampUnit(p.valence);
      arousal = p.arousal === null ? null : clampUnit(p.arousal);
    }
    const skipped = this.skipped;
    const resampleMs = this.resampleMs;
    this.skipped = 0;
    this.resampleMs = 0;
    const time = c.point.time;
    const held = !c.speech && this.lastSpeechTime !== null && time - this.lastSpeechTime <= this.holdSeconds + 1e-9;
    let smoothed: number | null;
    let smoothedArousal: number | null;
    if (held) {
      smoothed = this.smoothValence.current;
      smoothedArousal = this.smoothArousal.current;
    } else {
      if (!c.speech) {
        this.smoothValence.reset();
        this.smoothArousal.reset();
      }
      smoothed = this.smoothValence.next(valence, time);
      smoothedArousal = this.smoothArousal.next(arousal, time);
      this.lastSpeechTime = valence !== null ? time : null;
    }
    return {
      index: c.point.index,
      time,
      inputSamples: c.point.inputSamples,
      speech: c.speech,
      held,
      levelDb: Number.isFinite(c.levelDb) ? c.levelDb : null,
      valence,
      smoothed,
      arousal,
      smoothedArousal,
      skipped,
      timings: { resampleMs, gateMs: c.gateMs, melMs: c.melMs, cnnMs },
    };
  }
}

/**
 * A whole signal through a fresh AnalysisLoop, fed up to one reading point at a time so
 * that every point is evaluated (none skipped): the readings of the file timeline, in time
 * order. Input after the last reading point reaches no reading, except in a signal shorter
 * than one hop: it gets the one reading at t_1, silence after it, as the live monitor shows
 * it (readingAfterUtterance's rule), rather than no reading at all.
 */
export function analyzeSignal(samples: Float32Array, opts: AnalysisLoopOptions): Promise<LiveReading[]> {
  return analyzeChunks([samples], opts);
}

/**
 * analyzeSignal of a signal that arrives in chunks (a long file read block by block): the
 * same readings, whatever the chunking, with only one chunk in memory at a time.
 */
export async function analyzeChunks(
  chunks: Iterable<Float32Array> | AsyncIterable<Float32Array>,
  opts: AnalysisLoopOptions,
): Promise<LiveReading[]> {
  const loop = new AnalysisLoop(opts);
  const readings: LiveReading[] = [];
  const pointAt = (k: number) => readingInputSamples(k, loop.hopSeconds, loop.inputRate);
  let k = 1;
  let end = pointAt(1);
  const feed = async (chunk: Float32Array) => {
    // Pieces never cross a reading point, so each point is the newest of its piece: none skipped.
    for (let at = 0; at < chunk.length; ) {
      const piece = chunk.subarray(at, at + (end - loop.inputSamples));
      at += piece.length;
      const reading = await loop.process(piece);
      if (loop.inputSamples === end) {
        if (reading) readings.push(reading);
        end = pointAt(++k);
      }
    }
  };
  for await (const chunk of chunks) await feed(chunk);
  const fed = loop.inputSamples;
  if (fed > 0 && fed < pointAt(1)) await feed(new Float32Array(pointAt(1) - fed));
  return readings;
}
