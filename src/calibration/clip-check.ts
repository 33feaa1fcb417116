// Whether a recorded or imported clip can serve for calibration: long enough, not too
// long, and holding speech by the live monitor's own speech gate (src/dsp/speech-gate.ts)
// run over the whole clip at 8 kHz (src/dsp/pipeline.ts clipSignal, the signal path's
// resampler), so a clip the monitor would call "no speech" is refused here too. Pure.
import { clipSignal } from '../dsp/pipeline.ts';
import { TARGET_RATE } from '../dsp/params.ts';
import { speechGate } from '../dsp/speech-gate.ts';

/** Shorter clips hold too little of a sentence to learn from. */
export const MIN_CLIP_SECONDS = 1;
/** A calibration clip is a few seconds; training reads the first 7.7 s of each. */
export const MAX_CLIP_SECONDS = 30;

/** Why the clip is refused, written for the user (`source` picks the advice); null when it serves. */
export function clipProblem(samples: Float32Array, sampleRate: number, source: 'recorded' | 'imported' = 'recorded'): string | null {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) return `the clip's sample rate ${sampleRate} is not a positive whole number`;
  const seconds = samples.length / sampleRate;
  if (seconds < MIN_CLIP_SECONDS) {
    return `The clip is only ${seconds.toFixed(1)} s long: a clip needs at least ${MIN_CLIP_SECONDS} s (read the whole sentence).`;
  }
  if (seconds > MAX_CLIP_SECONDS) {
    return `The clip is ${seconds.toFixed(0)} s long: a calibration clip is a few seconds, at most ${MAX_CLIP_SECONDS} s.`;
  }
  const signal = clipSignal(samples, sampleRate);
  // The gate's "recent part" is the whole clip: speech anywhere in it counts.
  const gate = speechGate(signal, { recentSeconds: signal.length / TARGET_RATE });
  if (!gate.speech) {
    const level = Number.isFinite(gate.levelDb) ? `its loudest moment is ${gate.levelDb.toFixed(0)} dBFS` : 'it is digital silence';
    const advice = source === 'recorded' ? 'speak closer to the microphone or louder, and record it again' : 'pick a file with speech in it';
    return `No speech was heard in this clip (${level}): ${advice}.`;
  }
  return null;
}
