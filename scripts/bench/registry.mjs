// `npm run bench:registry`: how long a registry allocation takes with 1, 100 and 1,000 existing
// mappings (in-process, the lock + read + port probe + atomic write path), and the wall time of 32
// `interceptor allocate` processes started at once against one registry. Prints a table and writes
// bench-results/registry.json. Every loop is bounded in count and in time.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/cli/interceptor.js');
const SIZES = [1, 100, 1000];
const MAX_RUNS = 200;
const MAX_CASE_MS = 10_000;
const PROCESSES = 32;
const CONTENTION_ROUNDS = 3;
const RANGE = { start: 40000, end: 44999 };


/** The registry API as a module: bundled from source, like the CLI bundles it. */
async function loadRegistry() {
  const out = path.join(root, 'node_modules/.cache/interceptor-bench/registry.mjs');
  await build({
    entryPoints: [path.join(root, 'electron/core/registry/index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
    define: { __INTERCEPTOR_VERSION__: '"bench"' },
  });
  return import(pathToFileURL(out).href);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function seedFile(count) {
  const mappings = {};
  for (let i = 0; i < count; i += 1) mappings[`/bench/existing/project-${i}`] = RANGE.start + i;
  return JSON.stringify({ version: '1.0', port_range: RANGE, mappings, next_available: RANGE.start + count }, null, 2);
}

async function allocationLatency(registryApi, dir, count) {
  const file = path.join(dir, `latency-${count}`, 'port_registry.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, seedFile(count));
  const options = registryApi.registryOptionsFrom({
    INTERCEPTOR_REGISTRY: file,
    INTERCEPTOR_PORT_MIN: String(RANGE.start),
    INTERCEPTOR_PORT_MAX: String(RANGE.end),
  });
  const registry = registryApi.openRegistry(options);
  const allocate = [];
  const lookup = [];
  const started = performance.now();
  for (let run = 0; run < MAX_RUNS + 3 && performance.now() - started < MAX_CASE_MS; run += 1) {
    const project = `/bench/new/project-${run}`;
    const t0 = performance.now();
    await registry.allocate(project);
    const t1 = performance.now();
    await registry.lookup('/bench/existing/project-0');
    const t2 = performance.now();
    await registry.remove({ project }); // back to `count` mappings for the next run
    if (run >= 3) {
      // the first runs warm caches and the JIT
      allocate.push(t1 - t0);
      lookup.push(t2 - t1);
    }
  }
  allocate.sort((a, b) => a - b);
  lookup.sort((a, b) => a - b);
  return {
    mappings: count,
    runs: allocate.length,
    allocateP50: percentile(allocate, 50),
    allocateP95: percentile(allocate, 95),
    lookupP50: percentile(lookup, 50),
    lookupP95: percentile(lookup, 95),
  };
}

function runCli(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

async function contention(dir) {
  const file = path.join(dir, 'contention', 'port_registry.json');
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    INTERCEPTOR_REGISTRY: file,
    INTERCEPTOR_PORT_MIN: String(RANGE.start),
    INTERCEPTOR_PORT_MAX: String(RANGE.end),
  };
  const single = [];
  for (let i = 0; i < 5; i += 1) {
    const folder = path.join(dir, 'single', `p${i}`);
    await mkdir(folder, { recursive: true });
    const t0 = performance.now();
    const result = await runCli(['allocate', folder], env);
    single.push(performance.now() - t0);
    if (result.code !== 0) throw new Error(`interceptor allocate failed: ${result.stderr}`);
  }
  const rounds = [];
  for (let round = 0; round < CONTENTION_ROUNDS; round += 1) {
    const folders = [];
    for (let i = 0; i < PROCESSES; i += 1) {
      const folder = path.join(dir, `round-${round}`, `p${i}`);
      await mkdir(folder, { recursive: true });
      folders.push(folder);
    }
    const t0 = performance.now();
    const results = await Promise.all(folders.map((folder) => runCli(['allocate', folder], env)));
    rounds.push(performance.now() - t0);
    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`${failed.length} allocations failed: ${failed[0].stderr}`);
  }
  single.sort((a, b) => a - b);
  rounds.sort((a, b) => a - b);
  return { processes: PROCESSES, rounds: rounds.length, singleProcessP50: percentile(single, 50), wallP50: percentile(rounds, 50), wallMax: rounds.at(-1) };
}

const ms = (value) => (Number.isFinite(value) ? value.toFixed(2) : '-');

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Runs the whole registry benchmark; exported for scripts/bench/index.mjs. */
export async function benchRegistry() {
  if (!existsSync(cli)) throw new Error('dist/cli/interceptor.js is missing; run "npm run build" first');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'interceptor-bench-'));
  try {
    const registryApi = await loadRegistry();
    const latency = [];
    for (const size of SIZES) latency.push(await allocationLatency(registryApi, dir, size));
    const busy = await contention(dir);

    console.log(`\nRegistry allocation latency (in-process, ms; ${os.cpus().length} CPUs, node ${process.version})\n`);
    console.log(
      table(
        ['mappings', 'runs', 'allocate p50', 'allocate p95', 'lookup p50', 'lookup p95'],
        latency.map((r) => [r.mappings, r.runs, ms(r.allocateP50), ms(r.allocateP95), ms(r.lookupP50), ms(r.lookupP95)]),
      ),
    );
    console.log(`\nContention: ${busy.processes} "interceptor allocate" processes started at once (ms)\n`);
    console.log(
      table(
        ['processes', 'rounds', 'one process alone p50', 'all 32 wall p50', 'all 32 wall max'],
        [[busy.processes, busy.rounds, ms(busy.singleProcessP50), ms(busy.wallP50), ms(busy.wallMax)]],
      ),
    );
    await mkdir(path.join(root, 'bench-results'), { recursive: true });
    await writeFile(
      path.join(root, 'bench-results/registry.json'),
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, latency, contention: busy }, null, 2)}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchRegistry().catch((error) => {
    console.error(`bench failed: ${error.message}`);
    process.exitCode = 1;
  });
}
