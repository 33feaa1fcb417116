// How many threads TF.js's threaded wasm backend runs, and how many helper workers
// (Emscripten pthreads, about 17 MB each) it starts for them. The package's build starts a
// fixed pool of 8 whatever the machine, while its XNNPACK thread pool takes at most
// navigator.hardwareConcurrency / 2 threads (it counts two logical cores per physical one;
// backend.cc's init_with_threads_count), the calling thread being one of them: so a 2-core
// machine ran one thread and kept 8 idle workers; it now keeps 1. Which build runs is not
// changed: one thread on the threaded build, as before. Pure: the browser
// backend applies the plan, vite.config.ts patches the pool size into the factory's source.

/** tfjs-backend-wasm's compiled-in pool size (PTHREAD_POOL_SIZE) and our most threads. */
export const BUILT_IN_POOL_SIZE = 8;

/** The global the patched factory reads its pool size from (set before the backend starts). */
export const POOL_SIZE_GLOBAL = '__valenceWasmPthreadPoolSize';

const BUILT_IN_POOL_LINE = `var pthreadPoolSize=${BUILT_IN_POOL_SIZE};`;

export interface WasmThreadPlan {
  /** XNNPACK's threads, the calling one included (setThreadsCount; TF.js caps it the same way). */
  threads: number;
  /**
   * Helper workers to start up front: one per thread besides the caller, and at least one:
   * the factory counts its pooled workers down to zero before it starts, so with none it
   * never starts.
   */
  poolSize: number;
}

/** The plan for a machine with `hardwareConcurrency` logical cores (unknown or invalid: one). */
export function wasmThreadPlan(hardwareConcurrency: number | undefined): WasmThreadPlan {
  const cores =
    typeof hardwareConcurrency === 'number' && Number.isFinite(hardwareConcurrency) && hardwareConcurrency >= 1
      ? Math.floor(hardwareConcurrency)
      : 1;
  const threads = Math.max(1, Math.min(Math.floor(cores / 2), BUILT_IN_POOL_SIZE));
  return { threads, poolSize: Math.max(1, threads - 1) };
}

/**
 * The threaded factory's source with its fixed pool size replaced by a read of
 * POOL_SIZE_GLOBAL (8 when unset, as before); null when the source has no such line (a
 * TF.js version built otherwise), which leaves the pool at whatever that build does.
 */
export function patchPthreadPoolSize(source: string): string | null {
  const at = source.indexOf(BUILT_IN_POOL_LINE);
  if (at < 0 || source.indexOf(BUILT_IN_POOL_LINE, at + 1) >= 0) return null;
  const read = `typeof self=="object"&&typeof self.${POOL_SIZE_GLOBAL}=="number"?self.${POOL_SIZE_GLOBAL}:${BUILT_IN_POOL_SIZE}`;
  return source.slice(0, at) + `var pthreadPoolSize=${read};` + source.slice(at + BUILT_IN_POOL_LINE.length);
}

/** True when a factory's source reads its pool size from POOL_SIZE_GLOBAL (patched by the build). */
export function poolSizePatched(source: string): boolean {
  return source.includes(`self.${POOL_SIZE_GLOBAL}`);
}
