// <vm-baseline-note>: the line under the gauge that says, while "relative to my neutral
// voice" is on, that the gauge shows readings re-centred on the user's baseline and by how
// much (or why it shows raw readings for now). One property in (the baseline controller's
// view), nothing out. The host reflects, for tools and tests, data-on, data-state and the
// baseline's numbers unrounded: data-valence, data-arousal ('' where there is none).
import { LitElement, css, html, nothing } from 'lit';
import { baselineStatement } from './baseline-text.ts';
import type { BaselineView } from './controllers/baseline.ts';

export class BaselineNote extends LitElement {
  static override properties = {
    view: { attribute: false },
  };

  declare view: BaselineView | null;

  constructor() {
    super();
    this.view = null;
  }

  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0.5rem auto 0;
      max-width: 30rem;
      padding: 0.35rem 0.75rem;
      border-radius: 0.5rem;
      border: 1px solid var(--vm-border, #d5dae0);
      text-align: center;
      font-size: 0.875rem;
    }
    p.ready {
      border-color: var(--vm-accent, #3a6fd8);
    }
  `;

  override willUpdate(): void {
    const v = this.view;
    const b = v?.state === 'ready' ? v.baseline : null;
    this.dataset.on = String(v?.on ?? false);
    this.dataset.state = v?.state ?? 'unknown';
    this.dataset.valence = b ? String(b.valence) : '';
    this.dataset.arousal = b && b.arousal !== null ? String(b.arousal) : '';
  }

  override render() {
    const text = this.view ? baselineStatement(this.view) : null;
    return text === null ? nothing : html`<p class=${this.view!.state} role="status">${text}</p>`;
  }
}

customElements.define('vm-baseline-note', BaselineNote);

declare global {
  interface HTMLElementTagNameMap {
    'vm-baseline-note': BaselineNote;
  }
}
