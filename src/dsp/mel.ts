// Mel power spectrogram equal to torchaudio 0.13.1
// MelSpectrogram(sample_rate=8000, n_fft=1024, hop_length=512, n_mels=64) by default,
// any other parameters on request. The entry point of the Mel part of the signal path.
import { MelFrames } from './mel-frames.ts';
import { assertLongEnough, melParams, type MelParams } from './mel-params.ts';
import type { Spectrogram } from './spectrogram.ts';
import { assertFiniteSamples, assertNonEmpty } from './validate.ts';

export type { Spectrogram } from './spectrogram.ts';
export { frameCount, melParams, type MelParams } from './mel-params.ts';
export { powerToDb } from './db.ts';

// Window, filterbank and FFT tables are built once per parameter set; the app uses one.
let cached: { key: string; frames: MelFrames } | undefined;

/** The (memoised) frame kernel for `params`. */
function melFramesFor(params: MelParams): MelFrames {
  const key = JSON.stringify([
    params.sampleRate,
    params.nFft,
    params.winLength,
    params.hopLength,
    params.nMels,
    params.fMin,
    params.fMax,
  ]);
  if (cached?.key !== key) cached = { key, frames: new MelFrames(params) };
  return cached.frames;
}

/** Mel power spectrogram of `x` (center=True, reflect padding, power 2, HTK, no norm). */
export function melSpectrogram(x: Float32Array, params: MelParams = melParams()): Spectrogram {
  assertNonEmpty(x);
  assertFiniteSamples(x);
  const frames = melFramesFor(params);
  assertLongEnough(x.length, frames.params);
  const nFrames = frames.frameCount(x.length);
  const nMels = frames.nMels;
  const data = new Float32Array(nMels * nFrames);
  for (let i = 0; i < nFrames; i++) frames.compute(x, 0, x.length, i, data, i, nFrames);
  return { data, nMels, nFrames };
}
