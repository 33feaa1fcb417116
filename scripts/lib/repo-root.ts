// Where the checkout lies, for the command-line tools that read or write files in it
// (models/, .cache/) and for their tests.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's checkout root (this file is scripts/lib/repo-root.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
