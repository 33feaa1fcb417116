// The two presets as SPEC section 2 and the live recipe define them, overrides and the
// combinations buildRecipe refuses, and the recipe helpers train uses (epoch selection,
// whether to load signals, the checkpoint key).
import { DEFAULT_CHANNEL_EQ } from './channel-eq.ts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISATION } from '../dsp/loudness.ts';
import { ConfigError, SEED_PRESET } from '../model/config.ts';
import { DEFAULT_AUGMENTATION, NO_AUGMENTATION } from './augment.ts';
import { buildRecipe, isBetter, needsSignals, recipeKey, RecipeError } from './recipe.ts';

describe('buildRecipe', () => {
  it('seed is the report\'s setup: power features, no augmentation or normalisation, Adam lr 1e-4, batch 4, 50 epochs', () => {
    const r = buildRecipe('seed');
    expect(r.preset).toBe('seed');
    expect(r.config).toEqual({ ...SEED_PRESET, features: 'power' });
    expect(r.augment).toEqual(NO_AUGMENTATION);
    expect(r.normalisation).toBeNull();
    expect([r.lr, r.batchSize, r.epochs]).toEqual([1e-4, 4, 50]);
    expect(needsSignals(r)).toBe(false);
  });

  it('live trains on dB features with augmentation and loudness normalisation', () => {
    const r = buildRecipe('live');
    expect(r.config.features).toBe('db');
    expect(r.augment).toEqual(DEFAULT_AUGMENTATION);
    expect(r.normalisation).toEqual(DEFAULT_NORMALISATION);
    expect(needsSignals(r)).toBe(true);
  });

  it('applies overrides and keeps the preset for the rest', () => {
    const r = buildRecipe('live', {
      config: { features: 'power', kernelSize: 3, pooling: 'max' },
      augment: false,
      normalise: true,
      maxBoostDb: 12,
      lr: 5e-4,
      select: 'mse',
      seed: 7,
    });
    expect(r.config).toEqual({ ...SEED_PRESET, features: 'power', kernelSize: 3, pooling: 'max' });
    expect(r.augment).toEqual(NO_AUGMENTATION);
    expect(r.normalisation).toEqual({ ...DEFAULT_NORMALISATION, maxGainDb: 12 });
    expect([r.lr, r.select, r.seed, r.batchSize]).toEqual([5e-4, 'mse', 7, 4]);
    const noisy = buildRecipe('seed', { augment: true, noiseSnrDb: [10, 20] }).augment;
    expect(noisy.noise).toEqual({ ...DEFAULT_AUGMENTATION.noise, snrDb: [10, 20] });
    expect(buildRecipe('live', { levelJitterDb: [-3, 3] }).augment.levelDb).toEqual([-3, 3]);
  });

  it('refuses an override that would have no effect, naming it and what it needs', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(RecipeError);
        const { field, needs } = e as RecipeError;
        return { field, needs };
      }
      throw new Error('expected a RecipeError');
    };
    expect(refusal(() => buildRecipe('seed', { noiseSnrDb: [5, 45] }))).toEqual({ field: 'noiseSnrDb', needs: 'augmentation' });
    expect(refusal(() => buildRecipe('seed', { crop: [0.6, 3] }))).toEqual({ field: 'crop', needs: 'augmentation' });
    expect(buildRecipe('live', { crop: [0.6, 3] }).augment.crop).toEqual([0.6, 3]);
    expect(refusal(() => buildRecipe('seed', { eq: true }))).toEqual({ field: 'eq', needs: 'augmentation' });
    expect(buildRecipe('live', { eq: true }).augment.eq).toEqual(DEFAULT_CHANNEL_EQ);
    expect('eq' in buildRecipe('live').augment).toBe(false);
    expect(refusal(() => buildRecipe('live', { normalise: false, levelJitterDb: [-6, 6] }))).toEqual({
      field: 'levelJitterDb',
      needs: 'augmentation and loudness normalisation',
    });
    expect(refusal(() => buildRecipe('live', { augment: false, levelJitterDb: [-6, 6] })).field).toBe('levelJitterDb');
    expect(refusal(() => buildRecipe('seed', { maxBoostDb: 40 }))).toEqual({ field: 'maxBoostDb', needs: 'loudness normalisation' });
  });

  it('refuses values out of range (callers other than the command line)', () => {
    expect(() => buildRecipe('seed', { epochs: 0 })).toThrow(RecipeError);
    expect(() => buildRecipe('seed', { lr: -1 })).toThrow(/lr must be a positive number/);
    expect(() => buildRecipe('seed', { batchSize: 1.5 })).toThrow(RecipeError);
    expect(() => buildRecipe('seed', { patience: -1 })).toThrow(RecipeError);
    expect(() => buildRecipe('live', { maxBoostDb: -3 })).toThrow(RecipeError);
    expect(() => buildRecipe('seed', { config: { kernelSize: 0 } })).toThrow(ConfigError);
    expect(() => buildRecipe('live', { averageEpochs: 0 })).toThrow(/averageEpochs must be a whole number > 0/);
  });

  it('records weight averaging only when it averages: 1 leaves the recipe (and its key) as without the option', () => {
    expect(buildRecipe('live', { averageEpochs: 5 }).averageEpochs).toBe(5);
    expect('averageEpochs' in buildRecipe('live', { averageEpochs: 1 })).toBe(false);
    expect(recipeKey(buildRecipe('live', { averageEpochs: 1 }))).toBe(recipeKey(buildRecipe('live')));
    expect(recipeKey(buildRecipe('live', { averageEpochs: 3 }))).not.toBe(recipeKey(buildRecipe('live')));
  });

  it('records mixup only when asked, and refuses an alpha that is not > 0', () => {
    expect(buildRecipe('live', { mixup: 0.4 }).mixup).toBe(0.4);
    expect('mixup' in buildRecipe('live')).toBe(false);
    expect(recipeKey(buildRecipe('live', { mixup: 0.4 }))).not.toBe(recipeKey(buildRecipe('live')));
    expect(() => buildRecipe('live', { mixup: 0 })).toThrow(/mixup must be a number > 0, got 0/);
  });

  it('takes the band-mean features and names the feature types when given another', () => {
    expect(buildRecipe('live', { config: { features: 'db-band-mean' } }).config.features).toBe('db-band-mean');
    const bad = { features: 'mfcc' } as unknown as { features: 'db' };
    expect(() => buildRecipe('live', { config: bad })).toThrow(/features must be one of "power", "db", "db-band-mean", got "mfcc"/);
  });
});

describe('recipe helpers', () => {
  it('recipeKey ignores what a resume may change (epochs, patience) and nothing else', () => {
    const r = buildRecipe('live');
    expect(recipeKey({ ...r, epochs: 3, patience: 0 })).toBe(recipeKey(r));
    expect(recipeKey({ ...r, lr: 1e-3 })).not.toBe(recipeKey(r));
    expect(recipeKey({ ...r, seed: 1 })).not.toBe(recipeKey(r));
  });

  it('isBetter: higher CCC or lower MSE wins, NaN never wins, anything finite beats nothing or NaN', () => {
    const s = (ccc: number, mse: number) => ({ ccc, mse });
    expect(isBetter(s(0.5, 0.3), s(0.4, 0.1), 'ccc')).toBe(true);
    expect(isBetter(s(0.5, 0.3), s(0.4, 0.1), 'mse')).toBe(false);
    expect(isBetter(s(0.4, 0.3), s(0.4, 0.3), 'ccc')).toBe(false); // a tie keeps the earlier one
    expect(isBetter(s(NaN, 0.3), null, 'ccc')).toBe(false);
    expect(isBetter(s(0.1, 0.3), null, 'ccc')).toBe(true);
    expect(isBetter(s(-0.9, 0.3), s(NaN, 0.1), 'ccc')).toBe(true);
  });
});
