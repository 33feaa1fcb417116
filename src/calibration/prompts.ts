// The script of "Calibrate to my voice": the prompts a user reads (a sentence and the tone
// to read it in) and the label each tone stands for. Labels are SPEC section 3's map v1
// at strong intensity, from src/training/labels.ts: a calibration clip is labelled exactly
// as training labels a corpus clip of the same emotion. Pure.
import { AROUSAL_MAP_V1, emotionArousal, emotionValence, type Emotion, type EmotionLabel } from '../training/labels.ts';

export interface CalibrationPrompt {
  /** Stable id, stored with the clip that answers it ("p01", ...). */
  id: string;
  /** What to read. */
  sentence: string;
  /** The tone to read it in: the clip's label. */
  emotion: Emotion;
}

/** Every emotion of map v1, in the table's order: the labels an imported clip can take. */
export const CALIBRATION_EMOTIONS: readonly Emotion[] = Object.freeze(Object.keys(AROUSAL_MAP_V1) as Emotion[]);

/** How to read each tone, in a few words (shown under the emotion's name). */
export const TONE_HINTS: Readonly<Record<Emotion, string>> = Object.freeze({
  neutral: 'plainly, as if reading out a timetable',
  calm: 'slowly and relaxed, as if nothing could hurry you',
  happy: 'happily, as if you just heard good news',
  sad: 'sadly, as if something dear was lost',
  boredom: 'bored, flat and slow',
  angry: 'angrily, as if asking for the third time',
  fearful: 'fearfully, as if something is wrong',
  disgust: 'with disgust, as if something smells bad',
  surprised: 'surprised, as if you cannot believe it',
});

// The same three plain sentences in every tone, as acted corpora do: the words carry no
// feeling, so the clips differ in the voice alone.
const SENTENCES = [
  'The train leaves at seven tomorrow morning.',
  'I put the letters on the kitchen table.',
  'We talked about it for most of the afternoon.',
];

// 14 prompts: three neutral ones (the baseline's zero), two of each main tone, one of three
// more; no tone twice in a row.
const SCRIPT: readonly [number, Emotion][] = [
  [0, 'neutral'],
  [1, 'happy'],
  [2, 'sad'],
  [0, 'angry'],
  [1, 'calm'],
  [2, 'neutral'],
  [0, 'happy'],
  [1, 'sad'],
  [2, 'angry'],
  [0, 'calm'],
  [1, 'fearful'],
  [2, 'surprised'],
  [0, 'disgust'],
  [1, 'neutral'],
];

/** The calibration prompts, in the order they are offered. */
export const CALIBRATION_PROMPTS: readonly CalibrationPrompt[] = Object.freeze(
  SCRIPT.map(([s, emotion], i) => Object.freeze({ id: `p${String(i + 1).padStart(2, '0')}`, sentence: SENTENCES[s], emotion })),
);

/** The prompt with this id, or undefined. */
export function promptById(id: string): CalibrationPrompt | undefined {
  return CALIBRATION_PROMPTS.find((p) => p.id === id);
}

/** True when `name` is an emotion of map v1. */
export function isEmotion(name: string): name is Emotion {
  return (CALIBRATION_EMOTIONS as readonly string[]).includes(name);
}

/** Valence and arousal of a tone (map v1, strong intensity). */
export function emotionLabel(emotion: Emotion): EmotionLabel {
  return { valence: emotionValence(emotion), arousal: emotionArousal(emotion) };
}

const signed = (v: number) => (v > 0 ? `+${v.toFixed(1)}` : v.toFixed(1));

/** "valence +0.8, arousal +0.5": a label as the view shows it. */
export function labelText(label: EmotionLabel): string {
  return `valence ${signed(label.valence)}, arousal ${signed(label.arousal)}`;
}
