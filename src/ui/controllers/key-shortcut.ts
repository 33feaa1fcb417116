// A one-key shortcut for the whole page (e.g. S to start or stop listening), as a reactive
// controller: the listener exists only while the host is connected, so reconnecting never
// stacks listeners. Keys typed into a field, or with a modifier held, are left alone.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Whether a key event comes from somewhere that takes typing (a field, a list box, editable text). */
function typingTarget(e: KeyboardEvent): boolean {
  const el = e.composedPath()[0];
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
}

export class KeyShortcutController implements ReactiveController {
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== this.key || typingTarget(e)) return;
    e.preventDefault();
    this.action();
  };

  constructor(
    host: ReactiveControllerHost,
    /** The key, lower case (e.key), e.g. 's'. */
    readonly key: string,
    private readonly action: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.onKey);
  }
}
