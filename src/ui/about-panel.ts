// <vm-about>: what the numbers mean and what the app cannot do, in a collapsed section a
// new user opens once: valence and arousal, how a reading is made, its limits, and that no
// audio leaves the device. Static text; no properties, no events.
import { LitElement, css, html } from 'lit';

export class AboutPanel extends LitElement {
  static override styles = css`
    :host {
      --vm-about-muted: #5d6773;
      --vm-about-border: #d5dae0;
      display: block;
      font-family: system-ui, sans-serif;
      line-height: 1.45;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vm-about-muted: #a3adb8;
        --vm-about-border: #3a434d;
      }
    }
    details {
      border-top: 1px solid var(--vm-about-border);
      padding-top: 0.5rem;
    }
    summary {
      cursor: pointer;
      font-weight: 600;
      padding: 0.3rem 0; /* a comfortable target; display stays list-item so the marker shows */
    }
    dt {
      font-weight: 600;
      margin-top: 0.6rem;
    }
    dd {
      margin: 0.15rem 0 0;
    }
    .muted {
      color: var(--vm-about-muted);
      font-size: 0.875rem;
    }
  `;

  override render() {
    return html`<details>
      <summary>About the readings</summary>
      <dl>
        <dt>Valence</dt>
        <dd>How positive or negative the voice sounds, from -1 (negative: angry, sad, afraid) to +1 (positive: happy, calm). Around 0 is neutral.</dd>
        <dt>Arousal</dt>
        <dd>How activated the voice sounds, from -1 (calm, tired) to +1 (excited, tense). Shown beside the gauge when the model has it.</dd>
        <dt>How a reading is made</dt>
        <dd>
          Every half second the model hears the last ~8 seconds of sound and reads how it sounds, not what is said: the words
          play no part. In a pause the last reading stays, dimmed.
        </dd>
        <dt>What it cannot do</dt>
        <dd>
          It was trained on actors' voices, so it reads acted emotion best; on a new voice, language or microphone it is
          less sure, and each model says how far to trust it under Models. It does not know how you feel: a calm voice
          can hide anger. Do not use it to judge people.
        </dd>
        <dt>Your privacy</dt>
        <dd>Everything runs in this browser. No audio and no reading leaves the device; sessions are kept here until you delete them.</dd>
      </dl>
      <p class="muted">The model is a small convolutional network over Mel spectrograms (8 kHz), run by TensorFlow.js.</p>
    </details>`;
  }
}

customElements.define('vm-about', AboutPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vm-about': AboutPanel;
  }
}
