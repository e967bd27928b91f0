// Proxy benchmark: the same load, side by side in one run on loopback, against
//   direct       the bench upstream itself (the baseline),
//   direct + our headers  the upstream, sent the headers the interceptor adds: what parsing them
//                costs the upstream, a share of the interceptor's added time no forwarder avoids,
//   interceptor  `node dist/cli/interceptor.js run` — the real product, in its own process, once with
//                the usage ledger off and once with it on (the default: every answer's usage captured
//                and written to its SQLite database), side by side,
//   hono proxy() hono's fetch-based proxy() helper on @hono/node-server (how we chose the forwarder),
//   node pipe    a bare Node TCP relay that parses nothing: the floor for any proxy written in Node
//                on this host (what one more Node process in the path costs by itself),
//   nginx        with proxy_buffering off, when /usr/sbin/nginx is installed.
// It reports throughput and latency (1 and 32 connections), the CPU each proxy process spends per
// request, time to first chunk and per-chunk added delay of a streamed completion (each chunk carries
// the upstream's send time; the monotonic clock is shared by processes), and the memory of each
// proxy process. A benchmark, not a test: numbers are printed, never asserted. Every phase is
// bounded in time and in count. Load generator: our own keep-alive http.Agent loops.
//
// Run: npm run bench (builds first). This file also serves as the upstream and the two references
// when started with --role=upstream / --role=hono-proxy / --role=node-pipe (each in its own process).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);
// BENCH_INTERCEPTOR_CLI: measure another build of the CLI (e.g. a branch's) instead of dist/.
// BENCH_JSON: also write every slice measured to this file.
const CLI = process.env.BENCH_INTERCEPTOR_CLI ?? path.join(ROOT, 'dist/cli/interceptor.js');
const NGINX = '/usr/sbin/nginx';

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 1000); // each measured slice
// Rounds of every phase for every target (see runRound); each figure is the median over rounds, so
// a burst of load from elsewhere on a shared machine does not decide a figure.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_MS = 500;
const FIRST_WARMUP_MS = 2000;
const MAX_REQUESTS_PER_PHASE = 200_000;
const STREAM_CHUNKS = 50;
const STREAM_INTERVAL_MS = 2;
// Streams per slice: each takes ~110 ms, and a time-boxed slice of 1.5 s gave only ~14, too few for
// a steady median of the first-chunk time. Bounded in time as well (STREAM_PHASE_MAX_MS).
const STREAMS_PER_PHASE = 25;
const STREAM_PHASE_MAX_MS = 6000;

const CHAT_BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello.' }] });
const STREAM_BODY = JSON.stringify({ model: 'bench-model', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count.' }] });
const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
});

const LITELLM_HEADERS = { 'x-litellm-call-id': 'bench-call', 'x-litellm-model-id': 'bench', 'x-litellm-version': '1.80.0', 'x-litellm-response-cost': '0.000027' };
const USAGE_CHUNK = `data: ${JSON.stringify({ id: 'chatcmpl-bench', choices: [], usage: { prompt_tokens: 9, completion_tokens: 50, total_tokens: 59 } })}\n\n`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- roles run in child processes

/** The upstream: a minimal OpenAI-like server. Stream chunks carry their send time (monotonic ns). */
function serveUpstream() {
  let lastHeaders = {};
  const server = http.createServer((req, res) => {
    if (req.url === '/bench/last-headers') {
      res.end(JSON.stringify(lastHeaders));
      return;
    }
    if (req.url?.endsWith('/model/info')) {
      // LiteLLM's price table, for the ledger's estimates of stream costs.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ model_name: 'bench-model', model_info: { id: 'bench', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 } }] }));
      return;
    }
    lastHeaders = req.headers;
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      if (!body.includes('"stream":true')) {
        // As LiteLLM answers a non-streamed call: its cost and ids in headers.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(COMPLETION), ...LITELLM_HEADERS });
        res.end(COMPLETION);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      for (let i = 0; i < STREAM_CHUNKS && !res.destroyed; i += 1) {
        res.write(`data: {"i":${i},"t":"${process.hrtime.bigint()}","choices":[{"delta":{"content":"tok "}}]}\n\n`);
        await sleep(STREAM_INTERVAL_MS);
      }
      // The usage chunk LiteLLM sends last when the client asks for it (stream_options.include_usage).
      if (!res.destroyed) res.write(USAGE_CHUNK);
      if (!res.destroyed) res.end('data: [DONE]\n\n');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
}

/** hono's fetch-based proxy() helper: the alternative to forwarding with node:http. */
async function serveHonoProxy(target) {
  const { Hono } = await import('hono');
  const { proxy } = await import('hono/proxy');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  app.all('*', (c) => proxy(`${target}${c.req.path}`, { raw: c.req.raw, headers: { ...c.req.header(), host: undefined } }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }, (info) =>
    console.log(JSON.stringify({ port: info.port })),
  );
  server.keepAliveTimeout = 60_000;
}

/**
 * A bare relay: each client connection gets its own upstream connection and bytes are copied both
 * ways as they come. No HTTP parsing, no headers added, no pooling: not a product, a floor.
 */
function serveNodePipe(upstreamPort) {
  const server = net.createServer((client) => {
    const upstream = net.connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
    client.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
}

// ---------------------------------------------------------------- process helpers

/** Starts a child, resolves with the first JSON line it prints that has `key`. */
function spawnUntil(command, args, options, key, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within 15 s\n${out}\n${err}`));
    }, 15_000);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    const onData = (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line);
          if (parsed[key] !== undefined) {
            clearTimeout(timer);
            // From now on only drain what it prints (a line per request): parsing it here would
            // steal the load generator's CPU, and not reading it would block the child on a full pipe.
            child.stdout.off('data', onData);
            child.stdout.on('data', () => {});
            resolve({ child, info: parsed });
            return;
          }
        } catch {
          // a partial line: wait for the rest
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready\n${out}\n${err}`));
    });
  });
}

async function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await Promise.race([exited, sleep(8000).then(() => child.kill('SIGKILL'))]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident and private dirty memory of processes, in MiB, from /proc (Linux only). */
function memoryOf(pids) {
  let rss = 0;
  let priv = 0;
  for (const pid of pids) {
    try {
      rss += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      // Private_Dirty: memory only this process holds (heap, stacks). Private_Clean is mostly the
      // node binary's pages, which every Node process maps from the same file.
      priv += Number(/Private_Dirty:\s+(\d+)/.exec(rollup)?.[1] ?? 0);
    } catch {
      return null;
    }
  }
  return { rssMiB: rss / 1024, privateMiB: priv / 1024 };
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) used so far by processes, in ms, from /proc/<pid>/stat. */
function cpuMsOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may contain spaces) start at state, field 3.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15
    } catch {
      return NaN;
    }
  }
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * What about this host makes every system call expensive, so figures from it are read rightly:
 * under kernel page-table isolation (PTI) without PCID the CPU's TLB is flushed on every kernel entry
 * and exit, and in a virtual machine each miss after that costs a two-level page walk. A proxy pays
 * for each page of code and data it touches after each read or write: least for nginx's compact C,
 * most for a JIT-compiled runtime. Linux only; empty where nothing is known.
 */
function hostNotes() {
  const notes = [];
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(' ') ?? [];
    const meltdown = readFileSync('/sys/devices/system/cpu/vulnerabilities/meltdown', 'utf8').trim();
    if (flags.includes('hypervisor')) notes.push('a virtual machine');
    if (/PTI/.test(meltdown) && !flags.includes('pcid')) notes.push('page-table isolation without PCID (the TLB is flushed on every system call)');
  } catch {
    // not Linux, or /proc and /sys are not readable: no notes
  }
  return notes;
}

// ---------------------------------------------------------------- load generation

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** One non-streaming chat request on `agent`; resolves with its latency in ms (or rejects). */
function chatOnce({ port, headers }, agent) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(CHAT_BODY), authorization: 'Bearer sk-bench', ...headers },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => (res.statusCode === 200 ? resolve(nowMs() - started) : reject(new Error(`status ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(CHAT_BODY);
  });
}

/** `connections` keep-alive loops for `durationMs` (bounded in count too). */
async function runNonStreaming(target, connections, durationMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let errors = 0;
  const deadline = nowMs() + durationMs;
  let started = 0;
  const began = nowMs();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (nowMs() < deadline && started < MAX_REQUESTS_PER_PHASE) {
        started += 1;
        try {
          latencies.push(await chatOnce(target, agent));
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = nowMs() - began;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: (latencies.length / elapsed) * 1000, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, count: latencies.length };
}

/** One streamed completion: time to first chunk, and each chunk's delay since the upstream wrote it. */
function streamOnce({ port, headers }, agent, delays) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    let firstChunkMs;
    let buffered = '';
    let events = 0;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(STREAM_BODY), authorization: 'Bearer sk-bench', ...headers },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          const arrived = process.hrtime.bigint();
          firstChunkMs ??= nowMs() - started;
          buffered += chunk;
          let end;
          while ((end = buffered.indexOf('\n\n')) !== -1) {
            const event = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const sent = /"t":"(\d+)"/.exec(event)?.[1];
            if (sent) {
              events += 1;
              delays.push(Number(arrived - BigInt(sent)) / 1e6);
            }
          }
        });
        res.on('end', () =>
          res.statusCode === 200 && events === STREAM_CHUNKS ? resolve(firstChunkMs) : reject(new Error(`status ${res.statusCode}, ${events} chunks`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(STREAM_BODY);
  });
}

async function runStreaming(target, maxMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const firstChunks = [];
  const delays = [];
  let errors = 0;
  const deadline = nowMs() + maxMs;
  for (let i = 0; i < STREAMS_PER_PHASE && nowMs() < deadline; i += 1) {
    try {
      firstChunks.push(await streamOnce(target, agent, delays));
    } catch {
      errors += 1;
    }
  }
  agent.destroy();
  firstChunks.sort((a, b) => a - b);
  delays.sort((a, b) => a - b);
  return {
    streams: firstChunks.length,
    ttfcP50: percentile(firstChunks, 0.5),
    ttfcP99: percentile(firstChunks, 0.99),
    chunkP50: percentile(delays, 0.5),
    chunkP99: percentile(delays, 0.99),
    errors,
  };
}

/** Opens connections and pools and lets the JIT compile, before a target's first slice of a round. */
async function warm(target) {
  globalThis.gc?.();
  await runNonStreaming(target, 4, WARMUP_MS);
}

/** The phases of a round; each measures one slice of one target. */
const PHASES = [
  { key: 'one', run: (target) => runNonStreaming(target, 1, PHASE_MS) },
  {
    key: 'many',
    run: async (target) => {
      const cpuBefore = target.pids ? cpuMsOf(target.pids()) : NaN;
      const many = await runNonStreaming(target, 32, PHASE_MS);
      // CPU the target process spent per request: less noisy than wall time on a shared machine.
      many.cpuUsPerRequest = ((cpuMsOf(target.pids?.() ?? []) - cpuBefore) * 1000) / Math.max(1, many.count);
      return many;
    },
  },
  { key: 'stream', run: (target) => runStreaming(target, STREAM_PHASE_MAX_MS) },
];

/**
 * One round. In each phase, direct runs before and after every other target (direct, A, direct,
 * B, ..., direct), and a target's slice is compared with the mean of the two direct slices around
 * it: the host's speed drifts by tens of percent within a minute, so a target is compared with
 * direct a few seconds away, never a round away. The order of the others rotates from round to round.
 */
async function runRound(direct, others, round, log) {
  const order = others.map((_, i) => others[(i + round) % others.length]);
  for (const target of [direct, ...order]) await warm(target);
  for (const phase of PHASES) {
    log(`${phase.key}… `);
    let before = await phase.run(direct);
    direct.slices[phase.key].push(before);
    for (const target of order) {
      const slice = await phase.run(target);
      const after = await phase.run(direct);
      direct.slices[phase.key].push(after);
      target.slices[phase.key].push({ slice, before, after });
      before = after;
    }
  }
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};
const sum = (values) => values.reduce((a, b) => a + b, 0);
const mean2 = (a, b) => (a + b) / 2;

/** A target's own results in a phase: direct keeps them as they are, the others beside their pair. */
const ownSlices = (target, phase) => target.slices[phase].map((s) => s.slice ?? s);
/** A figure of a target: the median over its slices. */
const figure = (target, phase, key) => median(ownSlices(target, phase).map((s) => s[key]));

const byRatio = (value, base) => value / base;
const byDifference = (value, base) => value - base;

/** A target's figure against the mean of the direct slices around it, one value per round. */
function paired(target, phase, key, compare) {
  return target.slices[phase].map(({ slice, before, after }) => compare(slice[key], mean2(before[key], after[key]))).filter(Number.isFinite);
}
const pairedRatio = (target, phase, key) => median(paired(target, phase, key, byRatio));
const pairedDifference = (target, phase, key) => median(paired(target, phase, key, byDifference));
/** The lowest and highest of a paired figure over rounds, as "low–high". */
function pairedRange(target, phase, key, compare, digits) {
  const values = paired(target, phase, key, compare);
  return values.length === 0 ? 'n/a' : `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}
const errorsOf = (target, phase) => sum(ownSlices(target, phase).map((s) => s.errors));

// ---------------------------------------------------------------- targets

/** The headers the bench upstream received with its last request. */
function headersSeenBy(upstreamPort) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: upstreamPort, path: '/bench/last-headers', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

/**
 * The upstream sent, by the bench's own client, the headers the interceptor adds to a request
 * (read from what the upstream received through it, so they are exactly the product's).
 */
async function directWithOurHeaders(upstreamPort, interceptor) {
  const agent = new http.Agent();
  await chatOnce({ port: upstreamPort }, agent);
  const direct = await headersSeenBy(upstreamPort);
  await chatOnce(interceptor, agent);
  agent.destroy();
  const proxied = await headersSeenBy(upstreamPort);
  const headers = Object.fromEntries(Object.entries(proxied).filter(([name]) => !(name in direct)));
  if (Object.keys(headers).length === 0) throw new Error('the interceptor added no headers the upstream saw');
  return { name: 'direct + our headers', port: upstreamPort, headers };
}

/**
 * `interceptor run` as a user starts it, with its own registry folder and settings: the usage
 * ledger on or off, and the forwarding path (INTERCEPTOR_FORWARDING: the fast path, or node-http).
 */
async function startInterceptor(upstreamUrl, parentDir, { ledger, forwarding = 'fast' }) {
  const name = `interceptor (${[forwarding === 'fast' ? '' : forwarding, ledger ? 'ledger on' : 'ledger off'].filter(Boolean).join(', ')})`;
  const workDir = path.join(parentDir, `${forwarding}-${ledger ? 'ledger-on' : 'ledger-off'}`);
  const project = path.join(workDir, 'bench-project');
  await mkdir(project, { recursive: true });
  await writeFile(path.join(workDir, 'interceptor-settings.json'), `${JSON.stringify({ usageLedger: ledger })}\n`);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: workDir,
    INTERCEPTOR_REGISTRY: path.join(workDir, 'port_registry.json'),
    INTERCEPTOR_PORT: String(port),
    TARGET_LLM_URL: upstreamUrl,
    INTERCEPTOR_FORWARDING: forwarding,
  };
  // Its line per request goes to a file, as to a terminal: a pipe read by this process would make
  // the load generator pay for the proxy's logging.
  const log = path.join(workDir, 'interceptor-run.log');
  const out = openSync(log, 'w');
  // Human output, as a user runs it; the port is ours (INTERCEPTOR_PORT), the banner says when it listens.
  const child = spawn(process.execPath, [CLI, 'run', project], { env, cwd: project, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (readFileSync(log, 'utf8').includes(`base URL  http://127.0.0.1:${port}/v1`)) {
      return { name, port, child, pids: () => [child.pid], workDir };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`interceptor run did not start (exit ${child.exitCode}): ${readFileSync(log, 'utf8')}${stderr}`);
    }
    await sleep(20);
  }
}

/** What the ledger-on interceptor wrote while it was measured: every request, with tokens and cost. */
function ledgerRowsNote(workDir) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(path.join(workDir, 'interceptor-usage.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT count(*) AS rows, SUM(prompt_tokens IS NOT NULL) AS tokens, SUM(cost_source = 'header') AS header,
           SUM(cost_source = 'estimated') AS estimated, SUM(streamed) AS streams FROM requests`,
      )
      .get();
    return `ledger on: ${row.rows} requests recorded (${row.streams} streams), ${row.tokens} with tokens; cost from headers ${row.header}, estimated ${row.estimated}`;
  } finally {
    db.close();
  }
}

/**
 * `interceptor serve` with its shared IDE port, the load generator standing in for a running IDE:
 * a JetBrains config folder whose .lock holds this process's PID and one open project, so every
 * connection is looked up (socket → PID → parent chain → IDE) and attributed by the `single` rule,
 * as AI Assistant's requests are. The lookup is per connection; keep-alive requests only decide.
 */
async function startIdePort(upstreamUrl, workDir) {
  const home = path.join(workDir, 'ide-home');
  const project = path.join(workDir, 'ide-project');
  const config = path.join(home, '.config', 'JetBrains', 'IntelliJIdea2025.1');
  await mkdir(path.join(config, 'options'), { recursive: true });
  await mkdir(project, { recursive: true });
  await writeFile(
    path.join(config, 'options', 'recentProjects.xml'),
    `<application><component name="RecentProjectsManager"><option name="additionalInfo"><map><entry key="${project}"><value><RecentProjectMetaInfo opened="true"><option name="activationTimestamp" value="1736000000000"/></RecentProjectMetaInfo></value></entry></map></option></component></application>\n`,
  );
  await writeFile(path.join(config, '.lock'), String(process.pid));
  const port = await freePort();
  const rangeStart = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    INTERCEPTOR_REGISTRY: path.join(home, 'port_registry.json'),
    INTERCEPTOR_IDE_PORT: String(port),
    INTERCEPTOR_PORT_MIN: String(rangeStart),
    INTERCEPTOR_PORT_MAX: String(rangeStart),
    TARGET_LLM_URL: upstreamUrl,
  };
  const log = path.join(workDir, 'interceptor-serve.log');
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [CLI, 'serve', '--no-dashboard'], { env, cwd: home, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (readFileSync(log, 'utf8').includes(`use http://127.0.0.1:${port}/v1`)) {
      // Discovery reads the IDE folder as serve starts: requests prove the rule before anything is measured.
      const target = { name: 'IDE port (single)', port, child, pids: () => [child.pid] };
      let rule;
      while (rule !== 'single') {
        if (Date.now() > deadline) throw new Error(`the IDE port attributed the bench's requests by ${rule ?? 'no rule'}, not single`);
        await chatOnce(target, false);
        rule = (await headersSeenBy(Number(new URL(upstreamUrl).port)))['x-interceptor-attribution'];
        if (rule !== 'single') await sleep(100);
      }
      return target;
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`interceptor serve did not start (exit ${child.exitCode}): ${readFileSync(log, 'utf8')}${stderr}`);
    }
    await sleep(20);
  }
}

async function startNginx(upstreamPort, workDir) {
  if (!existsSync(NGINX)) return { skipped: `${NGINX} is not installed` };
  const dir = path.join(workDir, 'nginx');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream litellm { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://litellm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
  await writeFile(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  const ready = await (async () => {
    for (let i = 0; i < 100; i += 1) {
      if (child.exitCode !== null) return false;
      const ok = await new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (ok) return true;
      await sleep(50);
    }
    return false;
  })();
  if (!ready) {
    await stopChild(child, 'SIGKILL');
    const log = existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8').trim().split('\n').at(-1) : '';
    return { skipped: `nginx did not start (${log || `exit ${child.exitCode}`})` };
  }
  return { name: 'nginx', port, child, pids: () => [child.pid, ...childPids(child.pid)], stopSignal: 'SIGQUIT' };
}

// ---------------------------------------------------------------- report

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const x = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
const ratio = (value, base) => (Number.isFinite(value) && Number.isFinite(base) && base > 0 ? x(value / base) : '');

function report(direct, others, skipped) {
  const targets = [direct, ...others];
  const width = 30;
  const rows = [];
  const row = (label, cells) => rows.push(label.padEnd(34) + cells.map((c) => String(c).padEnd(width)).join(''));
  /** A cell: direct's figure alone, another target's with its paired comparison in brackets. */
  const cells = (format, paired) => targets.map((t) => (t === direct ? format(t) : `${format(t)} (${paired(t)})`));
  row('', targets.map((t) => t.name));
  for (const [label, phase] of [
    ['non-streaming, 1 connection', 'one'],
    ['non-streaming, 32 connections', 'many'],
  ]) {
    row(label, []);
    row('  req/s', cells((t) => fmt(figure(t, phase, 'rps'), 0), (t) => `${x(pairedRatio(t, phase, 'rps'))}, ${pairedRange(t, phase, 'rps', byRatio, 2)}`));
    row('  latency p50 / p99 ms', targets.map((t) => `${fmt(figure(t, phase, 'p50'))} / ${fmt(figure(t, phase, 'p99'))}`));
    row('  errors', targets.map((t) => errorsOf(t, phase)));
  }
  const cpu = (t) => fmt(figure(t, 'many', 'cpuUsPerRequest'), 0);
  const cpuCell = (t) => {
    if (t === direct) return `${cpu(t)} (upstream)`;
    // A target with no process of its own (direct + our headers) has no CPU figure of its own.
    return t.pids ? `${cpu(t)} (${x(pairedRatio(t, 'many', 'cpuUsPerRequest'))})` : '-';
  };
  row('  proxy CPU per request µs', targets.map(cpuCell));
  row(`streaming (${STREAM_CHUNKS} chunks, ${STREAM_INTERVAL_MS} ms apart)`, []);
  row('  streams', targets.map((t) => sum(ownSlices(t, 'stream').map((s) => s.streams))));
  row('  first chunk p50 / p99 ms', targets.map((t) => `${fmt(figure(t, 'stream', 'ttfcP50'))} / ${fmt(figure(t, 'stream', 'ttfcP99'))}`));
  /** A stream figure's paired difference to direct, with its range over rounds. */
  const added = (key) => targets.map((t) => (t === direct ? '-' : `${fmt(pairedDifference(t, 'stream', key), 3)} (${pairedRange(t, 'stream', key, byDifference, 3)})`));
  row('  added first chunk p50 ms', added('ttfcP50'));
  row('  chunk delay p50 / p99 ms', targets.map((t) => `${fmt(figure(t, 'stream', 'chunkP50'), 3)} / ${fmt(figure(t, 'stream', 'chunkP99'), 3)}`));
  row('  added per chunk p50 ms', added('chunkP50'));
  row('  added per chunk p99 ms', added('chunkP99'));
  row('  errors', targets.map((t) => errorsOf(t, 'stream')));
  const memoryCell = (t) => {
    if (!t.pids) return '-'; // no process of its own, as for the CPU
    if (!t.memory) return 'n/a'; // /proc could not be read
    const { rssMiB, privateMiB } = t.memory;
    return `${fmt(rssMiB, 1)} / ${fmt(privateMiB, 1)} ${t === direct ? '(upstream)' : `(${ratio(rssMiB, direct.memory?.rssMiB)})`}`;
  };
  row('memory RSS / private dirty MiB', targets.map(memoryCell));
  console.log(rows.join('\n'));
  for (const [name, reason] of skipped) console.log(`skipped ${name}: ${reason}`);
  console.log(
    'ratios and added times compare each slice with the direct slices just before and after it: median over rounds,\n' +
      'then the lowest and highest round; ' +
      'absolute figures are medians over slices; memory "direct" is the bench upstream itself, a bare Node http server.',
  );
}

// ---------------------------------------------------------------- main

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm run bench does)`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'interceptor-bench-'));
  const started = [];
  const skipped = [];
  try {
    const upstream = await spawnUntil(process.execPath, [SELF, '--role=upstream'], {}, 'port', 'bench upstream');
    started.push({ child: upstream.child });
    const upstreamUrl = `http://127.0.0.1:${upstream.info.port}`;
    console.log(
      `proxy benchmark: loopback, Node ${process.version}, ${os.cpus().length} CPUs (shared by load generator, upstream and proxy); ` +
        `each slice ${PHASE_MS} ms (at most ${MAX_REQUESTS_PER_PHASE} requests) or ${STREAMS_PER_PHASE} streams, ` +
        `direct before and after every other target's slice, median of ${ROUNDS} rounds; errors are summed`,
    );
    const notes = hostNotes();
    console.log(notes.length > 0 ? `host: ${notes.join('; ')}\n` : '');

    const targets = [{ name: 'direct', port: upstream.info.port, pids: () => [upstream.child.pid] }];
    const interceptor = await startInterceptor(upstreamUrl, workDir, { ledger: false });
    const withLedger = await startInterceptor(upstreamUrl, workDir, { ledger: true });
    // The same proxy with every request through Node's own HTTP stack: what the fast path buys.
    const nodeHttp = await startInterceptor(upstreamUrl, workDir, { ledger: false, forwarding: 'node-http' });
    targets.push(await directWithOurHeaders(upstream.info.port, interceptor), interceptor, withLedger, nodeHttp);
    targets.push(await startIdePort(upstreamUrl, workDir));
    try {
      const hono = await spawnUntil(process.execPath, [SELF, '--role=hono-proxy', `--target=${upstreamUrl}`], { cwd: ROOT }, 'port', 'hono proxy()');
      targets.push({ name: 'hono proxy() (fetch)', port: hono.info.port, child: hono.child, pids: () => [hono.child.pid] });
    } catch (error) {
      skipped.push(['hono proxy()', error.message.split('\n')[0]]);
    }
    const pipe = await spawnUntil(process.execPath, [SELF, '--role=node-pipe', `--upstream-port=${upstream.info.port}`], {}, 'port', 'node pipe');
    targets.push({ name: 'node pipe (floor)', port: pipe.info.port, child: pipe.child, pids: () => [pipe.child.pid] });
    const nginx = await startNginx(upstream.info.port, workDir);
    if (nginx.skipped) skipped.push(['nginx', nginx.skipped]);
    else targets.push(nginx);
    for (const target of targets) if (target.child) started.push(target);

    for (const target of targets) target.slices = { one: [], many: [], stream: [] };
    const [direct, ...others] = targets;
    // Once, before the first round: the JIT has compiled the hot paths before anything is measured.
    for (const target of targets) await runNonStreaming(target, 4, FIRST_WARMUP_MS);
    for (let round = 0; round < ROUNDS; round += 1) {
      process.stdout.write(`round ${round + 1}/${ROUNDS}: `);
      await runRound(direct, others, round, (text) => process.stdout.write(text));
      process.stdout.write('\n');
    }
    for (const target of targets) target.memory = target.pids ? memoryOf(target.pids()) : null;
    console.log('');
    report(direct, others, skipped);
    await stopChild(withLedger.child);
    started.splice(started.indexOf(withLedger), 1);
    console.log(ledgerRowsNote(withLedger.workDir));
    // Every slice, for comparing runs or builds later.
    if (process.env.BENCH_JSON) await writeFile(process.env.BENCH_JSON, JSON.stringify(targets.map(({ name, slices, memory }) => ({ name, slices, memory }))));
    return targets;
  } finally {
    for (const { child, stopSignal } of started.reverse()) await stopChild(child, stopSignal);
    await rm(workDir, { recursive: true, force: true });
  }
}

const role = process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length);
if (role === 'upstream') serveUpstream();
else if (role === 'node-pipe') serveNodePipe(Number(process.argv.find((arg) => arg.startsWith('--upstream-port='))?.slice('--upstream-port='.length)));
else if (role === 'hono-proxy') await serveHonoProxy(process.argv.find((arg) => arg.startsWith('--target='))?.slice('--target='.length));
else if (process.argv[1] === SELF) {
  main().catch((error) => {
    console.error(`bench failed: ${error.message}`);
    process.exitCode = 1;
  });
}

export { main as benchProxy };
