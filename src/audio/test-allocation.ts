// Test helper: how many bytes a call leaves on the JS heap once it runs optimised, for the
// "allocates nothing" promises of the audio-thread code. No timing and no --expose-gc: it
// reads V8's used heap size around a batch of calls, and takes the smallest result of a
// few consecutive batches, because a garbage collection can hide allocations in one batch
// (the heap shrinks) and a JIT compilation can add a few kilobytes to another.
import { getHeapStatistics } from 'node:v8';

/** Consecutive clean batches that must all stay low (a GC cannot hide in all of them). */
const RUN = 3;

/**
 * Calls `fn` `calls` times per batch, up to `batches` batches (the first ones also warm it
 * up), and returns the least, over every RUN consecutive batches without a visible
 * collection, of their largest heap growth per call, in bytes. A call that allocates any
 * object (16 bytes at least) gives >= 16, or Infinity when it fills the young generation in
 * every batch; one that allocates nothing gives well under 1.
 */
export function heapBytesPerCall(fn: () => void, calls = 20_000, batches = 40): number {
  let best = Infinity;
  const recent: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = getHeapStatistics().used_heap_size;
    for (let i = 0; i < calls; i++) fn();
    const after = getHeapStatistics().used_heap_size;
    if (after < before) {
      recent.length = 0; // a collection ran: this batch says nothing
      continue;
    }
    recent.push((after - before) / calls);
    if (recent.length > RUN) recent.shift();
    if (recent.length === RUN) best = Math.min(best, Math.max(...recent));
    if (best < 0.05) break;
  }
  return best;
}
