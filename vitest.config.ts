// Unit tests: pure TypeScript in Node, next to the code they test.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
    // One fork per core (Vitest's default leaves one idle): most files wait on child
    // processes or a single wasm thread, and on this 2-core machine this halves the suite.
    maxWorkers: availableParallelism(),
  },
});
