// Writers SIGKILLed at random moments, hundreds of times: the file always parses as a valid
// registry, every mapping committed before a kill is still there, and a lock left behind by a
// victim is taken over by the next writer through proper-lockfile's stale-lock path. (Waiting out
// the 10 s stale window after each kill would take an hour; the lock's age is moved back instead,
// which is exactly what time would do. stale-lock.test.ts waits for real.)
import { existsSync } from 'node:fs';
import { readFile, readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_LOCK_SETTINGS } from '../../../electron/core/registry/index';
import { parseRegistry } from '../../../electron/core/registry/registry-parse';
import { spawnWorker } from '../../helpers/registry-workers';
import type { Worker, WorkerRecord } from '../../helpers/registry-workers';
import { tempDir } from '../../helpers/temp';

const LANES = 2; // independent registries killed in parallel, one per core
const KILLS_PER_LANE = 100;
const MAX_KILL_DELAY_MS = 40;
const RANGE = { start: 36000, end: 36999 };

/** Deterministic delays so a failure can be replayed. */
function randomSequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface LaneResult {
  kills: number;
  lockLeftBehind: number;
  committedOps: number;
  mappings: number;
}

async function runLane(lane: number): Promise<LaneResult> {
  const dir = await tempDir(`interceptor-crash-${lane}-`);
  const file = path.join(dir, 'port_registry.json');
  const lock = `${file}.lock`;
  const env = { INTERCEPTOR_REGISTRY: file, INTERCEPTOR_PORT_MIN: String(RANGE.start), INTERCEPTOR_PORT_MAX: String(RANGE.end) };
  const next = randomSequence(4242 + lane);
  const expected = new Map<string, number>();
  const result: LaneResult = { kills: 0, lockLeftBehind: 0, committedOps: 0, mappings: 0 };

  // Victims are started ahead (process start-up is the slow part) and released one at a time.
  const start = (kill: number) => spawnWorker(['storm', `${lane}-${kill}`, path.join(dir, 'p'), '100000', String(kill + 1)], env);
  const queue = [start(0), start(1)];
  for (let kill = 0; kill < KILLS_PER_LANE; kill += 1) {
    const worker = queue.shift() as Worker;
    if (kill + 2 < KILLS_PER_LANE) queue.push(start(kill + 2));
    await worker.waitFor((record) => record.ready === true);
    worker.child.stdin.end('go\n');
    // Every other victim is killed while it may still be taking its first lock; the rest in the
    // middle of a run of writes (after their first commit).
    if (kill % 2 === 1) await worker.waitFor((record) => record.phase === 'done');
    await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * MAX_KILL_DELAY_MS)));
    worker.child.kill('SIGKILL');
    const exit = await worker.exited;
    expect(exit.signal, `worker ended by itself: ${worker.stderr()}`).toBe('SIGKILL');
    result.kills += 1;

    // What the victim had committed, and the one operation it may have been in the middle of.
    let inFlight: WorkerRecord | undefined;
    for (const record of worker.records) {
      if (record.phase === 'begin') inFlight = record;
      if (record.phase === 'done') {
        inFlight = undefined;
        result.committedOps += 1;
        if (record.op === 'allocate') expected.set(record.project as string, record.port as number);
        else expected.delete(record.project as string);
      }
      expect(record.phase, JSON.stringify(record)).not.toBe('failed');
    }

    const bytes = await readFile(file).catch(() => undefined);
    if (bytes === undefined) {
      expect(expected.size).toBe(0); // killed before its first commit
    } else {
      const parsed = parseRegistry(bytes, RANGE);
      expect(parsed.kind, `after kill ${kill}: ${bytes.toString('utf8').slice(0, 300)}`).toBe('valid');
      if (parsed.kind !== 'valid') break;
      const saved = parsed.doc.mappings;
      const uncertain = inFlight?.project as string | undefined;
      for (const [project, port] of expected) {
        if (project === uncertain) continue;
        expect(saved.get(project), `committed mapping ${project} lost after kill ${kill}`).toBe(port);
      }
      for (const [project] of saved) {
        if (project !== uncertain) expect(expected.has(project), `unexpected mapping ${project}`).toBe(true);
      }
      // The in-flight operation either happened or not; the file is the truth from here on.
      if (uncertain !== undefined) {
        const port = saved.get(uncertain);
        if (port === undefined) expected.delete(uncertain);
        else expected.set(uncertain, port);
      }
      expect(new Set(saved.values()).size).toBe(saved.size);
    }

    if (existsSync(lock)) {
      result.lockLeftBehind += 1;
      const past = new Date(Date.now() - REGISTRY_LOCK_SETTINGS.stale - 1_000);
      await utimes(lock, past, past);
    }
  }

  // One last clean writer proves the registry is fully usable after all that.
  const finisher = spawnWorker(['storm', `${lane}-final`, path.join(dir, 'p'), '5', '7'], env);
  finisher.child.stdin.end('go\n');
  expect((await finisher.exited).code, finisher.stderr()).toBe(0);
  const final = JSON.parse(await readFile(file, 'utf8')) as { mappings: Record<string, number> };
  for (const [project, port] of expected) expect(final.mappings[project]).toBe(port);
  expect(existsSync(lock)).toBe(false);
  const leftovers = (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
  result.mappings = Object.keys(final.mappings).length;
  return result;
}

describe('crash safety', () => {
  it(`survives ${LANES * KILLS_PER_LANE} SIGKILLs of writers at random moments`, { timeout: 240_000 }, async () => {
    const results = await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane)));
    const total = results.reduce((sum, r) => ({ kills: sum.kills + r.kills, lock: sum.lock + r.lockLeftBehind, ops: sum.ops + r.committedOps }), {
      kills: 0,
      lock: 0,
      ops: 0,
    });
    expect(total.kills).toBe(LANES * KILLS_PER_LANE);
    // The kills must really have hit writers at work, both inside and outside the lock.
    expect(total.ops).toBeGreaterThan(total.kills / 2);
    expect(total.lock).toBeGreaterThan(0);
    expect(total.lock).toBeLessThan(total.kills);
    console.log(`crash safety: ${total.kills} kills, ${total.ops} committed operations, lock left behind ${total.lock} times`);
  });
});
