// End-to-end tests in Debian's Chromium (/usr/bin/chromium: no browser download is possible
// here) against the production build served by `vite preview` with isolation headers.
import { defineConfig } from '@playwright/test';

// E2E_PORT: a second checkout (a git worktree) can run its tests beside this one.
const PORT = Number(process.env.E2E_PORT ?? 4179);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * e2e/live.spec.ts compares live readings with the fixture sample for sample, and under CPU
 * load Chromium's fake microphone inserts zeros (it failed beside e2e/long-file.spec.ts): so
 * it is a project of its own that runs after all the others, alone. Only in a whole run:
 * when the command line names spec files (`npx playwright test e2e/live.spec.ts`) those
 * files are what runs, without the others first (`--no-deps` does the same for -g or
 * --project runs). Playwright skips the live tests when another test failed.
 */
const LIVE = /\/live\.spec\.ts$/;
const NAMES_FILES = process.argv.slice(2).some((a) => /\.spec\.ts(:\d+)*$/.test(a));

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  // Three at a time on two cores, any test beside any other: most wait on real-time audio
  // (a whole run used about 0.6 of a core with two), and the one test that needs the CPU
  // to itself runs alone at the end (the live project below).
  workers: 3,
  fullyParallel: true,
  reporter: [['list']],
  projects: [
    { name: 'app', testIgnore: LIVE },
    { name: 'live', testMatch: LIVE, dependencies: NAMES_FILES ? [] : ['app'] },
  ],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
