// The run's output names every skipped test's reason, not only "N skipped": a child vitest runs a
// fixture holding one skip of each kind with the real reporter, and its output is read as a user
// (or .ci/run's log) sees it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

it('lists each skipped test with its reason after the summary', () => {
  const fixture = path.join(REPO_ROOT, 'tests/fixtures/skip-reasons');
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', path.join(fixture, 'vitest.config.ts')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(child.status, `${child.stdout}\n${child.stderr}`).toBe(0);
  const output = child.stdout;
  expect(output).toMatch(/Tests\s+1 passed \| 5 skipped/);
  const listed = output.slice(output.indexOf('Skipped, and why:'));
  expect(listed.split('\n').slice(0, 5)).toEqual([
    'Skipped, and why:',
    '  skips.fixture.ts: needs a licence key (1 test)',
    '  skips.fixture.ts: no widget on this machine (2 tests)',
    '  skips.fixture.ts: the frobnicator is missing (see README) (1 test)',
    '  1 more skipped without a stated reason (filtered out by name or file, or .skip/.todo with no reason)',
  ]);
}, 60_000);
