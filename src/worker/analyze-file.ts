// A file through the live pipeline in one pass over its chunks: its timeline (analyzeChunks)
// and its one figure (file-headline.ts), the report window filled alongside. `npm run
// analyze` and the analysis worker's file analysis both call it.
import { StreamingReportWindow, windowFeatures } from '../dsp/pipeline.ts';
import { DEFAULT_HOP_SECONDS } from '../dsp/params.ts';
import { analyzeChunks, type AnalysisLoopOptions } from './analysis-loop.ts';
import { fileHeadline, fitsReportWindow, type FileHeadline } from './file-headline.ts';
import type { LiveReading } from './protocol.ts';

export interface FileAnalysis {
  readings: LiveReading[];
  headline: FileHeadline;
  /** Input samples read (at the file's rate). */
  frames: number;
}

/**
 * A file read in chunks: its timeline (analyzeChunks, the live pipeline) and, alongside,
 * its report window (the first 61500 samples at 8 kHz), then its headline. One pass over
 * the chunks; memory holds one chunk, the window and the readings.
 */
export async function analyzeFileWithHeadline(
  chunks: Iterable<Float32Array> | AsyncIterable<Float32Array>,
  opts: AnalysisLoopOptions & { predict: NonNullable<AnalysisLoopOptions['predict']> },
): Promise<FileAnalysis> {
  const report = new StreamingReportWindow(opts.inputRate);
  let frames = 0;
  async function* tee(): AsyncGenerator<Float32Array> {
    for await (const chunk of chunks) {
      frames += chunk.length;
      report.push(chunk);
      yield chunk;
    }
  }
  const readings = await analyzeChunks(tee(), opts);
  if (frames === 0) throw new Error('the file holds no audio (0 samples)');
  const reportReading = fitsReportWindow(frames, opts.inputRate)
    ? await opts.predict(windowFeatures(report.window(), opts.features, opts.normalisation ?? null).data)
    : null;
  return { readings, headline: fileHeadline(readings, reportReading, opts.hopSeconds ?? DEFAULT_HOP_SECONDS), frames };
}
