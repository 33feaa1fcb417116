// Saves every listening session as it runs (SessionStore, IndexedDB): the session record at
// the start, each reading as it comes, the end at the stop; a closed tab loses at most one
// reading. Also the history's side: the stored sessions, the chosen one with its readings,
// and deleting one.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionRecord, SessionStart, SessionStore, SessionWithReadings } from '../../storage/session-store.ts';
import type { LiveReading } from '../../worker/protocol.ts';

/** The history's entry of the running session follows its readings at most this often. */
const SESSION_LIST_REFRESH_MS = 2000;

export class SessionRecorderController implements ReactiveController {
  /** Stored sessions, newest first. */
  sessions: readonly SessionRecord[] = [];
  /** The session chosen in the history, with its readings. */
  selected: SessionWithReadings | null = null;
  /** The stored id of the session being recorded, or -1. */
  runningSessionId = -1;
  /** A storage error to show ('' for none). */
  error = '';
  private store: SessionStore | null = null;
  /** The stored session of the running capture (its id once stored; null if it could not be). */
  private sessionId: Promise<number | null> | null = null;
  private refreshedAt = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  // Nothing to set up or release: the host attaches the store once IndexedDB is open, and
  // a session still recording is ended by the live session's stop on disconnection.
  hostConnected(): void {}

  /** From now on sessions are saved in `store`. */
  attach(store: SessionStore): void {
    this.store = store;
  }

  /** A session started: stores its record (readings wait for its id). */
  begin(start: SessionStart): void {
    const store = this.store;
    if (!store) return;
    this.setError('');
    const id = store.startSession(start).then(
      (sessionId) => {
        if (this.sessionId === id) this.runningSessionId = sessionId;
        this.host.requestUpdate();
        void this.refresh();
        return sessionId;
      },
      (e: unknown) => {
        this.setError(`This session is not being saved: ${(e as Error).message}`);
        return null;
      },
    );
    this.sessionId = id;
  }

  /** Stores a reading; calls keep their order (IndexedDB runs transactions in creation order). */
  save(r: LiveReading): void {
    const store = this.store;
    const id = this.sessionId;
    if (!store || !id) return;
    const state = r.held ? 'held' : !r.speech ? 'no-speech' : r.valence === null ? 'no-model' : 'speech';
    void id.then((sessionId) => {
      if (sessionId === null) return;
      const { valence, smoothed, arousal, smoothedArousal } = r;
      store.appendReading(sessionId, { t: r.time, valence, smoothed, arousal, smoothedArousal, state }).then(
        () => {
          if (performance.now() - this.refreshedAt >= SESSION_LIST_REFRESH_MS) void this.refresh();
        },
        (e: unknown) => this.setError((e as Error).message),
      );
    });
  }

  /** The session stopped: marks it ended, and shows its final state where it is chosen. */
  end(): void {
    const store = this.store;
    const id = this.sessionId;
    this.sessionId = null;
    if (!store || !id) return;
    void id.then(async (sessionId) => {
      if (sessionId === null) return;
      try {
        await store.endSession(sessionId);
      } catch (e) {
        this.setError((e as Error).message);
      }
      if (this.runningSessionId === sessionId) this.runningSessionId = -1;
      await this.refresh();
      // The session just ended is shown with its summary.
      this.selected = (await store.getSession(sessionId)) ?? null;
      this.host.requestUpdate();
    });
  }

  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.refreshedAt = performance.now();
    try {
      this.sessions = await store.listSessions();
    } catch (e) {
      this.error = (e as Error).message;
    }
    this.host.requestUpdate();
  }

  async select(id: number): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      this.selected = (await store.getSession(id)) ?? null;
    } catch (err) {
      this.error = (err as Error).message;
    }
    this.host.requestUpdate();
  }

  async remove(id: number): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      await store.deleteSession(id);
      if (this.selected?.id === id) this.selected = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
    this.host.requestUpdate();
    await this.refresh();
  }

  private setError(message: string): void {
    this.error = message;
    this.host.requestUpdate();
  }
}
