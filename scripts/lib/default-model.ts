// Finds the bundled model: models/index.json names the default model folder under models/
// (the app reads the same file at /models/index.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';

export const MODELS_DIR = join(REPO_ROOT, 'models');

export interface ModelIndex {
  /** Folder name under models/ of the model the app and the CLI use by default. */
  default: string;
}

export function defaultModelDir(): string {
  const indexPath = join(MODELS_DIR, 'index.json');
  if (!existsSync(indexPath)) {
    throw new Error(`no bundled model (${indexPath} is missing): pass --model DIR, or train one with npm run train`);
  }
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Partial<ModelIndex>;
  if (typeof index.default !== 'string' || !index.default) {
    throw new Error(`${indexPath} does not name a default model ({"default": "NAME"})`);
  }
  return join(MODELS_DIR, index.default);
}
