// <vm-session-history>: the stored listening sessions (newest first); choosing one shows
// its summary (session-summary.ts) and its readings as a <vm-valence-timeline>, with CSV /
// JSON download and delete buttons.
// The app loads the data on the events and passes it back in `sessions` and `selected`.
//   events: 'session-select' {id}, 'session-delete' {id}
import { LitElement, css, html, nothing } from 'lit';
import './valence-timeline.ts';
import type { SessionRecord, SessionWithReadings } from '../storage/session-store.ts';
import { exportFileName, sessionToCsv, sessionToJson } from '../storage/session-export.ts';
import { downloadFile } from './download.ts';
import { summariseSession, summaryText } from './session-summary.ts';

export interface SessionIdDetail {
  id: number;
}

/** "1 min 05 s" style duration. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

export class SessionHistory extends LitElement {
  static override properties = {
    sessions: { attribute: false },
    selected: { attribute: false },
    runningId: { type: Number, attribute: 'running-id' },
    error: {},
  };

  /** SessionStore.listSessions(). */
  declare sessions: readonly SessionRecord[];
  /** The chosen session with its readings (SessionStore.getSession()), or null. */
  declare selected: SessionWithReadings | null;
  /** The session being recorded now (cannot be deleted), or -1. */
  declare runningId: number;
  /** A storage error to show ('' for none). */
  declare error: string;

  constructor() {
    super();
    this.sessions = [];
    this.selected = null;
    this.runningId = -1;
    this.error = '';
  }

  static override styles = css`
    :host {
      --vm-sh-fg: #1d2329;
      --vm-sh-muted: #5d6773;
      --vm-sh-border: #d5dae0;
      --vm-sh-accent: #3a6fd8;
      --vm-sh-error: #b3261e;
      display: block;
      color: var(--vm-sh-fg);
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-sh-fg: #e8ecf0;
        --vm-sh-muted: #a3adb8;
        --vm-sh-border: #3a434d;
        --vm-sh-accent: #7fa7ff;
        --vm-sh-error: #ff8a80;
      }
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.35rem;
    }
    .item {
      width: 100%;
      text-align: left;
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0.2rem 1rem;
    }
    .item[aria-pressed='true'] {
      border-color: var(--vm-sh-accent);
      box-shadow: inset 3px 0 0 var(--vm-sh-accent);
    }
    .muted {
      color: var(--vm-sh-muted);
      font-size: 0.85rem;
    }
    button,
    a.button {
      font: inherit;
      font-size: 0.9rem;
      padding: 0.4rem 0.8rem;
      min-height: 2.25rem;
      border-radius: 0.4rem;
      border: 1px solid var(--vm-sh-border);
      background: transparent;
      color: inherit;
      cursor: pointer;
      text-decoration: none;
      box-sizing: border-box;
    }
    button:focus-visible,
    a.button:focus-visible {
      outline: 3px solid var(--vm-sh-accent);
      outline-offset: 2px;
    }
    button[disabled] {
      opacity: 0.55;
      cursor: default;
    }
    .detail {
      margin-top: 0.75rem;
      border-top: 1px solid var(--vm-sh-border);
      padding-top: 0.75rem;
    }
    .detail h3 {
      margin: 0 0 0.25rem;
      font-size: 1rem;
    }
    .summary {
      margin: 0 0 0.15rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin-top: 0.5rem;
    }
    .error {
      color: var(--vm-sh-error);
    }
    .empty {
      color: var(--vm-sh-muted);
      font-size: 0.875rem;
      margin: 0;
    }
  `;

  private emit(type: 'session-select' | 'session-delete', id: number): void {
    this.dispatchEvent(new CustomEvent<SessionIdDetail>(type, { detail: { id }, bubbles: true, composed: true }));
  }

  private exportCsv(s: SessionWithReadings): void {
    downloadFile(sessionToCsv(s), 'text/csv;charset=utf-8', exportFileName(s, 'csv'));
  }

  private exportJson(s: SessionWithReadings): void {
    downloadFile(sessionToJson(s), 'application/json', exportFileName(s, 'json'));
  }

  private askDelete(s: SessionRecord): void {
    if (confirm(`Delete the session of ${new Date(s.startedAt).toLocaleString()}?`)) this.emit('session-delete', s.id);
  }

  private renderDetail(s: SessionWithReadings) {
    const duration = s.lastT ?? 0;
    return html`<section class="detail" aria-label="Session details">
      <h3>${new Date(s.startedAt).toLocaleString()}</h3>
      <p class="summary">${summaryText(summariseSession(s.readings, s.hopSeconds), formatDuration)}</p>
      <div class="muted">
        ${s.readings.length} readings, one every ${s.hopSeconds} s · model ${s.modelName} (${s.backend})${s.endedAt === null && s.id !== this.runningId
          ? ' · interrupted'
          : ''}
      </div>
      <vm-valence-timeline .readings=${s.readings} span-seconds=${duration > 0 ? duration : 10}></vm-valence-timeline>
      <div class="actions">
        <button @click=${() => this.exportCsv(s)}>Download CSV</button>
        <button @click=${() => this.exportJson(s)}>Download JSON</button>
        <button ?disabled=${s.id === this.runningId} @click=${() => this.askDelete(s)}>Delete</button>
      </div>
    </section>`;
  }

  override render() {
    const chosen = this.selected;
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.sessions.length === 0
        ? html`<p class="empty">No sessions yet: each time you listen, the readings are saved here.</p>`
        : html`<ul aria-label="Saved sessions">
            ${this.sessions.map(
              (s) => html`<li>
                <button class="item" aria-pressed=${chosen?.id === s.id ? 'true' : 'false'} @click=${() => this.emit('session-select', s.id)}>
                  <span>${new Date(s.startedAt).toLocaleString()}</span>
                  <span class="muted">
                    ${formatDuration(s.lastT ?? 0)} · ${s.readingCount} readings${s.id === this.runningId
                      ? ' · recording'
                      : s.endedAt === null
                        ? ' · interrupted'
                        : ''}
                  </span>
                </button>
              </li>`,
            )}
          </ul>`}
      ${chosen ? this.renderDetail(chosen) : nothing}
    `;
  }
}

customElements.define('vm-session-history', SessionHistory);

declare global {
  interface HTMLElementTagNameMap {
    'vm-session-history': SessionHistory;
  }
  interface HTMLElementEventMap {
    'session-select': CustomEvent<SessionIdDetail>;
    'session-delete': CustomEvent<SessionIdDetail>;
  }
}
