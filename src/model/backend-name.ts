// The TF.js backends the app can run the model on, and the record of timing one at
// start-up. Types and one list of names only: the worker protocol, the page and the backend
// choice share them without the page's bundle pulling in TF.js.

export type BackendName = 'webgl' | 'webgpu' | 'wasm' | 'cpu';
/** Which backend to use: measure and pick the fastest ('auto'), or a forced one. */
export type BackendPreference = 'auto' | BackendName;

/** Every backend name, to check what a URL or a stored record names. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgl', 'webgpu', 'wasm', 'cpu'];

/** Result of timing one backend at start-up. */
export interface BackendTrial {
  backend: BackendName;
  /** Median forward pass after a warm-up (ms); null when the backend did not work. */
  forwardMs: number | null;
  /** First pass including shader compilation / setup (ms). */
  warmupMs: number | null;
  /** Why it was not timed or failed; renderer or adapter name etc. */
  note: string;
}
