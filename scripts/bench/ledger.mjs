// Usage ledger benchmark: how fast the store writes (rows per second through the writer's batches,
// each batch one transaction with its daily totals), and how long `interceptor usage` takes to
// answer a 30-day summary over a database of 1,000,000 requests (target: under 300 ms), measured
// both in process (the query alone) and as the CLI a user runs (process start included). Bounded in
// count; a benchmark, not a test: it prints numbers, never fails on them.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/cli/interceptor.js');
const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
const BATCH = 1000;
const THROUGHPUT_ROWS = 100_000;
const QUERY_RUNS = 7;
const DAY = 24 * 60 * 60 * 1000;
const run = promisify(execFile);

/** The ledger's modules, bundled once into node_modules/.cache so better-sqlite3 resolves. */
async function loadLedger() {
  const out = path.join(ROOT, 'node_modules/.cache/interceptor-bench/ledger.mjs');
  await mkdir(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'electron/core/ledger/index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
    define: { __INTERCEPTOR_VERSION__: JSON.stringify('bench') },
  });
  return import(pathToFileURL(out).href);
}

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet', 'claude-haiku', 'o3', 'gemini-pro', 'llama-70b', 'mistral-large', 'gpt-4.1', 'deepseek'];
const CLIENTS = ['openai-node', 'openai-python', 'continue', 'claude-code', 'junie', 'jetbrains'];

/** A request a busy machine would record: 20 projects, 10 models, 6 clients, spread over `days`. */
function syntheticEntry(i, now, days) {
  const facts = {
    promptTokens: 500 + (i % 5000),
    completionTokens: 50 + (i % 700),
    cachedTokens: i % 3 === 0 ? 200 : 0,
    cacheWriteTokens: 0,
    cost: i % 4 === 0 ? null : 0.0001 * (1 + (i % 50)),
    costSource: i % 4 === 0 ? null : 'header',
    responseModel: MODELS[i % MODELS.length],
    callId: `call-${i}`,
    modelId: `dep-${i % MODELS.length}`,
    litellmVersion: '1.80.0',
    note: null,
  };
  return {
    seq: i,
    at: now - Math.floor((i / ROWS) * days * DAY),
    method: 'POST',
    path: i % 5 === 0 ? '/v1/messages' : '/v1/chat/completions',
    status: i % 97 === 0 ? 500 : 200,
    durationMs: 400 + (i % 3000),
    ttfbMs: 80,
    streamed: i % 2 === 0,
    bytesIn: 4000,
    bytesOut: 9000,
    model: MODELS[i % MODELS.length],
    project: `/home/dev/src/project-${i % 20}`,
    attribution: 'port',
    client: CLIENTS[i % CLIENTS.length],
    usage: { facts: () => facts },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchLedger() {
  const ledger = await loadLedger();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'interceptor-ledger-bench-'));
  try {
    const now = Date.now();
    // Write throughput: the writer's path (rows built from entries, one transaction per batch).
    const throughputFile = path.join(dir, 'throughput.sqlite');
    const store = new ledger.LedgerStore({ file: throughputFile });
    const estimate = (facts) => (facts.promptTokens ?? 0) * 2e-6;
    let started = performance.now();
    for (let i = 0; i < THROUGHPUT_ROWS; i += BATCH) {
      const rows = [];
      for (let j = i; j < i + BATCH; j += 1) rows.push(ledger.ledgerRow(syntheticEntry(j, now, 30), estimate));
      store.write(rows);
    }
    const seconds = (performance.now() - started) / 1000;
    store.close();
    console.log(`ledger write: ${THROUGHPUT_ROWS.toLocaleString()} rows in batches of ${BATCH}: ${Math.round(THROUGHPUT_ROWS / seconds).toLocaleString()} rows/s (${((seconds * 1e6) / THROUGHPUT_ROWS).toFixed(1)} µs per row, daily totals included)`);

    // One million requests over 180 days, then the 30-day summary `interceptor usage` answers.
    const configDir = path.join(dir, 'config');
    await mkdir(configDir, { recursive: true });
    const file = path.join(configDir, ledger.LEDGER_FILE_NAME);
    const big = new ledger.LedgerStore({ file });
    started = performance.now();
    for (let i = 0; i < ROWS; i += 5000) {
      const rows = [];
      for (let j = i; j < Math.min(ROWS, i + 5000); j += 1) rows.push(ledger.ledgerRow(syntheticEntry(j, now, 180), estimate));
      big.write(rows);
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const since = ledger.daysBefore(now, 29);
    const inProcess = [];
    for (let k = 0; k < QUERY_RUNS; k += 1) {
      const t = performance.now();
      ledger.summarize(big.db, { sinceDay: since, by: 'project' });
      inProcess.push(performance.now() - t);
    }
    const dailyRows = big.db.prepare('SELECT count(*) AS n FROM daily').get().n;
    big.close();
    const size = (await stat(file)).size;
    console.log(`ledger of ${ROWS.toLocaleString()} requests over 180 days: filled in ${fillSeconds.toFixed(1)} s, ${(size / 1024 / 1024).toFixed(0)} MiB, ${dailyRows.toLocaleString()} daily-total rows`);
    const cli = [];
    const env = { PATH: process.env.PATH, HOME: dir, INTERCEPTOR_REGISTRY: path.join(configDir, 'port_registry.json') };
    for (const by of ['project', 'model']) {
      const times = [];
      for (let k = 0; k < QUERY_RUNS; k += 1) {
        const t = performance.now();
        await run(process.execPath, [CLI, 'usage', '--since', '30d', '--by', by, '--json'], { env, maxBuffer: 8 * 1024 * 1024 });
        times.push(performance.now() - t);
      }
      cli.push(`--by ${by} ${median(times).toFixed(0)} ms`);
    }
    const nodeStart = [];
    for (let k = 0; k < QUERY_RUNS; k += 1) {
      const t = performance.now();
      await run(process.execPath, ['-e', '0'], { env });
      nodeStart.push(performance.now() - t);
    }
    console.log(`30-day summary: the query ${median(inProcess).toFixed(2)} ms in process (median of ${QUERY_RUNS}); \`interceptor usage --since 30d --json\` as a process, start-up included: ${cli.join(', ')} (a bare \`node -e 0\` takes ${median(nodeStart).toFixed(0)} ms here)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchLedger().catch((error) => {
    console.error(`bench failed: ${error.message}`);
    process.exitCode = 1;
  });
}
