// The user's baseline for the gauge (issue 16 section 2, first level): the mean figure of
// their neutral calibration clips (src/calibration/baseline.ts), each clip read by the
// analysis worker with the ACTIVE model, the file pipeline `npm run analyze` uses. It
// follows the clips through the calibration view's 'calibration-clips-change' event and
// works the baseline out again when the neutral clips, the model or its backend change;
// never while a session or a file analysis has the worker (it waits for it to be free).
// The on/off switch is the live setting `relativeToNeutral`; when on and a baseline
// exists, `valence()` / `arousal()` re-centre what the gauge and arousal meter show. Only
// the display: sessions, the timeline and file analysis keep the raw readings.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { baselineClips, baselineClipsKey, baselineOf, recentred, type Baseline } from '../../calibration/baseline.ts';
import { DEFAULT_HOP_SECONDS } from '../../dsp/params.ts';
import type { ClipRecord } from '../../storage/clip-store.ts';
import type { AnalysisClient } from '../../worker/client.ts';
import type { ModelStatusMessage } from '../../worker/protocol.ts';
import type { CalibrationClipsDetail } from './calibration-clips.ts';
import type { WorkerUse } from './model-library.ts';

/**
 * 'unknown': the clips are not read yet; 'no-clips': no neutral clip; 'waiting': the worker is
 * busy or the model not ready; 'computing'; 'ready': `baseline` holds it; 'no-figure': no
 * neutral clip has a figure (no speech found); 'failed': `error` says why.
 */
export type BaselineState = 'unknown' | 'no-clips' | 'waiting' | 'computing' | 'ready' | 'no-figure' | 'failed';

/** What the switch and the statement show. */
export interface BaselineView {
  /** The switch (the live setting). */
  on: boolean;
  state: BaselineState;
  /** Set in state 'ready'. */
  baseline: Baseline | null;
  /** Neutral clips stored. */
  neutralClips: number;
  /** Why it failed ('' unless 'failed'). */
  error: string;
}

export interface BaselineDeps {
  /** The analysis worker (null while the host is disconnected). */
  client(): AnalysisClient | null;
  workerUse(): WorkerUse;
  /** The active model's id and the worker's model status. */
  model(): { id: string; status: ModelStatusMessage };
  /** The switch: the live setting `relativeToNeutral`. */
  on(): boolean;
}

export class BaselineController implements ReactiveController {
  private clips: readonly ClipRecord[] | null = null;
  private state: BaselineState = 'unknown';
  private baseline: Baseline | null = null;
  private error = '';
  /** The last baseline worked out, and what for (model, backend, neutral clips): kept through a model reload. */
  private done: { key: string; state: BaselineState; baseline: Baseline | null; error: string } | null = null;
  private computing = false;
  private readonly onClips = (e: CustomEvent<CalibrationClipsDetail>) => {
    this.clips = baselineClips(e.detail.clips);
    this.host.requestUpdate(); // hostUpdated then sees whether the baseline must be worked out again
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly deps: BaselineDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('calibration-clips-change', this.onClips);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('calibration-clips-change', this.onClips);
  }

  // After each update of the host: a model status, a session or a file analysis ending, new
  // clips all come with one, so this is where a baseline is started, or left waiting.
  hostUpdated(): void {
    this.refresh();
  }

  get view(): BaselineView {
    return { on: this.deps.on(), state: this.state, baseline: this.baseline, neutralClips: this.clips?.length ?? 0, error: this.error };
  }

  /** The valence the gauge shows: re-centred when the switch is on and a baseline exists. */
  valence(raw: number | null): number | null {
    return this.active ? recentred(raw, this.baseline!.valence) : raw;
  }

  /** The arousal the meter shows, likewise (a one-output model's baseline has no arousal). */
  arousal(raw: number | null): number | null {
    return this.active ? recentred(raw, this.baseline!.arousal) : raw;
  }

  private get active(): boolean {
    return this.deps.on() && this.state === 'ready' && this.baseline !== null;
  }

  /** What the baseline depends on now; '' while the model is not ready. */
  private key(clips: readonly ClipRecord[]): string {
    const { id, status } = this.deps.model();
    return status.state === 'ready' ? `${id}|${status.name ?? ''}|${status.backend ?? ''}|${baselineClipsKey(clips)}` : '';
  }

  private refresh(): void {
    const clips = this.clips;
    if (this.computing || clips === null) return;
    if (clips.length === 0) return this.set('no-clips', null);
    const key = this.key(clips);
    const done = this.done;
    if (key !== '' && key === done?.key) {
      this.error = done.error;
      return this.set(done.state, done.baseline);
    }
    const client = this.deps.client();
    if (key === '' || !client || this.deps.workerUse() !== 'free') return this.set('waiting', null);
    void this.compute(client, clips, key);
  }

  private async compute(client: AnalysisClient, clips: readonly ClipRecord[], key: string): Promise<void> {
    this.computing = true;
    this.set('computing', null);
    let state: BaselineState = 'failed';
    let baseline: Baseline | null = null;
    let error = '';
    try {
      const figures = [];
      for (const clip of clips) {
        // A copy goes to the worker (the buffer is transferred); the CLI's default hop, so
        // that a clip longer than one window gets the figure `npm run analyze` gives it.
        const source = { samples: clip.samples.slice(), sampleRate: clip.sampleRate };
        figures.push((await client.analyzeFile(source, DEFAULT_HOP_SECONDS)).headline);
      }
      baseline = baselineOf(figures);
      state = baseline ? 'ready' : 'no-figure';
    } catch (e) {
      error = (e as Error).message;
    }
    this.computing = false;
    // Worked out for a model, backend or clips that changed meanwhile: done again (refresh).
    if (this.clips !== null && this.key(this.clips) === key) {
      this.done = { key, state, baseline, error };
      this.error = error;
      this.set(state, baseline);
    } else this.set('waiting', null);
  }

  private set(state: BaselineState, baseline: Baseline | null): void {
    if (state !== 'failed') this.error = '';
    if (state === this.state && baseline === this.baseline) return;
    this.state = state;
    this.baseline = baseline;
    this.host.requestUpdate();
  }
}
