// Unit tests: pure TypeScript in Node, next to the code they test.
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that share their worker process with the files run before them in it (no
 * isolation): TF.js and Vitest stay loaded instead of a fresh process per file, about 0.8 s
 * of CPU a file. Only folders whose tests set the TF.js backend they use themselves and
 * keep no other global state (no fake timers, no fake-indexeddb, no module mocks); anything
 * else, a new folder too, runs isolated. Left out: src/model/backend.test.ts, whose
 * wasm-fallback test needs a process where no backend has started yet, and
 * src/worker/model-trial.test.ts, which installs fake-indexeddb's globals (through
 * src/storage/test-support.ts).
 */
const SHARED = [
  'src/dsp/**/*.test.ts',
  'src/training/**/*.test.ts',
  'src/model/train/**/*.test.ts',
  'src/model/!(backend).test.ts',
  'src/ui/**/*.test.ts',
  'src/calibration/**/*.test.ts',
  'src/worker/!(model-trial).test.ts',
  'scripts/lib/**/*.test.ts',
  'scripts/evaluate/**/*.test.ts',
  'scripts/train/**/*.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    // Set-up hooks build models and start TF.js: Vitest's 10 s default failed one under load
    // (scripts/evaluate.test.ts, CI rehearsal with the machine busy).
    hookTimeout: 120_000,
    pool: 'forks',
    // One fork per core (Vitest's default leaves one idle): most files wait on child
    // processes or a single wasm thread, and on this 2-core machine this halves the suite.
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SHARED] } },
    ],
  },
});
