// What the screen says about the "relative to your neutral voice" switch: why it cannot be
// turned on, and, while it is on, what the gauge shows (how much is subtracted, or why
// nothing is yet). Pure functions of the baseline controller's view, tested in Node.
import type { BaselineView } from './controllers/baseline.ts';
import { formatValence } from './valence-scale.ts';

/** Why the switch is disabled; null when it can be used. */
export function baselineSwitchReason(view: BaselineView): string | null {
  if (view.state === 'unknown') return 'Reading your calibration clips…';
  if (view.neutralClips === 0) return 'Needs a neutral clip: record or import one under “Calibrate to my voice”.';
  return null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The statement under the gauge while the switch is on; null while it is off. */
export function baselineStatement(view: BaselineView): string | null {
  if (!view.on) return null;
  const clips = plural(view.neutralClips, 'neutral clip');
  switch (view.state) {
    case 'ready': {
      const b = view.baseline!;
      const parts = [`valence ${formatValence(b.valence)}`, ...(b.arousal === null ? [] : [`arousal ${formatValence(b.arousal)}`])];
      // The timeline is the session's record, so it stays raw, like the saved sessions.
      return `Relative to your neutral voice (${parts.join(', ')} subtracted: the mean of your ${plural(b.clips, 'neutral clip')}). The timeline and saved sessions keep the raw readings.`;
    }
    case 'computing':
      return `Relative to your neutral voice: working out your baseline from ${clips}… Raw readings until then.`;
    case 'waiting':
    case 'unknown':
      return 'Relative to your neutral voice once your baseline is worked out, when listening or the file analysis ends. Raw readings until then.';
    case 'no-clips':
      return 'Raw readings: there is no neutral clip to take your baseline from. Record or import one under “Calibrate to my voice”.';
    case 'no-figure':
      return `Raw readings: no speech was found in your ${clips}, so there is no baseline. Record them again.`;
    case 'failed':
      return `Raw readings: your baseline could not be worked out (${view.error}).`;
  }
}
