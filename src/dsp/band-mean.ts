// Per-band mean removal over a window's speech frames (the feature type "db-band-mean"): each
// Mel band's mean dB over the loud frames of the window is subtracted from that band. A
// microphone's or a room's colouring and a vocal tract's fixed tilt are (nearly) constant
// per band, so this takes them out of what the model reads and leaves how the voice moves.
//
// Causal by construction: the mean is over the window the reading is made from, which holds
// only past samples. The live monitor, file analysis, evaluation and training all reach it
// through toFeatures (features.ts), so one function serves every path.
import type { Spectrogram } from './spectrogram.ts';

/**
 * A frame counts as speech when its total Mel power is within this many dB of the window's
 * loudest frame: vowels and voiced consonants, not pauses, room noise or the zero fill of a
 * young window (which would otherwise pull every band's mean towards the dB floor).
 */
export const SPEECH_FRAME_RANGE_DB = 25;

/** Which frames of a Mel power spectrogram are speech frames (SPEECH_FRAME_RANGE_DB of the loudest). */
export function speechFrames(melPower: Spectrogram, rangeDb: number = SPEECH_FRAME_RANGE_DB): boolean[] {
  const { data, nMels, nFrames } = melPower;
  const level = new Float64Array(nFrames);
  for (let m = 0; m < nMels; m++) {
    const row = m * nFrames;
    for (let t = 0; t < nFrames; t++) level[t] += data[row + t];
  }
  let max = 0;
  for (let t = 0; t < nFrames; t++) if (level[t] > max) max = level[t];
  // Digital silence: no frame is speech (the caller then leaves the features as they are).
  if (!(max > 0)) return new Array<boolean>(nFrames).fill(false);
  const floor = max * 10 ** (-rangeDb / 10);
  return Array.from(level, (p) => p >= floor);
}

/**
 * `db` (the dB features of `melPower`) with each band's mean over the speech frames removed.
 * Without a speech frame (digital silence) the features are returned unchanged: there is
 * nothing to take a colouring from.
 */
export function removeBandMeans(db: Spectrogram, melPower: Spectrogram): Spectrogram {
  const { nMels, nFrames } = db;
  if (melPower.nMels !== nMels || melPower.nFrames !== nFrames) {
    throw new RangeError(`band means: dB ${nMels}x${nFrames} and power ${melPower.nMels}x${melPower.nFrames} differ in shape`);
  }
  const speech = speechFrames(melPower);
  const count = speech.reduce((n, s) => n + (s ? 1 : 0), 0);
  if (count === 0) return db;
  const out = new Float32Array(db.data.length);
  for (let m = 0; m < nMels; m++) {
    const row = m * nFrames;
    let sum = 0;
    for (let t = 0; t < nFrames; t++) if (speech[t]) sum += db.data[row + t];
    const mean = sum / count;
    for (let t = 0; t < nFrames; t++) out[row + t] = db.data[row + t] - mean;
  }
  return { data: out, nMels, nFrames };
}
