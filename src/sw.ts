// The service worker: precaches the app shell, the audio worklet, the analysis worker, the
// TF.js wasm binaries and the bundled model (the list is injected at build time by
// scripts/build-sw.ts as self.__WB_MANIFEST), serves them from the cache, and answers
// navigations with the cached index.html, so the app starts and listens offline.
// A new version waits until the page sends {type: 'SKIP_WAITING'} (the user agreed to
// update) or every tab is closed: never a switch in the middle of a session.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/** The parts of ServiceWorkerGlobalScope used here (the project compiles against the DOM lib). */
interface ServiceWorkerScope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}

declare const self: ServiceWorkerScope;

/** The message the page sends when the user accepts an update (src/pwa/register-sw.ts). */
const SKIP_WAITING = 'SKIP_WAITING';

self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === SKIP_WAITING) void self.skipWaiting();
});

// Delete precaches of older workbox versions; this version's revisions are managed by workbox.
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Every navigation inside the app gets the precached shell, online or offline.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// On the very first install, control the open page at once so its model and wasm requests
// already go through the cache; on updates this only runs after the user's consent.
clientsClaim();
