// Mixed allocate/remove storms from several processes at once: readers never see a partial file,
// the file stays valid throughout, and it ends holding exactly what the writers committed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../electron/core/registry/registry-parse';
import { spawnWorker } from '../../helpers/registry-workers';
import { tempDir } from '../../helpers/temp';

const WORKERS = 8;
const OPS_PER_WORKER = 50;

describe('allocate/remove storm across processes', () => {
  it('keeps the file valid for concurrent readers and ends with exactly the committed mappings', { timeout: 120_000 }, async () => {
    const dir = await tempDir('interceptor-storm-');
    const file = path.join(dir, 'port_registry.json');
    const env = { INTERCEPTOR_REGISTRY: file, INTERCEPTOR_PORT_MIN: '35000', INTERCEPTOR_PORT_MAX: '35999' };
    const workers = Array.from({ length: WORKERS }, (_, id) =>
      spawnWorker(['storm', String(id), path.join(dir, 'p'), String(OPS_PER_WORKER), String(1000 + id)], env),
    );

    await Promise.all(workers.map((worker) => worker.waitFor((record) => record.ready === true)));
    for (const worker of workers) worker.child.stdin.end('go\n');

    // Read the file as fast as we can while the storm runs: every read must be a whole, valid file.
    let reads = 0;
    let running = true;
    const reader = (async () => {
      while (running) {
        const bytes = await readFile(file).catch(() => undefined);
        if (bytes !== undefined) {
          const parsed = parseRegistry(bytes, { start: 35000, end: 35999 });
          expect(parsed.kind, bytes.toString('utf8').slice(0, 200)).toBe('valid');
          reads += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const exits = await Promise.all(workers.map((worker) => worker.exited));
    running = false;
    await reader;
    for (const [id, exit] of exits.entries()) expect(exit.code, workers[id]?.stderr()).toBe(0);
    expect(reads).toBeGreaterThan(0);

    const expected = new Map<string, number>();
    for (const worker of workers) {
      const done = worker.records.filter((record) => record.phase === 'done');
      expect(done).toHaveLength(OPS_PER_WORKER);
      for (const record of done) {
        if (record.op === 'allocate') expected.set(record.project as string, record.port as number);
        else expected.delete(record.project as string);
      }
    }
    const saved = JSON.parse(await readFile(file, 'utf8')) as { mappings: Record<string, number> };
    expect(new Map(Object.entries(saved.mappings))).toEqual(expected);
    expect(new Set(Object.values(saved.mappings)).size).toBe(expected.size);
  });
});
