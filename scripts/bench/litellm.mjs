// Beside the real LiteLLM: the same requests, in one run, to
//   provider          a minimal OpenAI-compatible model provider on loopback (what LiteLLM forwards to),
//   LiteLLM           the real LiteLLM proxy (the test rig's pinned version) in front of it,
//   interceptor → LiteLLM   `interceptor run` in front of that LiteLLM, as a user runs it,
// so a user sees the time Interceptor adds as a share of the time LiteLLM itself adds. Requests go to
// the three in turn, one each (the order rotating), and the added times are medians of the
// differences within each turn: LiteLLM's own latency wanders by milliseconds from one second to the
// next, far more than a proxy adds, so only neighbours are compared. Skipped, saying why, when the LiteLLM venv is missing (the tests'
// rig: tests/litellm/install-venv.sh, which .ci/run runs). A benchmark: it prints, never asserts.
// Every slice is bounded in count and in time, and all traffic stays on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);
const CLI = process.env.BENCH_INTERCEPTOR_CLI ?? path.join(ROOT, 'dist/cli/interceptor.js');
const RIG = path.join(ROOT, 'tests/litellm');
const MASTER_KEY = 'sk-rig-master-key';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TURNS_PER_ROUND = 100;
const ROUND_MAX_MS = 20_000;
const STREAM_PARTS = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------- the provider (child process role)

function serveProvider() {
  const usage = { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      const base = { id: 'chatcmpl-bench', created: 1_700_000_000, model: body.model ?? 'bench' };
      if (body.stream !== true) {
        const text = JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }], usage });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < STREAM_PARTS; i += 1) {
        res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
}

// ---------------------------------------------------------------- processes

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

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** Polls `ready` until it is true; throws with `what` and the log after `ms`. */
async function until(ready, child, ms, what, log) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ready()) return;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not start (exit ${child.exitCode}): ${log().slice(-2000)}`);
    }
    await sleep(200);
  }
}

/** The venv the tests' rig installs for the pinned LiteLLM (see tests/helpers/litellm.ts). */
function litellmVenv() {
  const key = createHash('sha256').update(readFileSync(path.join(RIG, 'requirements.lock'))).digest('hex').slice(0, 16);
  return path.join(os.userInfo().homedir, '.cache', 'litellm-interceptor', `litellm-venv-${key}`);
}

async function startProvider() {
  const child = spawn(process.execPath, [SELF, '--role=provider'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (line) => resolve(JSON.parse(line).port));
    child.once('exit', (code) => reject(new Error(`the bench provider exited (${code})`)));
  });
  return { name: 'provider', port, child };
}

async function startLiteLlm(venv, providerPort, workDir) {
  // The tests' config without the recording callback: nothing but LiteLLM's own work is measured.
  const config = parse(readFileSync(path.join(RIG, 'config.yaml'), 'utf8'));
  delete config.litellm_settings.callbacks;
  const configFile = path.join(workDir, 'litellm.yaml');
  await writeFile(configFile, stringify(config));
  const port = await freePort();
  const logFile = path.join(workDir, 'litellm.log');
  const out = openSync(logFile, 'w');
  const child = spawn(path.join(venv, 'bin', 'litellm'), ['--config', configFile, '--host', '127.0.0.1', '--port', String(port), '--telemetry', 'False'], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      HOME: workDir,
      LITELLM_LOCAL_MODEL_COST_MAP: 'True',
      FAKE_PROVIDER_URL: `http://127.0.0.1:${providerPort}`,
      FAKE_PROVIDER_OPENAI_BASE: `http://127.0.0.1:${providerPort}/v1`,
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const alive = () =>
    new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/health/liveliness', agent: false }, (res) => resolve(res.resume() && res.statusCode === 200)).on('error', () => resolve(false));
    });
  await until(alive, child, 120_000, 'LiteLLM', () => readFileSync(logFile, 'utf8'));
  return { name: 'LiteLLM', port, child };
}

async function startInterceptor(litellmPort, workDir) {
  const project = path.join(workDir, 'bench-project');
  await mkdir(project, { recursive: true });
  const port = await freePort();
  const logFile = path.join(workDir, 'interceptor-run.log');
  const out = openSync(logFile, 'w');
  const env = { PATH: process.env.PATH, HOME: workDir, INTERCEPTOR_REGISTRY: path.join(workDir, 'port_registry.json'), INTERCEPTOR_PORT: String(port), TARGET_LLM_URL: `http://127.0.0.1:${litellmPort}` };
  const child = spawn(process.execPath, [CLI, 'run', project], { env, cwd: project, stdio: ['ignore', out, out] });
  closeSync(out);
  await until(() => readFileSync(logFile, 'utf8').includes(`base URL  http://127.0.0.1:${port}/v1`), child, 15_000, 'interceptor run', () => readFileSync(logFile, 'utf8'));
  return { name: 'interceptor → LiteLLM', port, child };
}

// ---------------------------------------------------------------- load

/** One chat request; resolves with [ms to the first body byte, ms to the end]. */
function request(port, agent, stream) {
  const body = JSON.stringify({ model: 'fake-gpt', stream, messages: [{ role: 'user', content: 'Say hello.' }] });
  return new Promise((resolve, reject) => {
    const started = nowMs();
    let first;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${MASTER_KEY}` },
      },
      (res) => {
        res.on('data', () => (first ??= nowMs() - started));
        res.on('end', () => (res.statusCode === 200 ? resolve([first ?? nowMs() - started, nowMs() - started]) : reject(new Error(`status ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * `turns` turns, bounded in time: in each, one request to every target (each on its own keep-alive
 * connection), the order rotating from turn to turn. Each target's results are kept per turn, so a
 * target is compared with its neighbours in the same turn.
 */
async function turns(targets, stream, count) {
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const deadline = nowMs() + ROUND_MAX_MS;
  for (let turn = 0; turn < count && nowMs() < deadline; turn += 1) {
    const results = new Array(targets.length);
    for (let k = 0; k < targets.length; k += 1) {
      const i = (turn + k) % targets.length;
      results[i] = await request(targets[i].port, agents[i], stream).catch(() => undefined);
    }
    targets.forEach((target, i) => {
      const phase = target.turns[stream ? 'stream' : 'json'];
      if (results[i] === undefined) target.errors += 1;
      phase.push(results[i] ?? [NaN, NaN]);
    });
  }
  for (const agent of agents) agent.destroy();
}

// ---------------------------------------------------------------- report

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pct = (part, whole) => (Number.isFinite(part) && Number.isFinite(whole) && whole > 0 ? `${((part / whole) * 100).toFixed(0)}%` : 'n/a');

const FIRST = 0;
const TOTAL = 1;

function report(targets) {
  const [provider, litellm, ours] = targets;
  const fig = (t, phase, at) => median(t.turns[phase].map((r) => r[at]));
  /** The median over turns of `over` minus `base` in the same turn. */
  const added = (phase, at, over, base) => median(over.turns[phase].map((r, turn) => r[at] - base.turns[phase][turn][at]));
  const rows = [];
  const row = (label, cells) => rows.push(label.padEnd(34) + cells.map((c) => String(c).padEnd(26)).join(''));
  row('', targets.map((t) => t.name));
  row('JSON completion', []);
  row('  latency p50 ms', targets.map((t) => fmt(fig(t, 'json', TOTAL))));
  row('  added p50 ms', ['-', fmt(added('json', TOTAL, litellm, provider)), fmt(added('json', TOTAL, ours, litellm), 3)]);
  row(`stream (${STREAM_PARTS} chunks)`, []);
  row('  first chunk p50 ms', targets.map((t) => fmt(fig(t, 'stream', FIRST))));
  row('  added first chunk p50 ms', ['-', fmt(added('stream', FIRST, litellm, provider)), fmt(added('stream', FIRST, ours, litellm), 3)]);
  row('  whole stream p50 ms', targets.map((t) => fmt(fig(t, 'stream', TOTAL))));
  row('turns / errors', targets.map((t) => `${t.turns.json.length + t.turns.stream.length} / ${t.errors}`));
  console.log(rows.join('\n'));
  for (const [label, phase, at] of [
    ['JSON completion', 'json', TOTAL],
    ['stream, first chunk', 'stream', FIRST],
  ]) {
    const byLiteLlm = added(phase, at, litellm, provider);
    const byUs = added(phase, at, ours, litellm);
    console.log(`${label}: LiteLLM adds ${fmt(byLiteLlm)} ms to the provider; Interceptor in front of it adds ${fmt(byUs, 3)} ms (${pct(byUs, byLiteLlm)} of what LiteLLM adds)`);
  }
  console.log('added: median over turns of the difference to the target on its left, in the same turn ("interceptor → LiteLLM" minus "LiteLLM", "LiteLLM" minus "provider").');
}

// ---------------------------------------------------------------- main

async function main() {
  const venv = litellmVenv();
  if (!existsSync(path.join(venv, '.installed'))) {
    console.log('skipped: LiteLLM venv missing (run .ci/run, or bash tests/litellm/install-venv.sh)');
    return undefined;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm run bench does)`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'interceptor-bench-litellm-'));
  const started = [];
  try {
    const version = /^litellm\[proxy\]==(\S+)$/m.exec(readFileSync(path.join(RIG, 'requirements.in'), 'utf8'))?.[1];
    console.log(
      `LiteLLM benchmark: LiteLLM ${version} (no database, no logging callback) in front of a loopback provider, ` +
        `Interceptor in front of it; ${ROUNDS} rounds of ${TURNS_PER_ROUND} turns of JSON requests and of streams (at most ${ROUND_MAX_MS / 1000} s each), ` +
        'one request to each target per turn, one connection each',
    );
    const provider = await startProvider();
    started.push(provider);
    const litellm = await startLiteLlm(venv, provider.port, workDir);
    started.push(litellm);
    const ours = await startInterceptor(litellm.port, workDir);
    started.push(ours);
    const targets = [provider, litellm, ours];
    for (const target of targets) {
      target.turns = { json: [], stream: [] };
      target.errors = 0;
    }
    // Warm-up, not counted: LiteLLM's first requests import and compile a good deal of Python.
    await turns(targets, false, 30);
    await turns(targets, true, 10);
    for (const target of targets) {
      target.turns = { json: [], stream: [] };
      target.errors = 0;
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      process.stdout.write(`round ${round + 1}/${ROUNDS}… `);
      await turns(targets, false, TURNS_PER_ROUND);
      await turns(targets, true, TURNS_PER_ROUND);
    }
    process.stdout.write('\n\n');
    report(targets);
    return targets;
  } finally {
    for (const { child } of started.reverse()) await stopChild(child);
    await rm(workDir, { recursive: true, force: true });
  }
}

const role = process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length);
if (role === 'provider') serveProvider();
else if (process.argv[1] === SELF) {
  main().catch((error) => {
    console.error(`bench failed: ${error.message}`);
    process.exitCode = 1;
  });
}

export { main as benchLiteLlm };
