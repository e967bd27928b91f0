// Supervisor start-up and memory, measured on the real product: `interceptor serve` with 1, 50 and 200
// pinned project folders. Reports the time from spawn to "every proxy listening" (the ready event,
// which comes after the supervisor started them all) for a cold start (no ports yet: every project is
// allocated) and a warm one (ports already in the registry), minus an empty serve's own start-up,
// and the memory each additional running proxy costs. Bounded: a few spawns, each with a deadline.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.BENCH_INTERCEPTOR_CLI ?? path.join(root, 'dist/cli/interceptor.js');
const SIZES = [0, 1, 50, 200];
const START_DEADLINE_MS = 60_000;
const SETTLE_MS = 1500;

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kib = (text, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { rssKiB: kib(status, 'VmRSS'), privateKiB: kib(rollup, 'Private_Dirty') + kib(rollup, 'Private_Clean') };
}

/** Spawns serve, waits for ready, checks every project runs, measures memory, stops it. */
async function serveOnce(home, count) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', '--json', '--no-dashboard'], {
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), INTERCEPTOR_PORT_MIN: '41000', INTERCEPTOR_PORT_MAX: '41999', TARGET_LLM_URL: 'http://127.0.0.1:9' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve with ${count} projects not ready in ${START_DEADLINE_MS} ms: ${err}`)), START_DEADLINE_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{"event":"ready"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line));
        return;
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before ready: ${err}`)));
  });
  const elapsedMs = performance.now() - started;
  const running = ready.projects.filter((p) => p.status === 'running').length;
  if (running !== count) throw new Error(`${running} of ${count} projects running: ${JSON.stringify(ready.projects.filter((p) => p.status !== 'running').slice(0, 3))}`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const memory = memoryOf(child.pid);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { elapsedMs, memory };
}

async function prepareHome(base, count) {
  const home = path.join(base, `home-${count}`);
  const projects = [];
  for (let i = 0; i < count; i += 1) {
    const folder = path.join(home, 'projects', `project-${i}`);
    await mkdir(folder, { recursive: true });
    projects.push(folder);
  }
  const config = path.join(home, '.config', 'litellm');
  await mkdir(config, { recursive: true });
  await writeFile(path.join(config, 'interceptor-settings.json'), JSON.stringify({ pinnedProjects: projects, jetbrainsDetection: false }));
  return home;
}

export async function benchSupervisor() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'interceptor-bench-supervisor-'));
  try {
    const rows = [];
    for (const count of SIZES) {
      const home = await prepareHome(base, count);
      const cold = await serveOnce(home, count);
      const warm = await serveOnce(home, count);
      rows.push({ count, cold, warm });
    }
    const empty = rows[0];
    console.log('serve start-up: spawn → every proxy listening (ready event); "net" subtracts an empty serve\'s start-up');
    console.log('projects  cold ms  cold net  warm ms  warm net  RSS MiB  private MiB');
    for (const { count, cold, warm } of rows) {
      console.log(
        [
          String(count).padStart(8),
          cold.elapsedMs.toFixed(0).padStart(7),
          (cold.elapsedMs - empty.cold.elapsedMs).toFixed(0).padStart(9),
          warm.elapsedMs.toFixed(0).padStart(8),
          (warm.elapsedMs - empty.warm.elapsedMs).toFixed(0).padStart(9),
          (warm.memory.rssKiB / 1024).toFixed(1).padStart(8),
          (warm.memory.privateKiB / 1024).toFixed(1).padStart(12),
        ].join(' '),
      );
    }
    const one = rows.find((r) => r.count === 1).warm.memory;
    const most = rows.at(-1);
    const extra = most.count - 1;
    const perRss = (most.warm.memory.rssKiB - one.rssKiB) / extra;
    const perPrivate = (most.warm.memory.privateKiB - one.privateKiB) / extra;
    console.log(`memory per additional idle proxy (1 → ${most.count}): RSS ${perRss.toFixed(0)} KiB, private ${perPrivate.toFixed(0)} KiB (target < 200 KB)`);
    console.log(`${most.count} projects listening: cold ${most.cold.elapsedMs.toFixed(0)} ms, warm ${most.warm.elapsedMs.toFixed(0)} ms (target < 2000 ms)`);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchSupervisor().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
