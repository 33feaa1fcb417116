// The signal path of SPEC section 1 for a whole clip, in the steps that training caches
// between: mono samples at any rate -> 8 kHz signal (clipSignal, the expensive step) ->
// a 61500-sample window (the report's rule: first samples, zero-padded at the end) ->
// optional loudness normalisation -> Mel -> features (windowFeatures). File analysis,
// evaluation and training call these; the live path (live-window.ts) shares every step
// but the windowing, and calls windowFeatures too when a model normalises loudness.
import { TARGET_RATE, WINDOW_LENGTH, type FeatureType } from './params.ts';
import { StreamingResampler, resample } from './resample.ts';
import { fixLength } from './fix-length.ts';
import { melSpectrogram, type Spectrogram } from './mel.ts';
import { toFeatures } from './features.ts';
import { normaliseLoudness, type LoudnessNormalisation } from './loudness.ts';
import { assertFiniteSamples, assertNonEmpty, assertSampleRate } from './validate.ts';

/** A clip's mono samples at 8 kHz, whole. */
export function clipSignal(samples: Float32Array, sampleRate: number): Float32Array {
  assertSampleRate(sampleRate);
  assertNonEmpty(samples);
  assertFiniteSamples(samples);
  return resample(samples, sampleRate, TARGET_RATE);
}

/** The report's window of an 8 kHz signal: its first 61500 samples, zero-padded at the end. */
export function reportWindow(signal: Float32Array): Float32Array {
  return fixLength(signal, WINDOW_LENGTH);
}

/** Model features of a 61500-sample 8 kHz window, after the model's loudness normalisation if it has one. */
export function windowFeatures(
  window: Float32Array,
  type: FeatureType,
  normalisation: LoudnessNormalisation | null = null,
): Spectrogram {
  const x = normalisation ? normaliseLoudness(window, normalisation) : window;
  return toFeatures(melSpectrogram(x), type);
}

/** The report's-rule features of an 8 kHz signal (what analyze and evaluate score). */
export function signalFeatures(
  signal: Float32Array,
  type: FeatureType,
  normalisation: LoudnessNormalisation | null = null,
): Spectrogram {
  return windowFeatures(reportWindow(signal), type, normalisation);
}

/**
 * The report's window of a clip that arrives in blocks (a long file read piece by piece):
 * push mono blocks at the clip's rate until `full`, then window(). Only the first ~7.7 s
 * are needed, so the rest of the file need not be read. Equal to clipWindow() of the whole
 * clip sample for sample: the streaming resampler's output is the batch one's.
 */
export class StreamingReportWindow {
  private readonly resampler: StreamingResampler;
  private readonly out = new Float32Array(WINDOW_LENGTH);
  private filled = 0;

  constructor(sampleRate: number) {
    assertSampleRate(sampleRate);
    this.resampler = new StreamingResampler(sampleRate, TARGET_RATE);
  }

  /** The window's 61500 samples are all known: more input changes nothing. */
  get full(): boolean {
    return this.filled === WINDOW_LENGTH;
  }

  push(block: Float32Array): void {
    if (!this.full) this.take(this.resampler.push(block));
  }

  /** The window, zero-padded at the end where the clip is shorter. Throws a SignalError for a clip of no samples. */
  window(): Float32Array {
    if (!this.full) {
      assertNonEmpty({ length: this.resampler.inputCount });
      this.take(this.resampler.flush());
    }
    return this.out;
  }

  private take(y: Float32Array): void {
    const n = Math.min(y.length, WINDOW_LENGTH - this.filled);
    this.out.set(y.subarray(0, n), this.filled);
    this.filled += n;
  }
}

/** The 61500-sample, 8 kHz window of a clip. */
export function clipWindow(samples: Float32Array, sampleRate: number): Float32Array {
  return reportWindow(clipSignal(samples, sampleRate));
}

/** Model input features (mels x frames) of a clip. */
export function clipFeatures(
  samples: Float32Array,
  sampleRate: number,
  type: FeatureType,
  normalisation: LoudnessNormalisation | null = null,
): Spectrogram {
  return signalFeatures(clipSignal(samples, sampleRate), type, normalisation);
}
