// One instance per user, across real processes: a second process finds the first, a killed one's
// record is taken over, and simultaneous starts have exactly one winner.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCE_FILE_NAME, readInstance } from '../../../electron/core/instance/instance-file';
import { tempDir } from '../../helpers/temp';

interface ChildOutcome {
  acquired?: boolean;
  released?: boolean;
  info?: { pid: number; dashboardUrl?: string };
  existing?: { pid: number; dashboardUrl?: string };
}

interface RunningChild {
  process: ChildProcess;
  lines: ChildOutcome[];
  nextLine(): Promise<ChildOutcome>;
  exited: Promise<number | null>;
}

let childScript: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The child runs under plain Node, so it is bundled from TypeScript first (CommonJS: no loader needed).
  const out = await tempDir('interceptor-child-');
  childScript = path.join(out, 'instance-child.cjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/instance-child.ts', import.meta.url))],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startChild(dir: string): RunningChild {
  const child = spawn(process.execPath, [childScript, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: ChildOutcome[] = [];
  const waiting: Array<(line: ChildOutcome) => void> = [];
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\n')) !== -1) {
      const line = JSON.parse(buffer.slice(0, end)) as ChildOutcome;
      buffer = buffer.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    exited,
    nextLine: () =>
      new Promise<ChildOutcome>((resolve, reject) => {
        const queued = lines.shift();
        if (queued) return resolve(queued);
        const timer = setTimeout(() => reject(new Error(`child printed nothing within 10 s (stderr: ${stderr})`)), 10_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
      }),
  };
}

describe('a second process', () => {
  it('finds the running instance and where its dashboard is', async () => {
    const dir = await tempDir();
    const first = startChild(dir);
    const won = await first.nextLine();
    expect(won).toEqual({ acquired: true, info: expect.objectContaining({ pid: first.process.pid }) });
    expect(fs.statSync(path.join(dir, INSTANCE_FILE_NAME)).mode & 0o777).toBe(0o600);

    const second = startChild(dir);
    expect(await second.nextLine()).toEqual({
      acquired: false,
      existing: expect.objectContaining({ pid: first.process.pid, dashboardUrl: `http://127.0.0.1:9/?token=child-${first.process.pid}` }),
    });
    expect(await second.exited).toBe(0);

    // This process (like `interceptor status`) sees the same instance.
    expect(await readInstance({ dir })).toMatchObject({ pid: first.process.pid });

    first.process.stdin!.end();
    expect(await first.nextLine()).toEqual({ released: true });
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dir, INSTANCE_FILE_NAME))).toBe(false);
    expect(await readInstance({ dir })).toBeNull();
  });

  it('takes over the record of an instance that was killed', async () => {
    const dir = await tempDir();
    const victim = startChild(dir);
    expect((await victim.nextLine()).acquired).toBe(true);
    victim.process.kill('SIGKILL');
    await victim.exited;
    // The record survives the crash...
    expect(JSON.parse(fs.readFileSync(path.join(dir, INSTANCE_FILE_NAME), 'utf8'))).toMatchObject({ pid: victim.process.pid });
    expect(await readInstance({ dir })).toBeNull();
    // ...and the next start replaces it.
    const next = startChild(dir);
    expect(await next.nextLine()).toEqual({ acquired: true, info: expect.objectContaining({ pid: next.process.pid }) });
    next.process.stdin!.end();
    await next.exited;
  });

  it('has exactly one winner when several start at once', async () => {
    const dir = await tempDir();
    const racers = Array.from({ length: 4 }, () => startChild(dir));
    const outcomes = await Promise.all(racers.map((racer) => racer.nextLine()));
    const winners = outcomes.filter((outcome) => outcome.acquired);
    expect(winners).toHaveLength(1);
    const winnerPid = winners[0]!.info!.pid;
    for (const outcome of outcomes.filter((o) => !o.acquired)) expect(outcome.existing!.pid).toBe(winnerPid);
    for (const racer of racers) racer.process.stdin!.end();
    await Promise.all(racers.map((racer) => racer.exited));
    expect(fs.existsSync(path.join(dir, INSTANCE_FILE_NAME))).toBe(false);
  });
});
