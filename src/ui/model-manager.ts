// <vm-model-manager>: the stored models with their cards (data, validation CCC/MSE, date,
// and in plain words what each was trained on and how far to trust it), which one is
// active (with a warning if it was not trained for live windows), and buttons to switch,
// delete and import, and for a personal model (made by calibration) its origin, its score
// on the user's clips and an export. It only shows and asks:
// the app does the storage work on its events and passes back `models`, `activeId`,
// `error` and `busy`.
//   events: 'model-import' {files: File[]}, 'model-select' {id}, 'model-delete' {id}, 'model-export' {id}
import { LitElement, css, html, nothing } from 'lit';
import type { ModelSummary } from '../storage/model-store.ts';
import { personalSummary, personalText } from '../calibration/personal-card.ts';
import { liveWarning, reliabilityText, trainedOnText } from './model-card-text.ts';

export interface ModelImportDetail {
  files: File[];
}
export interface ModelIdDetail {
  id: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What a card says in one line each: data, metrics, date (cards differ: read defensively). */
export function cardSummary(card: Record<string, unknown>): { data: string; metrics: string; date: string } {
  const data = isObject(card.data) && typeof card.data.corpus === 'string' ? card.data.corpus : typeof card.data === 'string' ? card.data : '';
  const metricsRoot = isObject(card.metrics) ? card.metrics : {};
  const val = isObject(metricsRoot.validation) ? metricsRoot.validation : metricsRoot;
  const parts: string[] = [];
  if (typeof val.ccc === 'number') parts.push(`CCC ${val.ccc.toFixed(3)}`);
  if (typeof val.mse === 'number') parts.push(`MSE ${val.mse.toFixed(3)}`);
  if (typeof val.speakers === 'string') parts.push(`on ${val.speakers}`);
  const date = typeof card.date === 'string' ? card.date : typeof card.trainedAt === 'string' ? card.trainedAt.slice(0, 10) : '';
  return { data, metrics: parts.join(', '), date };
}

export class ModelManager extends LitElement {
  static override properties = {
    models: { attribute: false },
    activeId: { attribute: 'active-id' },
    error: {},
    busy: { type: Boolean },
  };

  /** Stored models (ModelStore.list()). */
  declare models: readonly ModelSummary[];
  /** Id of the model in use. */
  declare activeId: string;
  /** Last refusal or storage error, shown until replaced ('' for none). */
  declare error: string;
  /** While an import or switch runs: the controls are disabled. */
  declare busy: boolean;

  constructor() {
    super();
    this.models = [];
    this.activeId = '';
    this.error = '';
    this.busy = false;
  }

  static override styles = css`
    :host {
      --vm-mm-fg: #1d2329;
      --vm-mm-muted: #5d6773;
      --vm-mm-border: #d5dae0;
      --vm-mm-accent: #3a6fd8;
      --vm-mm-error: #b3261e;
      --vm-mm-warn: #b26a00;
      display: block;
      color: var(--vm-mm-fg);
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-mm-fg: #e8ecf0;
        --vm-mm-muted: #a3adb8;
        --vm-mm-border: #3a434d;
        --vm-mm-accent: #7fa7ff;
        --vm-mm-error: #ff8a80;
        --vm-mm-warn: #ffb74d;
      }
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    li {
      border: 1px solid var(--vm-mm-border);
      border-radius: 0.5rem;
      padding: 0.6rem 0.8rem;
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1rem;
      align-items: center;
    }
    li.active {
      border-color: var(--vm-mm-accent);
      box-shadow: inset 3px 0 0 var(--vm-mm-accent);
    }
    .about {
      flex: 1 1 16rem;
      min-width: 0;
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .badge {
      font-size: 0.75rem;
      font-weight: 600;
      color: var(--vm-mm-accent);
      margin-left: 0.4rem;
    }
    .meta {
      color: var(--vm-mm-muted);
      font-size: 0.85rem;
      overflow-wrap: anywhere;
    }
    .trust {
      font-size: 0.875rem;
      margin-top: 0.2rem;
    }
    .warning {
      margin: 0.35rem 0 0;
      padding: 0.35rem 0.6rem;
      border-left: 3px solid var(--vm-mm-warn);
      font-size: 0.875rem;
    }
    .actions,
    .import {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .import {
      margin-top: 0.75rem;
    }
    button,
    label.button {
      font: inherit;
      font-size: 0.9rem;
      padding: 0.35rem 0.8rem;
      min-height: 2.25rem;
      border-radius: 0.4rem;
      border: 1px solid var(--vm-mm-border);
      background: transparent;
      color: inherit;
      cursor: pointer;
      display: inline-flex;
      align-items: center;
    }
    button:focus-visible,
    input:focus-visible + label.button {
      outline: 3px solid var(--vm-mm-accent);
      outline-offset: 2px;
    }
    button[disabled] {
      opacity: 0.55;
      cursor: default;
    }
    input[type='file'] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .error {
      color: var(--vm-mm-error);
      margin: 0.5rem 0 0;
    }
    .hint {
      color: var(--vm-mm-muted);
      font-size: 0.85rem;
      margin: 0.4rem 0 0;
    }
  `;

  private emit(type: string, detail: ModelImportDetail | ModelIdDetail): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same folder again still fires change
    if (files.length > 0) this.emit('model-import', { files });
  }

  private askDelete(m: ModelSummary): void {
    if (confirm(`Delete the model "${m.name}" from this browser?`)) this.emit('model-delete', { id: m.id });
  }

  override render() {
    return html`
      <ul aria-label="Stored models">
        ${this.models.map((m) => {
          const active = m.id === this.activeId;
          const s = cardSummary(m.card);
          const personal = personalSummary(m.card);
          return html`<li class=${active ? 'active' : ''} aria-current=${active ? 'true' : 'false'}>
            <div class="about">
              <div class="name">${m.name}${active ? html`<span class="badge">in use</span>` : nothing}</div>
              <div class="meta">
                ${m.source}${s.date ? ` · ${s.date}` : ''}${s.metrics ? ` · ${s.metrics}` : ''}
              </div>
              ${personal ? html`<div class="trust">${personalText(personal)}</div>` : nothing}
              ${trainedOnText(m.card) || s.data ? html`<div class="meta">Trained on ${trainedOnText(m.card) || s.data}</div>` : nothing}
              ${reliabilityText(m.card) ? html`<div class="trust">${reliabilityText(m.card)}</div>` : nothing}
              ${active && liveWarning(m.card) ? html`<p class="warning" role="status">${liveWarning(m.card)}</p>` : nothing}
            </div>
            <div class="actions">
              <button ?disabled=${active || this.busy} @click=${() => this.emit('model-select', { id: m.id })}>
                ${active ? 'In use' : 'Use'}
              </button>
              ${personal
                ? html`<button ?disabled=${this.busy} @click=${() => this.emit('model-export', { id: m.id })} aria-label=${`Export ${m.name}`}>Export</button>`
                : nothing}
              ${m.source !== 'bundled'
                ? html`<button ?disabled=${this.busy} @click=${() => this.askDelete(m)} aria-label=${`Delete ${m.name}`}>Delete</button>`
                : nothing}
            </div>
          </li>`;
        })}
      </ul>
      <div class="import">
        <input id="folder" type="file" webkitdirectory multiple ?disabled=${this.busy} @change=${this.picked} />
        <label class="button" for="folder">Import model folder…</label>
        <input id="files" type="file" multiple accept=".json,.bin,application/json,application/octet-stream" ?disabled=${this.busy} @change=${this.picked} />
        <label class="button" for="files">Import files…</label>
      </div>
      <p class="hint">A folder from <code>npm run train</code>: model.json, weights.bin and card.json.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }
}

customElements.define('vm-model-manager', ModelManager);

declare global {
  interface HTMLElementTagNameMap {
    'vm-model-manager': ModelManager;
  }
  interface HTMLElementEventMap {
    'model-import': CustomEvent<ModelImportDetail>;
    'model-select': CustomEvent<ModelIdDetail>;
    'model-delete': CustomEvent<ModelIdDetail>;
    'model-export': CustomEvent<ModelIdDetail>;
  }
}
