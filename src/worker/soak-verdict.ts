// The judgement of `npm run soak` (scripts/soak.ts), pure so it can be tested by hand: the
// figures of each minute of a long live session, their percentiles and least-squares
// slopes, and a PASS / FAIL per goal of issue 12 item 10 (0 skipped, 0 overruns, flat
// heap and tensors, readings kept coming). The script measures; this decides.

/** What the soak measured at the end of one minute of listening. */
export interface SoakMinute {
  /** 1 for the first minute. */
  minute: number;
  /** Readings painted during this minute. */
  readings: number;
  /** Reading points skipped during this minute (the readings' `skipped`). */
  skipped: number;
  /** Samples the ring has dropped since the start (the page's count). */
  overruns: number;
  /** The page's JavaScript heap, bytes (after a garbage collection). */
  pageHeapBytes: number;
  /** The analysis worker's heap with its wasm helper threads, bytes (after a collection). */
  workerHeapBytes: number;
  /** Tensors the worker held between passes. */
  tensors: number;
}

/** One goal's outcome: pass null when the run is too short to judge it. */
export interface SoakGoal {
  name: string;
  pass: boolean | null;
  detail: string;
}

export interface SoakOptions {
  /** The reading interval of the session, seconds. */
  hopSeconds: number;
  /** Minutes left out of the heap fits (the first ones: see DEFAULT_WARMUP_MINUTES). */
  warmupMinutes: number;
}

/**
 * Minutes before the heap is expected to be flat (the tensor count needs none: it is taken
 * between passes, and the model's weights are all there from the first). The page keeps the session's first
 * 5 minutes of audio for the WAV download (live-session.ts KEEP_SECONDS): until then the
 * worker's heap grows by design, about 10 MB a minute at 44.1 kHz. One more minute for
 * the last of that and for the JIT and IndexedDB to settle.
 */
export const DEFAULT_WARMUP_MINUTES = 6;

/**
 * Flat heap: a slope under 32 KiB a minute (under 2 MiB over an hour). What grows by
 * design stays well under it: the page's timeline keeps every reading (about 120 a minute
 * at a 0.5 s hop, some 64 bytes each: ~8 KiB a minute). A leak of one Mel frame (64
 * floats, 256 bytes) per reading would be about 36 KiB a minute, and anything larger
 * (a window, an input chunk) far more.
 */
export const HEAP_SLOPE_LIMIT_BYTES_PER_MINUTE = 32 * 1024;

/**
 * Flat tensors: a slope under 0.1 tensor a minute. Between passes the worker should hold
 * exactly the model's weights, so the count should not move at all; 0.1 leaves room for a
 * one-off cache entry in an hour and fails a leak of one tensor a minute or more (one per
 * reading would be 120 a minute).
 */
export const TENSOR_SLOPE_LIMIT_PER_MINUTE = 0.1;

/** A minute should bring at least this share of its 60 / hop reading points (read or skipped). */
export const MIN_READING_SHARE = 0.9;

/** Least-squares slope of y on x (the b of y = a + b x). Needs two or more distinct x. */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`slope of ${y.length} values at ${x.length} points`);
  if (x.length < 2) throw new RangeError(`a slope needs at least 2 points, got ${x.length}`);
  const mx = x.reduce((a, v) => a + v, 0) / x.length;
  const my = y.reduce((a, v) => a + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  if (sxx === 0) throw new RangeError('a slope needs at least 2 distinct points');
  return sxy / sxx;
}

/**
 * The p-th percentile (0 < p <= 100) by nearest rank: the smallest value with at least p %
 * of the values at or below it. null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

const KIB = 1024;
const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB`;

/** A flatness goal: the slope of `value` over the minutes after `warmup` against `limit`. */
function flatGoal(
  name: string,
  minutes: readonly SoakMinute[],
  warmup: number,
  value: (m: SoakMinute) => number,
  limit: number,
  show: (x: number) => string,
): SoakGoal {
  const fitted = minutes.filter((m) => m.minute > warmup);
  if (fitted.length < 2) {
    const after = warmup > 0 ? ` after the ${warmup}-minute warm-up` : '';
    return { name, pass: null, detail: `not judged: needs 2 minutes${after}, got ${fitted.length}` };
  }
  const slope = leastSquaresSlope(
    fitted.map((m) => m.minute),
    fitted.map(value),
  );
  const first = fitted[0];
  const last = fitted[fitted.length - 1];
  return {
    name,
    pass: slope < limit,
    detail:
      `slope ${show(slope)}/min over minutes ${first.minute}-${last.minute} (limit ${show(limit)}/min); ` +
      `${show(value(first))} -> ${show(value(last))}`,
  };
}

/** PASS / FAIL (or not judged) for each goal, over every minute measured. */
export function soakVerdict(minutes: readonly SoakMinute[], opts: SoakOptions): SoakGoal[] {
  if (minutes.length === 0) throw new RangeError('no minute was measured');
  const skipped = minutes.reduce((n, m) => n + m.skipped, 0);
  const overruns = minutes[minutes.length - 1].overruns;
  const expected = 60 / opts.hopSeconds;
  const short = minutes.filter((m) => m.readings + m.skipped < MIN_READING_SHARE * expected);
  const count = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  return [
    { name: 'skipped', pass: skipped === 0, detail: `${skipped} reading points skipped` },
    { name: 'overruns', pass: overruns === 0, detail: `${overruns} samples dropped by the ring` },
    {
      name: 'readings',
      pass: short.length === 0,
      detail:
        short.length === 0
          ? `every minute brought at least ${Math.ceil(MIN_READING_SHARE * expected)} of its ${expected} reading points`
          : `fewer than ${Math.ceil(MIN_READING_SHARE * expected)} of ${expected} reading points in minute(s) ${short.map((m) => m.minute).join(', ')}`,
    },
    flatGoal('page heap', minutes, opts.warmupMinutes, (m) => m.pageHeapBytes, HEAP_SLOPE_LIMIT_BYTES_PER_MINUTE, kib),
    flatGoal('worker heap', minutes, opts.warmupMinutes, (m) => m.workerHeapBytes, HEAP_SLOPE_LIMIT_BYTES_PER_MINUTE, kib),
    flatGoal('tensors', minutes, 0, (m) => m.tensors, TENSOR_SLOPE_LIMIT_PER_MINUTE, count),
  ];
}
