// The signal path of src/dsp/pipeline.ts cut at its expensive step, for training and
// evaluation: a clip's 8 kHz signal (cached on disk), then a window of it, then the Mel
// features. Composes the pipeline's own functions (no second copy of resampling or Mel);
// for the report's rule without normalisation, signalFeatures(clipSignal(x, r), t) equals
// clipFeatures(x, r, t) bit for bit (tested).
import { TARGET_RATE, WINDOW_LENGTH, type FeatureType } from '../dsp/params.ts';
import { resample } from '../dsp/resample.ts';
import { fixLength } from '../dsp/fix-length.ts';
import { melSpectrogram, type Spectrogram } from '../dsp/mel.ts';
import { toFeatures } from '../dsp/features.ts';
import { assertFiniteSamples, assertNonEmpty, assertSampleRate } from '../dsp/validate.ts';
import { normaliseLoudness, type LoudnessNormalisation } from './loudness.ts';

/** A clip's mono samples at 8 kHz, whole (clipWindow before its fix-length). */
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

/** The report's-rule features of an 8 kHz signal (what evaluate and analyze score). */
export function signalFeatures(
  signal: Float32Array,
  type: FeatureType,
  normalisation: LoudnessNormalisation | null = null,
): Spectrogram {
  return windowFeatures(reportWindow(signal), type, normalisation);
}
