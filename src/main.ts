// Entry point of the web app: registers the root component.
import './ui/vm-app.ts';
// Offline support: the service worker (production builds only); the update banner is wired by the app.
import { registerServiceWorker } from './pwa/register-sw.ts';
void registerServiceWorker();
