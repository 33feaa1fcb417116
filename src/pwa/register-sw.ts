// Registers the service worker (dist/sw.js, built by scripts/build-sw.ts) in production
// builds and reports a waiting new version through `onUpdate`. Nothing updates by itself:
// the new version takes over only when the page calls the `apply` function it is given
// (after the user agreed; the page then reloads once) or after every tab has been closed.

/** The message src/sw.ts waits for before a new version takes over. */
export const SKIP_WAITING_MESSAGE = { type: 'SKIP_WAITING' } as const;

/** Called when a new version is installed and waiting; call `apply` to switch to it and reload. */
export type UpdateCallback = (apply: () => void) => void;

export interface RegisterOptions {
  /** Script URL (default: sw.js beside the page's base URL). */
  url?: string;
  /** Defaults to navigator.serviceWorker. */
  container?: ServiceWorkerContainer;
  /** Register in development too (the dev server has no sw.js; default false). */
  inDev?: boolean;
  /** Reload after the new version took over (default location.reload). */
  reload?: () => void;
}

/**
 * Registers the service worker; resolves to its registration, or null where there is
 * none (no support, development server, or registration failed: the app still works online).
 */
export async function registerServiceWorker(
  onUpdate: UpdateCallback = () => {},
  options: RegisterOptions = {},
): Promise<ServiceWorkerRegistration | null> {
  const container = options.container ?? (typeof navigator === 'undefined' ? undefined : navigator.serviceWorker);
  if (!container) return null;
  if (import.meta.env.DEV && !options.inDev) return null;
  const url = options.url ?? `${import.meta.env.BASE_URL}sw.js`;
  const reload = options.reload ?? (() => location.reload());
  let registration: ServiceWorkerRegistration;
  try {
    // updateViaCache 'none': the browser asks the server for sw.js itself on every check.
    registration = await container.register(url, { updateViaCache: 'none' });
  } catch (e) {
    console.warn(`Service worker not registered (the app will not work offline): ${(e as Error).message}`);
    return null;
  }

  let announced: ServiceWorker | null = null;
  const announce = (worker: ServiceWorker) => {
    // Only an update: the first install has no controller and nothing to replace.
    if (!container.controller || announced === worker) return;
    announced = worker;
    onUpdate(() => {
      container.addEventListener('controllerchange', () => reload(), { once: true });
      worker.postMessage(SKIP_WAITING_MESSAGE);
    });
  };

  if (registration.waiting) announce(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') announce(worker);
    });
  });
  // A tab left open for days still learns about new versions when it comes back into view.
  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
  }
  return registration;
}
