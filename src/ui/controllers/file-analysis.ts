// Analyses a file the user picked: opens it (src/audio/decode-audio-file.ts: a WAV's header,
// or the browser's decoding of anything else) and runs it through the worker's live
// pipeline (AnalysisLoop), every reading point evaluated; the worker reads a WAV itself. The
// readings go to the file's timeline and out from the host as a `vm-file-readings` event.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { openAudioFile } from '../../audio/decode-audio-file.ts';
import type { AnalysisClient } from '../../worker/client.ts';
import type { LiveReading } from '../../worker/protocol.ts';
import type { FileHeadline } from '../../worker/file-headline.ts';
import { fileSummaryText } from '../reading-text.ts';
import type { Reading } from '../timeline-geometry.ts';

/** Detail of the `vm-file-readings` event: a file's readings, as analysed in the page. */
export interface FileReadingsEventDetail {
  name: string;
  sampleRate: number;
  /** 'wav' (src/audio/decode-wav.ts, the file's own rate, no resampling) or 'browser' (decodeAudioData). */
  decoder: 'wav' | 'browser';
  readings: LiveReading[];
  /** The file's one figure and its rule, as `npm run analyze` prints them. */
  headline: FileHeadline;
}

export interface FileAnalysisDeps {
  /** The analysis worker (null while the host is disconnected). */
  client(): AnalysisClient | null;
  /** Seconds between readings (the live setting). */
  hopSeconds(): number;
  /** The analysis ended, done or failed: the worker is free again. */
  onFinished(): void;
}

export class FileAnalysisController implements ReactiveController {
  /** The file's timeline (null valence and arousal: no speech). */
  readings: readonly Reading[] = [];
  busy = false;
  /** Why the last file could not be analysed ('' for none). */
  error = '';
  /** One line about the analysed file ('' for none). */
  summary = '';
  /** What the user should know about the analysed file, e.g. that it is cut short ('' for none). */
  warning = '';

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly deps: FileAnalysisDeps,
  ) {
    host.addController(this);
  }

  // Nothing to set up or release: the worker is the live session's, which terminates it.
  hostConnected(): void {}

  async analyse(file: File): Promise<void> {
    const client = this.deps.client();
    if (!client || this.busy) return;
    this.busy = true;
    this.error = '';
    this.summary = '';
    this.warning = '';
    this.readings = [];
    this.host.requestUpdate();
    try {
      const audio = await openAudioFile(file);
      this.warning = audio.warning;
      const samples = audio.frames;
      const { readings, headline } = await client.analyzeFile(audio.source, this.deps.hopSeconds());
      this.readings = readings.map((r) => ({ t: r.time, valence: r.speech ? r.valence : null, arousal: r.speech ? r.arousal : null }));
      this.summary = fileSummaryText({ name: file.name, samples, sampleRate: audio.sampleRate, decoder: audio.decoder, readings, headline });
      this.host.dispatchEvent(
        new CustomEvent<FileReadingsEventDetail>('vm-file-readings', {
          detail: { name: file.name, sampleRate: audio.sampleRate, decoder: audio.decoder, readings, headline },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
      this.deps.onFinished();
    }
  }
}
