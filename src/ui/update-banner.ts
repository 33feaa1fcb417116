// <vm-update-banner>: tells the user a new version is ready and updates only when they
// press "Reload" (event 'update-accept'; the app then calls register-sw's apply). "Later"
// hides it for this session (event 'update-dismiss'). Never updates on its own; `waiting`
// says the accepted update waits for the end of the listening session.
import { LitElement, css, html, nothing } from 'lit';

export class UpdateBanner extends LitElement {
  static override properties = {
    open: { type: Boolean, reflect: true },
    busy: { type: Boolean },
    waiting: { type: Boolean },
  };

  /** Shown when true (set it when an update is waiting). */
  declare open: boolean;
  /** While updating: the button is disabled and says so. */
  declare busy: boolean;
  /** Accepted while listening: the update waits for the stop, and the banner says so. */
  declare waiting: boolean;

  constructor() {
    super();
    this.open = false;
    this.busy = false;
    this.waiting = false;
  }

  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, sans-serif;
    }
    :host(:not([open])) {
      display: none;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      padding: 0.6rem 0.9rem;
      border-radius: 0.5rem;
      background: #e8effc;
      color: #14233f;
      border: 1px solid #b9cbf2;
    }
    @media (prefers-color-scheme: dark) {
      .bar {
        background: #1c2a44;
        color: #e3ebfb;
        border-color: #34507f;
      }
    }
    p {
      margin: 0;
      flex: 1 1 14rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
    }
    button {
      font: inherit;
      padding: 0.35rem 0.9rem;
      border-radius: 0.4rem;
      border: 1px solid #3a6fd8;
      cursor: pointer;
      min-height: 2.25rem;
    }
    .primary {
      background: #3a6fd8;
      color: #fff;
    }
    .secondary {
      background: transparent;
      color: inherit;
    }
    button:focus-visible {
      outline: 3px solid #7fa7ff;
      outline-offset: 2px;
    }
    button[disabled] {
      opacity: 0.6;
      cursor: progress;
    }
  `;

  private accept(): void {
    this.dispatchEvent(new CustomEvent('update-accept', { bubbles: true, composed: true }));
  }

  private dismiss(): void {
    this.open = false;
    this.dispatchEvent(new CustomEvent('update-dismiss', { bubbles: true, composed: true }));
  }

  override render() {
    if (!this.open) return nothing;
    if (this.waiting) {
      return html`<div class="bar" role="status" aria-live="polite">
        <p>Update available: it will be applied when you stop listening (the session is not interrupted).</p>
      </div>`;
    }
    return html`<div class="bar" role="status" aria-live="polite">
      <p>Update available. It is applied when you reload; the current session is not interrupted until then.</p>
      <div class="actions">
        <button class="primary" ?disabled=${this.busy} @click=${this.accept}>${this.busy ? 'Updating…' : 'Reload to update'}</button>
        <button class="secondary" ?disabled=${this.busy} @click=${this.dismiss}>Later</button>
      </div>
    </div>`;
  }
}

customElements.define('vm-update-banner', UpdateBanner);

declare global {
  interface HTMLElementTagNameMap {
    'vm-update-banner': UpdateBanner;
  }
}
