// watch(): edits by any process (the CLI as a child process, a hand edit in place) reach the
// listener as a diff; half-written files are skipped, never salvaged; unsubscribing stops it all.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RegistryChange } from '../../../electron/core/registry/index';
import { runCli } from '../../helpers/cli';
import { registryFixture, seedText } from './registry-fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collector() {
  const changes: RegistryChange[] = [];
  return {
    changes,
    listener: (change: RegistryChange) => changes.push(change),
    async next(count: number, timeoutMs = 8_000): Promise<RegistryChange> {
      const deadline = Date.now() + timeoutMs;
      while (changes.length < count) {
        if (Date.now() > deadline) throw new Error(`no change #${count} within ${timeoutMs} ms (got ${JSON.stringify(changes)})`);
        await sleep(20);
      }
      return changes[count - 1] as RegistryChange;
    },
  };
}

describe('PortRegistry.watch', () => {
  it('reports allocations and removals made by another process', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/existing');
    const seen = collector();
    const stop = f.registry.watch(seen.listener);
    try {
      await sleep(150); // let the watcher take its first look
      const project = path.join(f.dir, 'from-cli');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(project);
      const allocated = await runCli(['--registry', f.file, '--json', 'allocate', project]);
      expect(allocated.code).toBe(0);
      const port = (JSON.parse(allocated.stdout) as { port: number }).port;
      expect(await seen.next(1)).toEqual({ added: [{ project, port }], removed: [], changed: [] });

      const removed = await runCli(['--registry', f.file, 'remove', '--port', String(port)]);
      expect(removed.code).toBe(0);
      expect(await seen.next(2)).toEqual({ added: [], removed: [{ project, port }], changed: [] });
    } finally {
      stop();
    }
  });

  it('reports a hand edit in place as a change, and skips a half-written file without salvaging it', async () => {
    const f = await registryFixture();
    await f.write(seedText({ '/p/a': 9000, '/p/b': 9001 }, 9002));
    const seen = collector();
    const stop = f.registry.watch(seen.listener);
    try {
      await sleep(150);
      await writeFile(f.file, '{"version": "1.0", "mappings": {"/p/a": 90'); // an editor mid-save
      await sleep(400);
      expect(seen.changes).toEqual([]);
      expect((await readdir(path.dirname(f.file))).some((name) => name.includes('.corrupt-'))).toBe(false);

      await writeFile(f.file, seedText({ '/p/a': 9100, '/p/c': 9002 }, 9003));
      expect(await seen.next(1)).toEqual({
        added: [{ project: '/p/c', port: 9002 }],
        removed: [{ project: '/p/b', port: 9001 }],
        changed: [{ project: '/p/a', port: 9100, previousPort: 9000 }],
      });
    } finally {
      stop();
    }
  });

  it('notices a registry whose folder did not exist when watching started', async () => {
    const f = await registryFixture();
    const seen = collector();
    const stop = f.registry.watch(seen.listener);
    try {
      await sleep(150);
      await f.reopen().allocate('/p/late');
      expect(await seen.next(1)).toEqual({ added: [{ project: '/p/late', port: 8888 }], removed: [], changed: [] });
    } finally {
      stop();
    }
  });

  it('stops reporting once unsubscribed, through fs events and the poll alike', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/a');
    const seen = collector();
    const stop = f.registry.watch(seen.listener);
    await sleep(150);
    await f.registry.allocate('/p/b');
    await seen.next(1);
    stop();
    stop(); // idempotent
    await f.registry.allocate('/p/c');
    await sleep(2_600); // longer than the poll interval
    expect(seen.changes).toHaveLength(1);
  });

  it('keeps watching when a listener throws', async () => {
    const f = await registryFixture();
    await f.registry.allocate('/p/a');
    let calls = 0;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    // Node prints warnings through its own 'warning' listener: set it aside so the warning this
    // test provokes is captured here instead of landing in the test run's output.
    const printers = process.listeners('warning');
    process.removeAllListeners('warning');
    process.on('warning', onWarning);
    const stop = f.registry.watch(() => {
      calls += 1;
      throw new Error('listener bug');
    });
    try {
      await sleep(150);
      await f.registry.allocate('/p/b');
      await sleep(300);
      await f.registry.allocate('/p/c');
      const deadline = Date.now() + 5_000;
      while (calls < 2 && Date.now() < deadline) await sleep(20);
      expect(calls).toBe(2);
      expect(warnings.some((w) => w.includes('listener bug'))).toBe(true);
    } finally {
      stop();
      process.off('warning', onWarning);
      for (const printer of printers) process.on('warning', printer);
    }
  });
});
