// SPEC section 3: map v1 and the RAVDESS file-name fields, checked against the SPEC's table.
import { describe, expect, it } from 'vitest';
import {
  AROUSAL_MAP_V1,
  LabelError,
  VALENCE_MAP_V1,
  emotionArousal,
  emotionValence,
  looksLikeRavdessName,
  parseRavdessName,
  parseTurevName,
} from './labels.ts';

describe('valence map v1', () => {
  it('is the SPEC table', () => {
    expect(VALENCE_MAP_V1).toEqual({
      neutral: 0,
      calm: 0.3,
      happy: 0.8,
      sad: -0.6,
      boredom: -0.3,
      angry: -0.7,
      fearful: -0.6,
      disgust: -0.7,
      surprised: 0.2,
    });
    expect(emotionValence('happy', 0.75)).toBeCloseTo(0.6, 15);
  });
});

describe('arousal map v1', () => {
  it('is the SPEC table', () => {
    expect(AROUSAL_MAP_V1).toEqual({
      neutral: 0,
      calm: -0.6,
      happy: 0.5,
      sad: -0.5,
      boredom: -0.7,
      angry: 0.8,
      fearful: 0.6,
      disgust: 0.3,
      surprised: 0.7,
    });
    expect(emotionArousal('angry', 0.75)).toBeCloseTo(0.6, 15);
  });
});

describe('parseTurevName', () => {
  it('takes the emotion from the folder and the speaker from the first field (no intensity)', () => {
    expect(parseTurevName('Angry', '1157_kz_acik.wav')).toEqual({ emotion: 'angry', speaker: '1157', valence: -0.7, arousal: 0.8 });
    expect(parseTurevName('Calm', '7895_e_beste.WAV')).toEqual({ emotion: 'calm', speaker: '7895', valence: 0.3, arousal: -0.6 });
    expect(parseTurevName('Happy', '1984_k_su_yolu.wav')).toMatchObject({ speaker: '1984', valence: 0.8, arousal: 0.5 });
    expect(parseTurevName('Sad', '6783_e_x.wav')).toMatchObject({ valence: -0.6, arousal: -0.5 });
  });

  it('refuses unknown folders and names', () => {
    expect(() => parseTurevName('Bored', '1157_kz_acik.wav')).toThrow(/unknown TurEV-DB emotion folder/);
    expect(() => parseTurevName('Sad', 'readme.wav')).toThrow(LabelError);
    expect(() => parseTurevName('Sad', '1157_kz_acik.mp3')).toThrow(/not a TurEV-DB file name/);
  });
});

describe('parseRavdessName', () => {
  it('reads the SOURCE.md example: angry, strong, actor 12', () => {
    const p = parseRavdessName('03-01-05-02-01-01-12.wav');
    expect(p).toMatchObject({ emotion: 'angry', intensity: 'strong', actor: 12, actorCode: '12', statement: '01', repetition: '01' });
    expect(p.valence).toBe(-0.7);
    expect(p.arousal).toBe(0.8);
  });

  it('maps every emotion code, with x0.75 for normal intensity', () => {
    const codes = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;
    codes.forEach((emotion, i) => {
      const code = String(i + 1).padStart(2, '0');
      const strong = parseRavdessName(`03-01-${code}-02-02-01-07.wav`);
      const normal = parseRavdessName(`03-01-${code}-01-02-01-07.wav`);
      expect(strong.emotion).toBe(emotion);
      expect(strong.valence).toBe(VALENCE_MAP_V1[emotion]);
      expect(normal.intensity).toBe('normal');
      expect(normal.valence).toBeCloseTo(VALENCE_MAP_V1[emotion] * 0.75, 15);
      expect(strong.arousal).toBe(AROUSAL_MAP_V1[emotion]);
      expect(normal.arousal).toBeCloseTo(AROUSAL_MAP_V1[emotion] * 0.75, 15);
    });
    expect(parseRavdessName('03-01-03-01-01-01-01.wav').valence).toBeCloseTo(0.6, 15);
  });

  it('accepts an upper-case extension', () => {
    expect(parseRavdessName('03-01-04-02-01-01-20.WAV').actor).toBe(20);
  });

  it('refuses other names and unknown codes with a clear error', () => {
    expect(() => parseRavdessName('speech.wav')).toThrow(/not a RAVDESS file name/);
    expect(() => parseRavdessName('03-01-05-02-01-01.wav')).toThrow(LabelError);
    expect(() => parseRavdessName('Actor_01/03-01-05-02-01-01-01.wav')).toThrow(/not a RAVDESS file name/);
    expect(() => parseRavdessName('03-01-09-02-01-01-01.wav')).toThrow(/unknown RAVDESS emotion code 09/);
    expect(() => parseRavdessName('03-01-05-03-01-01-01.wav')).toThrow(/unknown RAVDESS intensity code 03/);
    expect(() => parseRavdessName('03-01-05-02-01-01-00.wav')).toThrow(/actor code 00/);
    expect(looksLikeRavdessName('03-01-09-02-01-01-01.wav')).toBe(true);
    expect(looksLikeRavdessName('notes.wav')).toBe(false);
  });
});
