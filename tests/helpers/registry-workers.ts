// Spawning tests/helpers/registry-worker.ts (bundled by build-once.ts) as real processes and
// following the JSON lines each one prints.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliEnv } from './cli';
import { REGISTRY_WORKER_PATH } from './paths';

export type WorkerRecord = Record<string, unknown>;

export interface Worker {
  child: ChildProcessWithoutNullStreams;
  /** Every complete JSON line so far (a line cut short by a kill is not included). */
  records: WorkerRecord[];
  stderr(): string;
  /** Resolves with the first record (from the start) matching `test`. */
  waitFor(test: (record: WorkerRecord) => boolean, timeoutMs?: number): Promise<WorkerRecord>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnWorker(args: string[], env: Record<string, string>, script: string = REGISTRY_WORKER_PATH): Worker {
  const child = spawn(process.execPath, [script, ...args], { env: cliEnv({ env }), stdio: ['pipe', 'pipe', 'pipe'] });
  const records: WorkerRecord[] = [];
  const waiters = new Set<() => void>();
  let pending = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      records.push(JSON.parse(line) as WorkerRecord);
    }
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  let closed = false;
  void exited.then(() => (closed = true));

  const waitFor = (test: (record: WorkerRecord) => boolean, timeoutMs = 20_000) =>
    new Promise<WorkerRecord>((resolve, reject) => {
      const check = () => {
        const found = records.find(test);
        if (found) {
          cleanup();
          resolve(found);
        } else if (closed) {
          cleanup();
          reject(new Error(`worker exited before the awaited record; records: ${JSON.stringify(records)}; stderr: ${errors}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`worker record not seen within ${timeoutMs} ms; records: ${JSON.stringify(records)}; stderr: ${errors}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return { child, records, stderr: () => errors, waitFor, exited };
}
