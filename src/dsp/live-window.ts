// The live window of SPEC section 1, defined once for the live monitor and for
// `analyze --timeline`: readings at t_k = k * hop; the reading at t_k takes the newest
// WINDOW_LENGTH samples of the 8 kHz stream that the streaming resampler can compute
// from the input up to t_k, zero-filled at the start until that many exist.
// Chunks of any size go in; a chunk boundary never changes a number, because readings
// are cut at exact input sample counts, whatever the chunking.
import { DEFAULT_HOP_SECONDS, TARGET_RATE, WINDOW_LENGTH, type FeatureType } from './params.ts';
import { StreamingResampler } from './resample.ts';
import { SlidingMel } from './sliding-mel.ts';
import type { Spectrogram } from './mel.ts';
import { toFeatures } from './features.ts';
import { windowFeatures } from './pipeline.ts';
import type { LoudnessNormalisation } from './loudness.ts';
import { SignalError, assertFiniteSamples, assertSampleRate } from './validate.ts';

export interface LiveWindowOptions {
  /** Seconds between readings (SPEC default 0.5). */
  hopSeconds?: number;
  /** Features the model reads. */
  features: FeatureType;
  /** The model's loudness normalisation of each window (its card says), if any. */
  normalisation?: LoudnessNormalisation | null;
}

/** A reading point reached by the input stream. */
export interface ReadingPoint {
  /** k in t_k = k * hop (1, 2, ...). */
  index: number;
  /** t_k in seconds from the start of the stream. */
  time: number;
  /** Input samples consumed at t_k. */
  inputSamples: number;
  /** 8 kHz samples available at t_k (the window ends there). */
  streamSamples: number;
  /**
   * The window's model features. Valid only inside the visit callback (the window moves
   * on with the next samples); compute it only for the readings you need.
   */
  features(): Spectrogram;
  /** The window's 8 kHz samples (a copy, newest last), e.g. for a speech gate. */
  window(): Float32Array;
}

/** Input sample count at reading k: t_k * rate, rounded to the nearest sample. */
export function readingInputSamples(k: number, hopSeconds: number, inputRate: number): number {
  return Math.round(k * hopSeconds * inputRate);
}

export class LiveWindow {
  readonly inputRate: number;
  readonly hopSeconds: number;
  readonly featureType: FeatureType;
  readonly normalisation: LoudnessNormalisation | null;
  private readonly resampler: StreamingResampler;
  private readonly mel: SlidingMel;
  private consumed = 0;
  private produced = 0;
  private nextIndex = 1;

  constructor(inputRate: number, opts: LiveWindowOptions) {
    assertSampleRate(inputRate, 'input sample rate');
    const hop = opts.hopSeconds ?? DEFAULT_HOP_SECONDS;
    if (typeof hop !== 'number' || !Number.isFinite(hop) || hop <= 0) {
      throw new SignalError(`hop must be a positive number of seconds, got ${String(hop)}`);
    }
    if (hop * inputRate < 1) throw new SignalError(`hop ${hop} s is shorter than one input sample`);
    this.inputRate = inputRate;
    this.hopSeconds = hop;
    this.featureType = opts.features;
    this.normalisation = opts.normalisation ?? null;
    this.resampler = new StreamingResampler(inputRate, TARGET_RATE);
    this.mel = new SlidingMel(WINDOW_LENGTH);
  }

  /** Input samples consumed so far. */
  get inputSamples(): number {
    return this.consumed;
  }

  /**
   * Feeds input samples; calls `visit` for every reading point the chunk reaches, in
   * order. NaN/Inf samples are refused before any state changes.
   */
  push(chunk: Float32Array, visit: (reading: ReadingPoint) => void): void {
    assertFiniteSamples(chunk, 'audio chunk');
    let offset = 0;
    while (offset < chunk.length) {
      const due = readingInputSamples(this.nextIndex, this.hopSeconds, this.inputRate);
      const take = Math.min(chunk.length - offset, due - this.consumed);
      if (take > 0) {
        this.feed(chunk.subarray(offset, offset + take));
        offset += take;
      }
      if (this.consumed === due) this.emit(visit);
    }
  }

  reset(): void {
    this.resampler.reset();
    this.mel.reset();
    this.consumed = 0;
    this.produced = 0;
    this.nextIndex = 1;
  }

  private feed(x: Float32Array): void {
    const y = this.resampler.push(x);
    this.consumed += x.length;
    this.produced += y.length;
    if (y.length > 0) this.mel.push(y);
  }

  private emit(visit: (reading: ReadingPoint) => void): void {
    const index = this.nextIndex++;
    const mel = this.mel;
    const type = this.featureType;
    const norm = this.normalisation;
    visit({
      index,
      time: index * this.hopSeconds,
      inputSamples: this.consumed,
      streamSamples: this.produced,
      // Normalising scales the window, so its Mel is computed whole, by the clip path's own
      // function; without it the sliding Mel (equal to the batch Mel) saves the work.
      features: () => (norm ? windowFeatures(mel.windowSamples(), type, norm) : toFeatures(mel.spectrogram(), type)),
      window: () => mel.windowSamples(),
    });
  }
}

/**
 * The live monitor's reading just after an utterance ends: the 8 kHz signal streamed from
 * silence (the window zero-filled before it), read at the first t_k at or after its last
 * sample. This is what a user sees after saying one sentence, so evaluating a model on it
 * measures how it does on live windows rather than on the report's start-aligned ones.
 */
export function readingAfterUtterance(
  signal8k: Float32Array,
  opts: LiveWindowOptions,
): Spectrogram {
  const live = new LiveWindow(TARGET_RATE, opts);
  const hopSamples = readingInputSamples(1, live.hopSeconds, TARGET_RATE);
  let result: Spectrogram | null = null;
  const visit = (r: ReadingPoint) => {
    if (result === null && r.inputSamples >= signal8k.length) result = r.features();
  };
  live.push(signal8k, visit);
  if (result === null) live.push(new Float32Array(hopSamples), visit);
  if (result === null) throw new SignalError('no reading after the utterance'); // cannot happen: a hop of silence follows it
  return result;
}
