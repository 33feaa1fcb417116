// The signal path of SPEC section 1 for a whole clip (the report's rule): mono samples at
// any rate -> 8 kHz -> first 61500 samples, zero-padded at the end -> Mel -> features.
// File analysis and training call this; the live path (live-window.ts) shares every step
// but the windowing.
import { TARGET_RATE, WINDOW_LENGTH, type FeatureType } from './params.ts';
import { resample } from './resample.ts';
import { fixLength } from './fix-length.ts';
import { melSpectrogram, type Spectrogram } from './mel.ts';
import { toFeatures } from './features.ts';
import { assertFiniteSamples, assertNonEmpty, assertSampleRate } from './validate.ts';

/** The 61500-sample, 8 kHz window of a clip. */
export function clipWindow(samples: Float32Array, sampleRate: number): Float32Array {
  assertSampleRate(sampleRate);
  assertNonEmpty(samples);
  assertFiniteSamples(samples);
  return fixLength(resample(samples, sampleRate, TARGET_RATE), WINDOW_LENGTH);
}

/** Model input features (mels x frames) of a clip. */
export function clipFeatures(samples: Float32Array, sampleRate: number, type: FeatureType): Spectrogram {
  return toFeatures(melSpectrogram(clipWindow(samples, sampleRate)), type);
}
