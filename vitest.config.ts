import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const SKIP_REASONS = './tests/helpers/skip-reasons-reporter.ts';

export default defineConfig({
  define: { __INTERCEPTOR_VERSION__: JSON.stringify(version) },
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration suites start real servers and child processes: two cores, two workers.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Never touch the developer's real HOME or registry, even by accident.
    setupFiles: ['tests/helpers/isolate-home.ts'],
    // Builds dist/ (the CLI the tests spawn, the page the browser tests load) once per run.
    globalSetup: ['tests/helpers/build-once.ts'],
    // Skipped tests are listed with their reason after the summary; in CI there is also a
    // machine-readable result for .ci/run's closing count line.
    reporters: process.env.CI
      ? ['default', SKIP_REASONS, ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default', SKIP_REASONS],
  },
});
