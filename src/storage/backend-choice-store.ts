// The timed backend choice (src/model/backend-cache.ts) kept across visits in the
// database's `meta` store, beside the settings. A stored value that is not a choice
// (another version's, a corrupt one) reads as none: the backends are simply timed again.
import { readStoredChoice, type StoredBackendChoice } from '../model/backend-cache.ts';
import { guarded, type ValenceDatabase } from './db.ts';

const CHOICE_KEY = 'backendChoice';

export class BackendChoiceStore {
  constructor(readonly db: ValenceDatabase) {}

  async load(): Promise<StoredBackendChoice | null> {
    return readStoredChoice(await guarded('reading the backend choice', () => this.db.get('meta', CHOICE_KEY)));
  }

  async save(choice: StoredBackendChoice): Promise<void> {
    await guarded('the backend choice', () => this.db.put('meta', structuredClone(choice), CHOICE_KEY));
  }
}
