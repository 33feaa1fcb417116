// The recipe flags of `npm run train` that tune augmentation and normalisation, the
// combinations it refuses, and the --grid axes that flags fix (pure: no training).
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION } from '../../src/dsp/loudness.ts';
import { DEFAULT_AUGMENTATION } from '../../src/training/augment.ts';
import { GRID, gridRecipes } from '../../src/training/grid.ts';
import { parseTrainOptions } from './options.ts';

const parse = (...extra: string[]) => parseTrainOptions(['--manifest', 'x.csv', ...extra])!;

// SPEC section 2's activation and pooling axes, written out rather than read from the code.
const SPEC_ACTIVATION = ['relu', 'sigmoid'];
const SPEC_POOL = ['max', 'avg'];
const base = () => parse('--preset', 'seed', '--epochs', '3', '--batch', '2').recipe;

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
    // Decimal only: Number() would read these as 16, 1, 2 and 0.
    expect(() => parse('--epochs', '0x10')).toThrow(/--epochs must be a whole number > 0, got "0x10"/);
    expect(() => parse('--lr', '0b1')).toThrow(/--lr must be a positive number, got "0b1"/);
    expect(() => parse('--speed', '0x1,2')).toThrow(/--speed must be LO,HI/);
    expect(() => parse('--seed', ' ')).toThrow(/--seed must be a whole number/);
    expect(parse('--lr', '3e-4').recipe.lr).toBe(0.0003);
    expect(() => parse('--preset', 'seed', '--noise-snr', '5,45')).toThrow(/--noise-snr needs augmentation/);
    expect(() => parse('--no-normalise', '--max-boost', '40')).toThrow(/--max-boost needs loudness normalisation/);
  });

  it('--folds and --val-speakers exclude each other', () => {
    expect(() => parse('--folds', '3', '--val-speakers', '17-20')).toThrow(/--folds and --val-speakers exclude each other/);
    expect(parse('--folds', '3').folds).toBe(3);
  });

  it('--grid sweeps the full grid; a recipe flag fixes its axis; no --grid, no grid', () => {
    const grid = (...extra: string[]) => parseTrainOptions(['--manifest', 'x.csv', ...extra])!.grid;
    expect(grid()).toBeNull();
    const full = grid('--grid')!;
    expect(gridRecipes(base(), full)).toHaveLength(40);
    expect(full).toEqual(GRID);
    const fixed = grid('--grid', '--lr', '5e-4', '--kernel', '3')!;
    expect(fixed.lr).toEqual([5e-4]);
    expect(fixed.kernelSize).toEqual([3]);
    expect(fixed.activation).toEqual(SPEC_ACTIVATION);
    expect(fixed.pooling).toEqual(SPEC_POOL);
    const recipes = gridRecipes(base(), fixed);
    expect(recipes).toHaveLength(SPEC_ACTIVATION.length * SPEC_POOL.length);
    expect(recipes.every((r) => r.lr === 5e-4 && r.config.kernelSize === 3)).toBe(true);
    // Without --grid the same flags still just set the recipe.
    const plain = parseTrainOptions(['--manifest', 'x.csv', '--activation', 'sigmoid', '--pooling', 'max'])!;
    expect(plain.grid).toBeNull();
    expect(plain.recipe.config).toMatchObject({ activation: 'sigmoid', pooling: 'max' });
  });
});

describe('train options: several corpora', () => {
  it('takes --data and --manifest repeated, in order, folders with their layout detected', () => {
    const o = parseTrainOptions(['--data', 'a/ravdess', '--data', 'b/turev', '--manifest', 'c.csv'])!;
    expect(o.sources).toEqual([
      { kind: 'folder', dir: 'a/ravdess' },
      { kind: 'folder', dir: 'b/turev' },
      { kind: 'manifest', file: 'c.csv' },
    ]);
    expect(o.valSpeakers).toEqual([]);
    expect(o.holdout).toBeNull();
    expect(o.recipe.balance).toBe('corpus');
    expect(o.recipe.config.outputs ?? 1).toBe(1);
  });

  it('reads NAME=LIST validation speakers, --holdout-corpus, --outputs, --balance, --speed, --spec-mask', () => {
    const o = parseTrainOptions([
      '--data', 'r', '--data', 't', '--val-speakers', 'r=17-20', '--val-speakers', 't=1157,1234',
      '--holdout-corpus', 'x', '--outputs', '2', '--balance', 'none', '--speed', '0.9,1.1', '--spec-mask',
    ])!;
    expect(o.valSpeakers).toEqual([
      { corpus: 'r', list: '17-20' },
      { corpus: 't', list: '1157,1234' },
    ]);
    expect(o.holdout).toBe('x');
    expect(o.recipe.config.outputs).toBe(2);
    expect(o.recipe.balance).toBe('none');
    expect(o.recipe.augment.speed).toEqual([0.9, 1.1]);
    expect(o.recipe.specMask).not.toBeNull();
    expect(parse('--average', '5').recipe.averageEpochs).toBe(5);
    expect(parse('--mixup', '0.4').recipe.mixup).toBe(0.4);
    expect(parse('--channels', '16,32,64,128,128').recipe.config.channels).toEqual([16, 32, 64, 128, 128]);
    expect(parse('--head', 'time-mean').recipe.config.head).toBe('time-mean');
    expect(parse().recipe.config.head).toBeUndefined();
    expect(parse('--eq').recipe.augment.eq?.probability).toBe(0.5);
    expect(parse().recipe.augment.eq).toBeUndefined();
    expect(parse('--val-speakers', '3,7').valSpeakers).toEqual([{ corpus: null, list: '3,7' }]);
  });

  it('names what is wrong', () => {
    expect(() => parseTrainOptions([])).toThrow(/at least one --data DIR or --manifest/);
    expect(() => parseTrainOptions(['--data', 'r', '--data', 't', '--val-speakers', '17-20'])).toThrow(/NAME=LIST/);
    expect(() => parse('--outputs', '3')).toThrow(/--outputs must be 1 .* or 2/);
    expect(() => parse('--balance', 'sqrt')).toThrow(/--balance must be corpus or none/);
    expect(() => parse('--average', '0')).toThrow(/--average must be a whole number > 0, got "0"/);
    expect(() => parse('--mixup', '0')).toThrow(/--mixup must be a number > 0, got "0"/);
    expect(() => parse('--channels', '16,x')).toThrow(/--channels must be whole numbers > 0 separated by commas, e.g. 16,32,64,128,128; got "16,x"/);
    expect(() => parse('--channels', '16,0')).toThrow(/--channels must be whole numbers > 0/);
    expect(() => parse('--head', 'max')).toThrow(/head must be one of "flatten", "time-mean", got "max"/);
    expect(() => parse('--no-augment', '--speed', '0.9,1.1')).toThrow(/--speed needs augmentation/);
    expect(() => parse('--no-augment', '--eq')).toThrow(/--eq needs augmentation/);
    expect(() => parseTrainOptions(['--data', 'r', '--data', 't', '--folds', '3'])).toThrow(/--folds works on one corpus/);
  });
});
