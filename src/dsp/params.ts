// The numbers of SPEC section 1 in one place: every part of the signal path (live app,
// file analysis, training) reads them from here, so they cannot drift apart.

/** Sample rate of the analysis signal path (Hz). */
export const TARGET_RATE = 8000;
/** Samples in one analysis window at TARGET_RATE (7.6875 s). */
export const WINDOW_LENGTH = 61500;

/** torchaudio.functional.resample defaults (sinc_interp_hann). */
export const RESAMPLE = {
  lowpassFilterWidth: 6,
  rolloff: 0.99,
} as const;

/** torchaudio.transforms.MelSpectrogram parameters. */
export const MEL = {
  sampleRate: TARGET_RATE,
  nFft: 1024,
  winLength: 1024,
  hopLength: 512,
  nMels: 64,
  fMin: 0,
  fMax: TARGET_RATE / 2,
} as const;

/** Frames in the Mel spectrogram of one window: 1 + floor(61500 / 512) = 121. */
export const WINDOW_FRAMES = 1 + Math.floor(WINDOW_LENGTH / MEL.hopLength);

/** AmplitudeToDB(stype="power", top_db=80). */
export const DB = {
  amin: 1e-10,
  topDb: 80,
} as const;

/**
 * Feature types a model can be trained on: SPEC section 1's "power" and "db", and
 * "db-band-mean", dB with each Mel band's mean over the window's speech frames removed
 * (band-mean.ts).
 */
export type FeatureType = 'power' | 'db' | 'db-band-mean';

/** Every FeatureType, for checking a value read from a file or a flag. */
export const FEATURE_TYPES: readonly FeatureType[] = ['power', 'db', 'db-band-mean'];

/** Default spacing of live / timeline readings (seconds). */
export const DEFAULT_HOP_SECONDS = 0.5;
