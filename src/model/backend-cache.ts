// The backend choice kept between visits (issue 11 item 3): timing every backend costs
// seconds (WebGL's first pass alone took 5.8 s on software rendering), so the winner is
// stored with the browser (user agent) and GPU (WebGL renderer) it was timed on, and
// reused while both are the same. Pure: the page stores it (src/storage), the UI words it.
import { BACKEND_NAMES, type BackendName, type BackendTrial } from './backend-name.ts';

/** What a timing depends on: the browser and the GPU (null: no WebGL). */
export interface BackendKey {
  userAgent: string;
  renderer: string | null;
}

/** The outcome of timing the backends, and what it was timed on. */
export interface StoredBackendChoice extends BackendKey {
  backend: BackendName;
  /** The timing's own sentence ("wasm is fastest: 41 ms per reading vs webgl 2.2 s"). */
  reason: string;
  trials: BackendTrial[];
  /** Date.now() of the timing. */
  measuredAt: number;
}

const isTrial = (t: unknown): t is BackendTrial => {
  const r = t as Record<string, unknown> | null;
  const ms = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  return !!r && BACKEND_NAMES.includes(r.backend as BackendName) && ms(r.forwardMs) && ms(r.warmupMs) && typeof r.note === 'string';
};

/** `raw` (what the store holds) as a choice, or null when it is not one (another version's, corrupt). */
export function readStoredChoice(raw: unknown): StoredBackendChoice | null {
  const r = raw as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') return null;
  if (!BACKEND_NAMES.includes(r.backend as BackendName) || typeof r.userAgent !== 'string' || typeof r.reason !== 'string') return null;
  if (!(r.renderer === null || typeof r.renderer === 'string')) return null;
  if (typeof r.measuredAt !== 'number' || !Number.isFinite(r.measuredAt)) return null;
  if (!Array.isArray(r.trials) || !r.trials.every(isTrial)) return null;
  return {
    backend: r.backend as BackendName,
    userAgent: r.userAgent,
    renderer: r.renderer as string | null,
    reason: r.reason,
    trials: r.trials as BackendTrial[],
    measuredAt: r.measuredAt,
  };
}

/** The stored choice if it was timed on this browser and GPU, else null (time again). */
export function choiceFor(stored: StoredBackendChoice | null, key: BackendKey): StoredBackendChoice | null {
  return stored && stored.userAgent === key.userAgent && stored.renderer === key.renderer ? stored : null;
}

/** Why the backend in use is the one in use, in a line for the engine status. */
export type BackendNote =
  | { kind: 'kept'; choice: StoredBackendChoice }
  | { kind: 'timing' }
  | { kind: 'timed'; choice: StoredBackendChoice; switching: boolean }
  | { kind: 'timing-failed'; message: string };

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function backendNoteText(note: BackendNote): string {
  switch (note.kind) {
    case 'kept':
      return `Chosen when the backends were timed on ${when(note.choice.measuredAt)} (${note.choice.reason}); kept for this browser and GPU.`;
    case 'timing':
      return 'Started on wasm without waiting; the backends are timed in the background while you are not listening.';
    case 'timed':
      return note.switching
        ? `Timed in the background: ${note.choice.reason}. ${note.choice.backend} is used from the next start.`
        : `Timed in the background: ${note.choice.reason}. Kept for this browser and GPU.`;
    case 'timing-failed':
      return `Timing the backends in the background failed (${note.message}); wasm stays in use.`;
  }
}
