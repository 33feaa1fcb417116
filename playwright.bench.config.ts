// `npm run bench:browser`: the live monitor's costs in Debian's Chromium with a fake
// microphone, per backend (e2e/bench/*.bench.ts). Kept out of the normal e2e run: it listens for
// minutes and prints figures rather than checking behaviour.
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

export default defineConfig({
  ...base,
  testDir: 'e2e/bench',
  // Not *.spec.ts, so the e2e run (testDir e2e) never picks them up.
  testMatch: /\.bench\.ts$/,
  // One project: the e2e run's split (the live spec alone, last) is about e2e/.
  projects: [{ name: 'bench' }],
  timeout: 600_000,
  outputDir: 'test-results/bench',
});
