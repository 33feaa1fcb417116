// Timing for the benchmarks: warm up, then the median of repeated runs (robust to the
// noise of a shared machine).

export interface Timing {
  /** Median milliseconds per call. */
  ms: number;
  /** Fastest call (ms). */
  min: number;
  runs: number;
}

export async function time(fn: () => unknown | Promise<unknown>, opts: { warmup?: number; runs?: number; minMs?: number } = {}): Promise<Timing> {
  const { warmup = 3, runs = 20, minMs = 200 } = opts;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < runs || (performance.now() - start < minMs && samples.length < runs * 50)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], min: samples[0], runs: samples.length };
}
