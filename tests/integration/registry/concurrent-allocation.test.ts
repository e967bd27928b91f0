// 32 real processes allocate distinct projects against one registry at the same moment, 10 rounds:
// every round yields 32 distinct ports and every one of them is in the file afterwards.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../../helpers/registry-workers';
import type { Worker } from '../../helpers/registry-workers';
import { tempDir } from '../../helpers/temp';

const PROCESSES = 32;
const ROUNDS = 10;

describe('concurrent allocation across processes', () => {
  const workers: Worker[] = [];
  afterAll(() => {
    for (const worker of workers) worker.child.kill('SIGKILL');
  });

  it(`gives ${PROCESSES} simultaneous processes distinct ports, all persisted, ${ROUNDS} rounds in a row`, { timeout: 120_000 }, async () => {
    const dir = await tempDir('interceptor-concurrency-');
    const file = path.join(dir, 'port_registry.json');
    // A wide range far from common ports; busy ones are skipped, which does not change the property.
    const env = { INTERCEPTOR_REGISTRY: file, INTERCEPTOR_PORT_MIN: '30000', INTERCEPTOR_PORT_MAX: '34999' };
    const projects = path.join(dir, 'projects');
    for (let id = 0; id < PROCESSES; id += 1) workers.push(spawnWorker(['rounds', String(id), projects], env));
    await Promise.all(workers.map((worker) => worker.waitFor((record) => record.ready === true)));

    const everyPort = new Map<number, string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Release all 32 at once: each worker allocates the moment it reads the line.
      for (const worker of workers) worker.child.stdin.write(`${round}\n`);
      const results = await Promise.all(workers.map((worker) => worker.waitFor((record) => record.round === round, 60_000)));
      for (const result of results) expect(result.error, JSON.stringify(result)).toBeUndefined();
      const ports = results.map((result) => result.port as number);
      expect(new Set(ports).size).toBe(PROCESSES);
      for (const result of results) {
        expect(result.created).toBe(true);
        expect(everyPort.has(result.port as number), `port ${result.port} handed out twice`).toBe(false);
        everyPort.set(result.port as number, result.project as string);
      }
      const saved = JSON.parse(await readFile(file, 'utf8')) as { mappings: Record<string, number> };
      expect(Object.keys(saved.mappings)).toHaveLength(PROCESSES * (round + 1));
      for (const result of results) expect(saved.mappings[result.project as string]).toBe(result.port);
    }
    for (const worker of workers) worker.child.stdin.end('exit\n');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    expect(exits.every((exit) => exit.code === 0)).toBe(true);
  });
});
