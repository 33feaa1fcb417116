// Update on consent: the page learns about a waiting new service worker, and only the
// user's "apply" sends SKIP_WAITING; the reload waits for the new worker to take over.
// Fakes of the ServiceWorkerContainer / Registration / ServiceWorker event targets.
import { describe, expect, it, vi } from 'vitest';
import { registerServiceWorker, SKIP_WAITING_MESSAGE } from './register-sw.ts';

class FakeWorker extends EventTarget {
  state = 'installing';
  messages: unknown[] = [];
  postMessage(m: unknown): void {
    this.messages.push(m);
  }
  setState(state: string): void {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  update = vi.fn(async () => {});
  /** A new version is found and installs. */
  install(): FakeWorker {
    const w = new FakeWorker();
    this.installing = w;
    this.dispatchEvent(new Event('updatefound'));
    this.installing = null;
    this.waiting = w;
    w.setState('installed');
    return w;
  }
}

function fakeContainer(controlled: boolean, registration = new FakeRegistration()) {
  const container = Object.assign(new EventTarget(), {
    controller: controlled ? {} : null,
    register: vi.fn(async () => registration),
  });
  return { container: container as unknown as ServiceWorkerContainer, registration, register: container.register };
}

describe('registerServiceWorker', () => {
  it('does not announce the first install', async () => {
    const { container, registration } = fakeContainer(false);
    const onUpdate = vi.fn();
    await registerServiceWorker(onUpdate, { container, inDev: true, url: '/sw.js' });
    registration.install();
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('announces an update and applies it only on consent, reloading after the switch', async () => {
    const { container, registration, register } = fakeContainer(true);
    const reload = vi.fn();
    let apply: (() => void) | null = null;
    await registerServiceWorker((a) => (apply = a), { container, inDev: true, url: '/sw.js', reload });
    expect(register).toHaveBeenCalledWith('/sw.js', { updateViaCache: 'none' });
    const worker = registration.install();
    expect(apply).not.toBeNull();
    expect(worker.messages).toEqual([]); // nothing happens without the user
    apply!();
    expect(worker.messages).toEqual([SKIP_WAITING_MESSAGE]);
    expect(reload).not.toHaveBeenCalled();
    container.dispatchEvent(new Event('controllerchange'));
    container.dispatchEvent(new Event('controllerchange'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('announces a version already waiting at start', async () => {
    const registration = new FakeRegistration();
    registration.waiting = new FakeWorker();
    const { container } = fakeContainer(true, registration);
    const onUpdate = vi.fn();
    await registerServiceWorker(onUpdate, { container, inDev: true });
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });

  it('returns null when registration fails, and outside production builds', async () => {
    const { container, register } = fakeContainer(false);
    register.mockRejectedValueOnce(new Error('SecurityError'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await registerServiceWorker(undefined, { container, inDev: true })).toBeNull();
    expect(warn).toHaveBeenCalled();
    expect(await registerServiceWorker(undefined, { container })).toBeNull(); // vitest runs as development
    warn.mockRestore();
  });
});
