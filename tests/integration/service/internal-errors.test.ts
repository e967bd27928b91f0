// `interceptor serve`'s log is its stderr: an internal error anywhere in the engine — a dashboard
// API handler, a proxy's own endpoint, a proxy's request listener, the supervisor at shutdown —
// must appear there exactly once, with its stack, and with the API key and the dashboard token
// redacted. The verb runs in-process (runCli with our own streams), everything real; only the
// failures are forced, by making one method throw.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli/run-cli';
import { PinnedSource } from '../../../electron/core/discovery/pinned-source';
import { ProxyStats } from '../../../electron/core/proxy/proxy-stats';
import { Supervisor } from '../../../electron/core/supervisor/supervisor';
import { startFakeUpstream } from '../../helpers/fake-upstream';
import { claimPortRange } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

vi.setConfig({ testTimeout: 60_000 });

const API_KEY = 'sk-interceptor-test-KEY-0123456789';

afterEach(() => {
  vi.restoreAllMocks();
});

interface InProcessServe {
  events: Array<Record<string, unknown>>;
  stderr(): string;
  stop(): Promise<number>;
}

async function serveInProcess(env: NodeJS.ProcessEnv, cwd: string): Promise<InProcessServe> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const events: Array<Record<string, unknown>> = [];
  let err = '';
  let buffered = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      events.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
      buffered = buffered.slice(newline + 1);
    }
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const stop = new AbortController();
  let exited = false;
  const exit = runCli(['serve', '--json'], { stdout, stderr, stdin: new PassThrough(), interactive: false }, { env, cwd, stopSignal: stop.signal });
  void exit.finally(() => (exited = true));
  await waitFor('serve to be ready', () => exited || events.some((e) => e.event === 'ready'), 20_000);
  if (!events.some((e) => e.event === 'ready')) throw new Error(`serve did not start (exit ${await exit}):\n${err}`);
  return {
    events,
    stderr: () => err,
    async stop() {
      stop.abort();
      return exit;
    },
  };
}

async function api(dashboardUrl: string, method: string, arg?: unknown): Promise<{ ok: boolean; code?: string; value?: unknown }> {
  const url = new URL(dashboardUrl);
  const response = await fetch(new URL(`/api/${method}`, url.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-interceptor-token': url.searchParams.get('token') ?? '' },
    body: arg === undefined ? '' : JSON.stringify(arg),
  });
  return (await response.json()) as { ok: boolean; code?: string; value?: unknown };
}

describe('internal errors in a running `interceptor serve`', () => {
  it('each reach stderr once, with a stack, and with no key or token', async () => {
    const dir = await tempDir('interceptor-internal-');
    const project = path.join(dir, 'projects', 'alpha');
    await mkdir(project, { recursive: true });
    const range = await claimPortRange();
    const upstream = await startFakeUpstream();
    const env: NodeJS.ProcessEnv = {
      HOME: process.env.HOME,
      INTERCEPTOR_REGISTRY: path.join(dir, 'config', 'port_registry.json'),
      INTERCEPTOR_PORT_MIN: String(range.start),
      INTERCEPTOR_PORT_MAX: String(range.end),
      TARGET_LLM_URL: upstream.url,
      LITELLM_API_KEY: API_KEY,
    };
    const serve = await serveInProcess(env, dir);
    let exitCode: number | undefined;
    try {
      const ready = serve.events.find((e) => e.event === 'ready')!;
      const dashboardUrl = String(ready.dashboardUrl);
      const token = new URL(dashboardUrl).searchParams.get('token')!;
      const secrets = `key ${API_KEY}, token ${token}, header Authorization: Bearer ${API_KEY}`;

      const opened = await api(dashboardUrl, 'openProjectFolder', { path: project });
      expect(opened).toMatchObject({ ok: true, value: { status: 'running' } });
      const port = (opened.value as { port: number }).port;

      // 1. A dashboard API handler throws.
      vi.spyOn(Supervisor.prototype, 'recentRequests').mockImplementationOnce(() => {
        throw new Error(`forced 1 (dashboard handler): ${secrets}`);
      });
      expect(await api(dashboardUrl, 'getRecentRequests', { project })).toMatchObject({ ok: false, code: 'INTERNAL' });

      // 2. One of the proxy's own endpoints throws.
      vi.spyOn(ProxyStats.prototype, 'recent').mockImplementationOnce(() => {
        throw new Error(`forced 2 (proxy endpoint): ${secrets}`);
      });
      const stats = await fetch(`http://127.0.0.1:${port}/_interceptor/stats`);
      expect(stats.status).toBe(500);
      expect(await stats.json()).toMatchObject({ error: { code: 'internal_error' } });

      // 3. The supervisor's listener for finished requests throws: the request itself still works.
      vi.spyOn(Supervisor.prototype as unknown as { onRequest(): void }, 'onRequest').mockImplementationOnce(() => {
        throw new Error(`forced 3 (request listener): ${secrets}`);
      });
      const forwarded = await fetch(`http://127.0.0.1:${port}/v1/models`);
      expect(forwarded.status).toBe(200);
      await forwarded.arrayBuffer();
      await waitFor('the request listener failure in the log', () => serve.stderr().includes('forced 3'), 5_000);

      // 4. A project source fails to stop at shutdown.
      vi.spyOn(PinnedSource.prototype, 'stop').mockImplementationOnce(() => Promise.reject(new Error(`forced 4 (source stop): ${secrets}`)));
      exitCode = await serve.stop();

      const log = serve.stderr();
      expect(exitCode).toBe(0);
      expect(log).not.toContain(API_KEY);
      expect(log).not.toContain(token);
      expect(log.match(/^interceptor: internal error in /gm), log).toHaveLength(4);
      for (const [n, where] of [
        [1, 'dashboard API getRecentRequests'],
        [2, 'supervisor: the proxy of '],
        [3, `supervisor: the proxy of ${project}: a 'request' listener`],
        [4, 'supervisor: stopping the pinned project source'],
      ] as const) {
        const at = log.indexOf(`forced ${n} `);
        expect(at, `forced ${n} in\n${log}`).toBeGreaterThan(0);
        expect(log.indexOf(`forced ${n} `, at + 1), `forced ${n} logged once`).toBe(-1);
        const entry = log.slice(log.lastIndexOf('interceptor: internal error in ', at));
        expect(entry.startsWith(`interceptor: internal error in ${where}`), entry.slice(0, 200)).toBe(true);
        // The stack follows the message, frame by frame.
        expect(entry.split('\n').slice(1, 3).every((line) => /^\s+at /.test(line)), entry.slice(0, 400)).toBe(true);
      }
      expect(log).toContain(`supervisor: the proxy of ${project}: GET /_interceptor/stats: Error: forced 2`);
    } finally {
      if (exitCode === undefined) await serve.stop();
      await upstream.close();
    }
  });
});
