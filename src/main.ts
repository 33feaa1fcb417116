// Entry point of the web app: registers the root component, then the service worker
// (production builds only), whose waiting updates the app offers in its banner.
import './ui/vm-app.ts';
import { registerServiceWorker } from './pwa/register-sw.ts';

void registerServiceWorker((apply) => document.querySelector('vm-app')?.offerUpdate(apply));
