// A personal fine-tuning recipe as text: comma-separated key=value pairs over the default
// recipe, e.g. "layers=2,steps=100,offset=mean". evaluate's --personalize-recipe and the
// app's ?personal-recipe= (a developer's override of the calibration recipe) both read it.
// No TF.js here, so the options are checked before it loads.
import {
  DEFAULT_PERSONALIZE,
  PERSONAL_AUGMENTATIONS,
  PersonalizeError,
  type OffsetRule,
  type PersonalizeRecipe,
} from './recipe.ts';

/** The keys and their values: comma-separated key=value over DEFAULT_PERSONALIZE. */
export const RECIPE_HELP = 'layers=N|all,steps=N,lr=X,batch=N,l2sp=X,augment=none|live|heavy,offset=none|neutral|mean,scale=X|fit,pool=N,seed=N';

/**
 * Reads a recipe's text, e.g. "layers=2,steps=100,offset=mean"; throws naming a bad entry,
 * after `source` (the flag or parameter it came from).
 */
export function parseRecipe(text: string | undefined | null, source = '--personalize-recipe'): PersonalizeRecipe {
  const r: PersonalizeRecipe = { ...DEFAULT_PERSONALIZE };
  if (text === undefined || text === null || text.trim() === '') return r;
  for (const entry of text.split(',')) {
    const [key, value, extra] = entry.split('=').map((s) => s.trim());
    if (value === undefined || value === '' || extra !== undefined) throw new PersonalizeError(`${source}: "${entry}" is not key=value (keys: ${RECIPE_HELP})`);
    const num = Number(value);
    if (key === 'layers') r.layers = value === 'all' ? 'all' : num;
    else if (key === 'steps') r.steps = num;
    else if (key === 'lr') r.lr = num;
    else if (key === 'batch') r.batchSize = num;
    else if (key === 'l2sp') r.l2sp = num;
    else if (key === 'seed') r.seed = num;
    else if (key === 'pool') r.pool = num;
    else if (key === 'offset') r.offset = value as OffsetRule;
    else if (key === 'scale') r.scale = value === 'fit' ? 'fit' : num;
    else if (key === 'augment') {
      const a = PERSONAL_AUGMENTATIONS[value as keyof typeof PERSONAL_AUGMENTATIONS];
      if (!a) throw new PersonalizeError(`${source}: augment must be ${Object.keys(PERSONAL_AUGMENTATIONS).join(', ')}, got "${value}"`);
      r.augment = a;
    } else throw new PersonalizeError(`${source}: unknown key "${key}" (keys: ${RECIPE_HELP})`);
    if (['layers', 'steps', 'lr', 'batch', 'l2sp', 'seed', 'pool', 'scale'].includes(key) && value !== 'all' && value !== 'fit' && !Number.isFinite(num)) {
      throw new PersonalizeError(`${source}: ${key} must be a number, got "${value}"`);
    }
  }
  return r;
}
