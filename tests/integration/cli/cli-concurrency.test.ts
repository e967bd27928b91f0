// The real CLI, 32 copies at once against one registry: distinct ports, all persisted.
// (tests/integration/registry/concurrent-allocation.test.ts runs the 10-round version with a
// lighter client; process start-up of the full CLI makes 320 spawns too slow for every run.)
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const PROCESSES = 32;
const ROUNDS = 2;

describe('interceptor allocate from 32 processes at once', () => {
  it(`hands out ${PROCESSES} distinct ports per round and persists all of them (${ROUNDS} rounds)`, { timeout: 120_000 }, async () => {
    const dir = await tempDir('interceptor-cli-concurrency-');
    const registry = path.join(dir, 'port_registry.json');
    const env = { INTERCEPTOR_REGISTRY: registry, INTERCEPTOR_PORT_MIN: '37000', INTERCEPTOR_PORT_MAX: '37999' };
    const seen = new Map<number, string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const folders = await Promise.all(
        Array.from({ length: PROCESSES }, async (_, i) => {
          const folder = path.join(dir, `round ${round}`, `project-${i}`);
          await mkdir(folder, { recursive: true });
          return folder;
        }),
      );
      const results = await Promise.all(folders.map((folder) => runCli(['--json', 'allocate', folder], { env, timeoutMs: 90_000 })));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const allocations = results.map((result) => parseJson<{ project: string; port: number; created: boolean }>(result));
      expect(allocations.map((a) => a.project).sort()).toEqual([...folders].sort());
      for (const allocation of allocations) {
        expect(allocation.created).toBe(true);
        expect(seen.has(allocation.port), `port ${allocation.port} handed out twice`).toBe(false);
        seen.set(allocation.port, allocation.project);
      }
      const saved = JSON.parse(await readFile(registry, 'utf8')) as { mappings: Record<string, number> };
      expect(new Map(Object.entries(saved.mappings))).toEqual(new Map([...seen].map(([port, project]) => [project, port])));
    }
  });
});
