// The calibration script: 12-16 prompts, each labelled by SPEC section 3's table (typed here
// from the SPEC), enough neutral clips for a baseline, and the label as the view shows it.
import { describe, expect, it } from 'vitest';
import { CALIBRATION_EMOTIONS, CALIBRATION_PROMPTS, TONE_HINTS, emotionLabel, isEmotion, labelText, promptById } from './prompts.ts';

describe('calibration prompts', () => {
  it('are 12 to 16, with unique ids, a sentence each and no tone twice in a row', () => {
    expect(CALIBRATION_PROMPTS.length).toBeGreaterThanOrEqual(12);
    expect(CALIBRATION_PROMPTS.length).toBeLessThanOrEqual(16);
    expect(new Set(CALIBRATION_PROMPTS.map((p) => p.id)).size).toBe(CALIBRATION_PROMPTS.length);
    for (const p of CALIBRATION_PROMPTS) {
      expect(p.sentence.length).toBeGreaterThan(10);
      expect(TONE_HINTS[p.emotion]).toBeTruthy();
    }
    CALIBRATION_PROMPTS.slice(1).forEach((p, i) => expect(p.emotion).not.toBe(CALIBRATION_PROMPTS[i].emotion));
    expect(promptById('p01')).toBe(CALIBRATION_PROMPTS[0]);
    expect(promptById('p99')).toBeUndefined();
  });

  it('hold at least three neutral clips (the baseline) and both signs of valence and arousal', () => {
    const labels = CALIBRATION_PROMPTS.map((p) => emotionLabel(p.emotion));
    expect(CALIBRATION_PROMPTS.filter((p) => p.emotion === 'neutral').length).toBeGreaterThanOrEqual(3);
    expect(labels.some((l) => l.valence > 0) && labels.some((l) => l.valence < 0)).toBe(true);
    expect(labels.some((l) => l.arousal > 0) && labels.some((l) => l.arousal < 0)).toBe(true);
  });

  it('label each tone with SPEC section 3 (strong intensity)', () => {
    // The SPEC table, by hand.
    const spec = {
      neutral: [0, 0],
      calm: [0.3, -0.6],
      happy: [0.8, 0.5],
      sad: [-0.6, -0.5],
      boredom: [-0.3, -0.7],
      angry: [-0.7, 0.8],
      fearful: [-0.6, 0.6],
      disgust: [-0.7, 0.3],
      surprised: [0.2, 0.7],
    };
    expect([...CALIBRATION_EMOTIONS].sort()).toEqual(Object.keys(spec).sort());
    for (const [emotion, [valence, arousal]] of Object.entries(spec)) {
      expect(isEmotion(emotion)).toBe(true);
      expect(emotionLabel(emotion as keyof typeof spec)).toEqual({ valence, arousal });
    }
    expect(isEmotion('excited')).toBe(false);
  });

  it('show a label with its signs', () => {
    expect(labelText(emotionLabel('happy'))).toBe('valence +0.8, arousal +0.5');
    expect(labelText(emotionLabel('sad'))).toBe('valence -0.6, arousal -0.5');
    expect(labelText(emotionLabel('neutral'))).toBe('valence 0.0, arousal 0.0');
  });
});
