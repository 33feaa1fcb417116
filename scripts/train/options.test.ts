// The recipe flags of `npm run train` that tune augmentation and normalisation, and the
// combinations it refuses (pure: no training).
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION } from '../../src/dsp/loudness.ts';
import { DEFAULT_AUGMENTATION } from '../../src/training/augment.ts';
import { parseTrainOptions } from './options.ts';

const parse = (...extra: string[]) => parseTrainOptions(['--manifest', 'x.csv', ...extra])!;

describe('train options', () => {
  it('--noise-snr sets the noise range and keeps the rest of the augmentation', () => {
    const { augment } = parse('--noise-snr', '5,45').recipe;
    expect(augment.noise?.snrDb).toEqual([5, 45]);
    expect(augment.noise?.probability).toBe(DEFAULT_AUGMENTATION.noise?.probability);
    expect(augment.gainDb).toEqual(DEFAULT_AUGMENTATION.gainDb);
    expect(augment.placement).toBe(DEFAULT_AUGMENTATION.placement);
  });

  it('--max-boost sets the normalisation cap and keeps its target', () => {
    const { normalisation } = parse('--max-boost', '50').recipe;
    expect(normalisation).toEqual({ ...DEFAULT_NORMALISATION, maxGainDb: 50 });
    expect(parse().recipe.normalisation).toEqual(DEFAULT_NORMALISATION);
  });

  it('--level-jitter moves the normalisation target per window (recorded in the augmentation)', () => {
    const { augment } = parse('--level-jitter=-10,10').recipe;
    expect(augment.levelDb).toEqual([-10, 10]);
    expect(parse().recipe.augment.levelDb).toEqual(DEFAULT_AUGMENTATION.levelDb);
    expect(parse('--preset', 'seed').recipe.augment.levelDb ?? null).toBeNull();
    expect(() => parse('--no-normalise', '--level-jitter=-6,6')).toThrow(/--level-jitter needs/);
    expect(() => parse('--no-augment', '--level-jitter=-6,6')).toThrow(/--level-jitter needs/);
  });

  it('refuses malformed values and flags that would have no effect', () => {
    expect(() => parse('--noise-snr', '45,5')).toThrow(/--noise-snr must be LO,HI/);
    expect(() => parse('--noise-snr', '20')).toThrow(/--noise-snr must be LO,HI/);
    expect(() => parse('--noise-snr', '10,x')).toThrow(/--noise-snr must be LO,HI/);
    expect(() => parse('--max-boost=-3')).toThrow(/--max-boost must be a number of dB >= 0/);
    expect(() => parse('--preset', 'seed', '--noise-snr', '5,45')).toThrow(/--noise-snr needs augmentation/);
    expect(() => parse('--no-normalise', '--max-boost', '40')).toThrow(/--max-boost needs loudness normalisation/);
  });

  it('--folds and --val-speakers exclude each other', () => {
    expect(() => parse('--folds', '3', '--val-speakers', '17-20')).toThrow(/--folds and --val-speakers exclude each other/);
    expect(parse('--folds', '3').folds).toBe(3);
  });
});
