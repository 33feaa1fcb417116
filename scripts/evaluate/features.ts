// The spectrogram evaluate scores each clip on: the report's window of the clip (cached
// features), or, with a simulated channel or live windows, features computed from the
// clip's cached 8 kHz signal.
import { readingAfterUtterance } from '../../src/dsp/live-window.ts';
import { signalFeatures } from '../../src/dsp/pipeline.ts';
import { simulateChannel, type Channel } from '../../src/dsp/channel.ts';
import type { LoudnessNormalisation } from '../../src/dsp/loudness.ts';
import type { FeatureType } from '../../src/dsp/params.ts';
import { createRng } from '../../src/training/random.ts';
import type { Clip } from '../lib/corpus.ts';
import { loadFeatures, loadSignals, type FeatureCache, type Loaded, type LoadProgress } from '../lib/feature-cache.ts';

/** How clips are heard and windowed. */
export interface ScoringWindows {
  /** report: each clip's first 7.7 s, zero-padded; live: the live reading just after the clip ends. */
  windows: 'report' | 'live';
  /** A simulated recording channel to hear the clips through first, or null. */
  channel: Channel | null;
}

/** A progress line on an interactive stderr, overwritten in place. */
function progressReporter(): (p: LoadProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  return (p) => {
    if (p.done % 25 === 0 || p.done === p.total) process.stderr.write(`\rreading clips: ${p.done}/${p.total}`);
    if (p.done === p.total) process.stderr.write('\n');
  };
}

/**
 * Features computed from each clip's cached 8 kHz signal: through the simulated channel if
 * one is asked for, then the report's window or the live reading just after the clip ends.
 */
function featuresFromSignals(
  cache: FeatureCache,
  clips: readonly Clip[],
  opts: ScoringWindows,
  features: FeatureType,
  normalisation: LoudnessNormalisation | null,
): Loaded<Float32Array> {
  const signals = loadSignals(cache, clips, progressReporter());
  const rand = createRng(1); // the same noise for every model scored
  return {
    items: signals.items.map(({ clip, value }) => {
      const heard = opts.channel ? simulateChannel(value, opts.channel, rand) : value;
      const spec =
        opts.windows === 'live'
          ? readingAfterUtterance(heard, { features, normalisation })
          : signalFeatures(heard, features, normalisation);
      return { clip, value: spec.data };
    }),
    failures: signals.failures,
  };
}

/** Each clip's spectrogram data as scored; files that cannot be read are listed in `failures` and skipped. */
export function scoringFeatures(
  cache: FeatureCache,
  clips: readonly Clip[],
  opts: ScoringWindows,
  features: FeatureType,
  normalisation: LoudnessNormalisation | null,
): Loaded<Float32Array> {
  return opts.windows === 'report' && opts.channel === null
    ? loadFeatures(cache, clips, features, normalisation, progressReporter())
    : featuresFromSignals(cache, clips, opts, features, normalisation);
}
