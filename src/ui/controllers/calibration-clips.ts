// The calibration view's clips: opens the database (its own connection to the app's one
// database), keeps the stored clips in order, and does what the view asks: keep a recording
// for its prompt (a new clip, or the prompt's clip recorded again), import files with a
// label, relabel, delete and export. Every clip passes src/calibration/clip-check.ts first:
// a clip without speech is refused with the reason, and nothing is stored. Each time the
// clips are read, the host says so with a 'calibration-clips-change' event (the baseline,
// controllers/baseline.ts, follows the neutral clips through it).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clipProblem } from '../../calibration/clip-check.ts';
import { calibrationExport } from '../../calibration/export.ts';
import { promptById } from '../../calibration/prompts.ts';
import { ClipStore, type ClipRecord } from '../../storage/clip-store.ts';
import { openValenceDb } from '../../storage/db.ts';
import { DEFAULT_LIVE_SETTINGS, SettingsStore, type LiveSettings } from '../../storage/settings-store.ts';
import type { Emotion } from '../../training/labels.ts';
import { decodeClipFile, saveExportFiles } from '../clip-files.ts';
import type { RecordedAudio } from './clip-recorder.ts';

/** Detail of the 'calibration-clips-change' event: the stored clips, as just read. */
export interface CalibrationClipsDetail {
  clips: readonly ClipRecord[];
}

export class CalibrationClipsController implements ReactiveController {
  /** The stored clips, in the order first stored. */
  clips: ClipRecord[] = [];
  /** The clips have been read (or the database failed). */
  loaded = false;
  /** Storing, importing or exporting. */
  busy = false;
  /** Why the last action failed ('' for none). */
  error = '';
  /** Where the view shows `error`: the prompt id it concerns, or 'import', 'export', 'storage'. */
  errorAt = '';
  /** What the last action did, e.g. where the export went ('' for nothing). */
  notice = '';
  private store: ClipStore | null = null;
  private settingsStore: SettingsStore | null = null;
  private opening: Promise<void> | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.opening ??= this.open();
  }

  /** The clip that answers prompt `promptId`, if recorded. */
  forPrompt(promptId: string): ClipRecord | undefined {
    return this.clips.find((c) => c.promptId === promptId);
  }

  /** The live monitor's settings (its microphone), for the recorder. */
  async liveSettings(): Promise<LiveSettings> {
    await this.opening;
    return (await this.settingsStore?.load().catch(() => null)) ?? { ...DEFAULT_LIVE_SETTINGS };
  }

  /** Keeps a recording as its prompt's clip, unless it holds no speech. */
  async keepRecording(audio: RecordedAudio): Promise<void> {
    const prompt = promptById(audio.target);
    if (!prompt) return;
    await this.act(prompt.id, async (store) => {
      const problem = clipProblem(audio.samples, audio.sampleRate, 'recorded');
      if (problem) throw new Error(problem);
      const clip = { source: 'recorded' as const, promptId: prompt.id, name: prompt.sentence, emotion: prompt.emotion, samples: audio.samples, sampleRate: audio.sampleRate };
      const old = this.forPrompt(prompt.id);
      await (old ? store.replace(old.id, clip) : store.add(clip));
    });
  }

  /** Imports audio files, each labelled `emotion`; a file that fails is named and the others still come in. */
  async importFiles(files: readonly File[], emotion: Emotion): Promise<void> {
    await this.act('import', async (store) => {
      const refused: string[] = [];
      for (const file of files) {
        try {
          const audio = await decodeClipFile(file);
          const problem = clipProblem(audio.samples, audio.sampleRate, 'imported');
          if (problem) throw new Error(problem);
          await store.add({ source: 'imported', promptId: null, name: file.name, emotion, ...audio });
        } catch (e) {
          refused.push(`${file.name}: ${(e as Error).message}`);
        }
      }
      if (refused.length > 0) throw new Error(refused.join(' '));
    });
  }

  relabel(id: number, emotion: Emotion): Promise<void> {
    return this.act('storage', async (store) => void (await store.relabel(id, emotion)));
  }

  remove(id: number): Promise<void> {
    return this.act('storage', (store) => store.remove(id));
  }

  /** Writes the clips and manifest.csv into a folder the user picks, or downloads them. */
  async exportAll(speaker: string): Promise<void> {
    await this.act('export', async () => {
      const outcome = await saveExportFiles(calibrationExport(this.clips, speaker));
      const n = this.clips.length;
      if (outcome.to === 'folder') this.notice = `${n} clips and manifest.csv written to the folder "${outcome.folder}".`;
      else if (outcome.to === 'downloads') this.notice = `${n} clips and manifest.csv downloaded: keep them in one folder.`;
    });
  }

  private async open(): Promise<void> {
    try {
      const db = await openValenceDb();
      this.store = new ClipStore(db);
      this.settingsStore = new SettingsStore(db);
      this.clips = await this.store.list();
    } catch (e) {
      this.error = `Calibration clips cannot be kept: ${(e as Error).message}`;
      this.errorAt = 'storage';
    }
    this.loaded = true;
    this.announce(); // none, where the database failed
    this.host.requestUpdate();
  }

  private announce(): void {
    const detail: CalibrationClipsDetail = { clips: this.clips };
    this.host.dispatchEvent(new CustomEvent('calibration-clips-change', { detail, bubbles: true, composed: true }));
  }

  /** Runs `op` on the store (busy meanwhile), then reloads the clips; its error becomes `error`, shown `at`. */
  private async act(at: string, op: (store: ClipStore) => Promise<void>): Promise<void> {
    await this.opening;
    const store = this.store;
    if (!store) return;
    this.error = '';
    this.notice = '';
    this.busy = true;
    this.host.requestUpdate();
    try {
      await op(store);
    } catch (e) {
      this.error = (e as Error).message;
      this.errorAt = at;
    }
    try {
      this.clips = await store.list();
      this.announce();
    } catch (e) {
      if (!this.error) [this.error, this.errorAt] = [(e as Error).message, 'storage'];
    }
    this.busy = false;
    this.host.requestUpdate();
  }
}

declare global {
  interface HTMLElementEventMap {
    'calibration-clips-change': CustomEvent<CalibrationClipsDetail>;
  }
}
