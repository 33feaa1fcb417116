// Valence and arousal labels for categorical emotion corpora: SPEC section 3's map v1, the
// RAVDESS file-name convention (modality-channel-emotion-intensity-statement-repetition-actor.wav)
// and the TurEV-DB layout (EMOTION/SPEAKER_GENDER_WORD.wav).
// Pure: no file system, so tests, scripts and the app can share it.

/** Emotions of map v1. */
export type Emotion =
  | 'neutral'
  | 'calm'
  | 'happy'
  | 'sad'
  | 'angry'
  | 'fearful'
  | 'disgust'
  | 'surprised'
  | 'boredom';

/** Names the map (valence and arousal); a model card records it so labels can be traced. */
export const VALENCE_MAP_VERSION = 'v1';

/** SPEC section 3, map v1: emotion -> valence in [-1, 1] (strong intensity). */
export const VALENCE_MAP_V1: Readonly<Record<Emotion, number>> = Object.freeze({
  neutral: 0.0,
  calm: 0.3,
  happy: 0.8,
  sad: -0.6,
  boredom: -0.3,
  angry: -0.7,
  fearful: -0.6,
  disgust: -0.7,
  surprised: 0.2,
});

/** SPEC section 3, map v1: emotion -> arousal in [-1, 1] (strong intensity). */
export const AROUSAL_MAP_V1: Readonly<Record<Emotion, number>> = Object.freeze({
  neutral: 0.0,
  calm: -0.6,
  happy: 0.5,
  sad: -0.5,
  boredom: -0.7,
  angry: 0.8,
  fearful: 0.6,
  disgust: 0.3,
  surprised: 0.7,
});

/** Both dimensions of a clip's label. */
export interface EmotionLabel {
  valence: number;
  arousal: number;
}

/** RAVDESS emotion codes (3rd field). */
export const RAVDESS_EMOTIONS: Readonly<Record<string, Emotion>> = Object.freeze({
  '01': 'neutral',
  '02': 'calm',
  '03': 'happy',
  '04': 'sad',
  '05': 'angry',
  '06': 'fearful',
  '07': 'disgust',
  '08': 'surprised',
});

export type Intensity = 'normal' | 'strong';

/** RAVDESS intensity codes (4th field) and their valence scale (SPEC: x0.75 / x1.0). */
export const RAVDESS_INTENSITIES: Readonly<Record<string, { intensity: Intensity; scale: number }>> = Object.freeze({
  '01': { intensity: 'normal', scale: 0.75 },
  '02': { intensity: 'strong', scale: 1.0 },
});

/** What a RAVDESS file name says. */
export interface RavdessName {
  modality: string;
  vocalChannel: string;
  emotion: Emotion;
  intensity: Intensity;
  statement: string;
  repetition: string;
  /** Actor number 1..24 (even: female). */
  actor: number;
  /** Actor as the two-digit code of the name ("01".."24"): the speaker id of a RAVDESS clip. */
  actorCode: string;
  /** Map v1 valence times the intensity scale. */
  valence: number;
  /** Map v1 arousal times the intensity scale. */
  arousal: number;
}

export class LabelError extends Error {
  override name = 'LabelError';
}

/** Valence of an emotion at an intensity scale (map v1). */
export function emotionValence(emotion: Emotion, scale = 1): number {
  return VALENCE_MAP_V1[emotion] * scale;
}

/** Arousal of an emotion at an intensity scale (map v1). */
export function emotionArousal(emotion: Emotion, scale = 1): number {
  return AROUSAL_MAP_V1[emotion] * scale;
}

const RAVDESS_RE = /^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})\.wav$/i;

/** True when `fileName` (no folder) looks like a RAVDESS name; says nothing about the codes. */
export function looksLikeRavdessName(fileName: string): boolean {
  return RAVDESS_RE.test(fileName);
}

/** Parses a RAVDESS file name (base name, e.g. "03-01-05-02-01-01-12.wav"); throws a LabelError naming the problem. */
export function parseRavdessName(fileName: string): RavdessName {
  const m = RAVDESS_RE.exec(fileName);
  if (!m) {
    throw new LabelError(
      `"${fileName}" is not a RAVDESS file name (expected 7 two-digit fields, e.g. 03-01-05-02-01-01-12.wav)`,
    );
  }
  const [, modality, vocalChannel, emotionCode, intensityCode, statement, repetition, actorCode] = m;
  const emotion = RAVDESS_EMOTIONS[emotionCode];
  if (!emotion) throw new LabelError(`"${fileName}": unknown RAVDESS emotion code ${emotionCode} (01-08)`);
  const level = RAVDESS_INTENSITIES[intensityCode];
  if (!level) throw new LabelError(`"${fileName}": unknown RAVDESS intensity code ${intensityCode} (01 or 02)`);
  const actor = Number(actorCode);
  if (actor < 1) throw new LabelError(`"${fileName}": actor code ${actorCode} must be 01 or more`);
  return {
    modality,
    vocalChannel,
    emotion,
    intensity: level.intensity,
    statement,
    repetition,
    actor,
    actorCode,
    valence: emotionValence(emotion, level.scale),
    arousal: emotionArousal(emotion, level.scale),
  };
}

/** TurEV-DB's emotion folders (SPEC section 3). */
export const TUREV_EMOTIONS: Readonly<Record<string, Emotion>> = Object.freeze({
  Angry: 'angry',
  Calm: 'calm',
  Happy: 'happy',
  Sad: 'sad',
});

/** What a TurEV-DB clip's folder and file name say. */
export interface TurevName extends EmotionLabel {
  emotion: Emotion;
  /** The first field of the file name, e.g. "1157". */
  speaker: string;
}

const TUREV_RE = /^([^_]+)_[^_]+_.+\.wav$/i;

/**
 * Parses a TurEV-DB clip from its emotion folder ("Angry") and file name
 * ("1157_kz_acik.wav"); no intensity (x1.0). Throws a LabelError naming the problem.
 */
export function parseTurevName(folder: string, fileName: string): TurevName {
  const emotion = TUREV_EMOTIONS[folder];
  if (!emotion) throw new LabelError(`"${folder}/${fileName}": unknown TurEV-DB emotion folder (Angry, Calm, Happy or Sad)`);
  const m = TUREV_RE.exec(fileName);
  if (!m) throw new LabelError(`"${folder}/${fileName}": not a TurEV-DB file name (expected SPEAKER_GENDER_WORD.wav)`);
  return { emotion, speaker: m[1], valence: emotionValence(emotion), arousal: emotionArousal(emotion) };
}
