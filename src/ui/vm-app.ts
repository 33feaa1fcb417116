// Root component of the app (placeholder until the live monitor lands).
import { LitElement, css, html } from 'lit';

export class VmApp extends LitElement {
  static override styles = css`
    :host { display: block; font-family: system-ui, sans-serif; padding: 1rem; }
  `;

  override render() {
    return html`<h1>Valence Monitor</h1>`;
  }
}

customElements.define('vm-app', VmApp);

declare global {
  interface HTMLElementTagNameMap {
    'vm-app': VmApp;
  }
}
