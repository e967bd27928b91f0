// The registry lock against real processes and real time: a lock left by a SIGKILLed holder is
// taken over once it goes stale, and a lock kept fresh by a live holder is never stolen.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_LOCK_SETTINGS } from '../../../electron/core/registry/index';
import { runCli, spawnCli } from '../../helpers/cli';
import { spawnWorker } from '../../helpers/registry-workers';
import { tempDir } from '../../helpers/temp';

async function lockedRegistry(prefix: string) {
  const dir = await tempDir(prefix);
  const file = path.join(dir, 'port_registry.json');
  const holder = spawnWorker(['hold-lock'], { INTERCEPTOR_REGISTRY: file });
  await holder.waitFor((record) => record.locked === true);
  expect(existsSync(`${file}.lock`)).toBe(true);
  return { dir, file, holder };
}

describe.concurrent('registry lock between processes', () => {
  it('is recovered from a SIGKILLed holder within the stale window, not before', { timeout: 60_000 }, async () => {
    const { dir, file, holder } = await lockedRegistry('interceptor-stale-');
    holder.child.kill('SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    const result = await runCli(['--registry', file, '--json', 'allocate', dir], { timeoutMs: 45_000 });
    const waited = Date.now() - killedAt;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).mappings[dir]).toBeTypeOf('number');
    const { stale, update } = REGISTRY_LOCK_SETTINGS;
    // The holder refreshed the lock at most `update` ms before it died: the lock was honoured until then...
    expect(waited).toBeGreaterThanOrEqual(stale - update - 1_500);
    // ...and taken over within the stale window (plus process start-up and retry spacing on a busy machine).
    expect(waited).toBeLessThan(stale + 8_000);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('is not stolen from a live holder: a waiter gives up with a lock error and exit code 3', { timeout: 60_000 }, async () => {
    const { dir, file, holder } = await lockedRegistry('interceptor-live-lock-');
    try {
      const result = await runCli(['--registry', file, 'allocate', dir], { timeoutMs: 45_000 });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^interceptor: the registry is locked by another process \(.*port_registry\.json\.lock\) and stayed locked for \d+s; if no interceptor is running, delete that folder\n$/);
      expect(existsSync(file)).toBe(false); // nothing was written
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('lets Ctrl-C interrupt a command waiting for the lock, promptly and without changes', { timeout: 60_000 }, async () => {
    const { dir, file, holder } = await lockedRegistry('interceptor-interrupt-');
    try {
      const cli = spawnCli(['--registry', file, 'allocate', dir], { timeoutMs: 45_000 });
      cli.child.stdin.end();
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // well into its wait
      const interruptedAt = Date.now();
      cli.child.kill('SIGINT');
      const result = await cli.result;
      expect(result.code).toBe(130);
      expect(Date.now() - interruptedAt).toBeLessThan(5_000);
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}.lock`)).toBe(true); // the holder's lock, untouched
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });
});
