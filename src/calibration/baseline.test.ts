// The baseline by hand: means of the neutral clips' figures (clips without a figure left
// out), none without a figure, arousal only when every clip has one, and the re-centred
// reading kept on [-1, 1].
import { describe, expect, it } from 'vitest';
import { baselineClips, baselineClipsKey, baselineOf, recentred } from './baseline.ts';

describe('baseline', () => {
  it('is the mean of the figures, valence and arousal', () => {
    // (-0.25 + 0.05) / 2 = -0.1; (0.5 + 0.25) / 2 = 0.375
    expect(baselineOf([{ valence: -0.25, arousal: 0.5 }, { valence: 0.05, arousal: 0.25 }])).toEqual({ valence: -0.1, arousal: 0.375, clips: 2 });
    // (0.1 + 0.2 + 0.6) / 3 = 0.3
    const three = baselineOf([{ valence: 0.1, arousal: null }, { valence: 0.2, arousal: null }, { valence: 0.6, arousal: null }]);
    expect(three?.valence).toBeCloseTo(0.3, 12);
    expect(three).toMatchObject({ arousal: null, clips: 3 });
  });

  it('leaves out clips without a figure, and is none when no clip has one', () => {
    expect(baselineOf([{ valence: null, arousal: null }, { valence: -0.5, arousal: 0.125 }])).toEqual({ valence: -0.5, arousal: 0.125, clips: 1 });
    expect(baselineOf([])).toBeNull();
    expect(baselineOf([{ valence: null, arousal: null }])).toBeNull();
    expect(baselineOf([{ valence: Number.NaN, arousal: 0 }])).toBeNull();
  });

  it('has no arousal unless every clip it is over has one', () => {
    expect(baselineOf([{ valence: 0.5, arousal: 0.5 }, { valence: 0.25, arousal: null }])).toEqual({ valence: 0.375, arousal: null, clips: 2 });
  });

  it('re-centres a reading and keeps it on the scale', () => {
    expect(recentred(0.25, -0.125)).toBe(0.375);
    expect(recentred(-0.5, 0.25)).toBe(-0.75);
    expect(recentred(0.75, -0.5)).toBe(1); // 1.25 clamped
    expect(recentred(-0.875, 0.25)).toBe(-1); // -1.125 clamped
    expect(recentred(null, 0.25)).toBeNull();
    expect(recentred(0.3, null)).toBe(0.3);
  });

  it('takes the neutral clips, and keys them by id and recording', () => {
    const clips = [
      { id: 1, addedAt: 100, emotion: 'neutral' as const },
      { id: 2, addedAt: 200, emotion: 'happy' as const },
      { id: 5, addedAt: 300, emotion: 'neutral' as const },
    ];
    expect(baselineClips(clips).map((c) => c.id)).toEqual([1, 5]);
    expect(baselineClipsKey(clips)).toBe('1@100,5@300');
    // A happy clip changing does not change the key; a neutral one recorded again does.
    expect(baselineClipsKey([clips[0], { ...clips[1], addedAt: 999 }, clips[2]])).toBe('1@100,5@300');
    expect(baselineClipsKey([{ ...clips[0], addedAt: 101 }, clips[1], clips[2]])).toBe('1@101,5@300');
    expect(baselineClipsKey([clips[1]])).toBe('');
  });
});
