// A waiting new version of the app (src/pwa/register-sw.ts reports it): the banner offers
// it, and accepting applies it (the page reloads) at once when idle, or when the listening
// session stops: never mid-session.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class AppUpdateController implements ReactiveController {
  /** Switches to the waiting version and reloads; null while none is offered. */
  apply: (() => void) | null = null;
  /** Accepted while listening: applied at the stop. */
  waiting = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  // Nothing to set up or release: the offer comes in through the host (offerUpdate).
  hostConnected(): void {}

  offer(apply: () => void): void {
    this.apply = apply;
    this.host.requestUpdate();
  }

  accept(listening: boolean): void {
    const apply = this.apply;
    if (!apply) return;
    if (!listening) apply();
    else {
      this.waiting = true;
      this.host.requestUpdate();
    }
  }

  dismiss(): void {
    this.apply = null;
    this.host.requestUpdate();
  }

  /** At the end of a session: applies an accepted update; true if it did (the page reloads). */
  applyIfWaiting(): boolean {
    if (!this.waiting || !this.apply) return false;
    this.apply();
    return true;
  }
}
