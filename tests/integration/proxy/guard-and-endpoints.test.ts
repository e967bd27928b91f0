// Web pages and rebound DNS names are refused; oversized bodies get 413; our own endpoints answer
// and are never forwarded.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { INTERCEPTOR_VERSION } from '../../../electron/core/version';
import { writePattern } from '../../helpers/fake-upstream';
import { jsonOf, rawRequest, startRig, type RawResponse } from './proxy-fixture';

type ErrorBody = { error: { message: string; type: string; code: string } };

describe('request guard', async () => {
  const { proxy, upstream } = await startRig({ bodyLimitBytes: 64 * 1024 });
  const port = proxy.port;
  const forwardedCount = () => upstream.requests.length;

  async function refused(response: RawResponse, code: string): Promise<void> {
    expect(response.status).toBe(403);
    expect(jsonOf<ErrorBody>(response).error.code).toBe(code);
    expect(response.headers.connection).toBe('close');
  }

  it('accepts the loopback names for its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest({ port, path: '/echo', headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses a Host that is not a loopback name for this port (DNS rebinding)', async () => {
    const before = forwardedCount();
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      await refused(await rawRequest({ port, path: '/echo', headers: { host } }), 'host_not_allowed');
    }
    expect(forwardedCount()).toBe(before);
  });

  it('refuses requests from web pages, with a clear message', async () => {
    const before = forwardedCount();
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'null', 'chrome-extension://abc']) {
      const response = await rawRequest({ port, path: '/v1/chat/completions', method: 'POST', headers: { origin }, body: '{}' });
      await refused(response, 'origin_not_allowed');
      expect(jsonOf<ErrorBody>(response).error.message).toContain('web pages');
    }
    await refused(await rawRequest({ port, path: '/v1/models', headers: { 'sec-fetch-site': 'cross-site' } }), 'origin_not_allowed');
    expect(forwardedCount()).toBe(before);
    expect(proxy.stats().refused).toBeGreaterThanOrEqual(5);
  });

  it('lets an explicitly allowed origin through', async () => {
    proxy.update({ allowedOrigins: ['http://localhost:3000/'] });
    try {
      const response = await rawRequest({ port, path: '/echo', headers: { origin: 'http://LOCALHOST:3000', 'sec-fetch-site': 'same-site' } });
      expect(response.status).toBe(200);
      await refused(await rawRequest({ port, path: '/echo', headers: { origin: 'http://localhost:3001' } }), 'origin_not_allowed');
    } finally {
      proxy.update({ allowedOrigins: [] });
    }
  });

  it('allows a user typing the URL into a browser (Sec-Fetch-Site: none)', async () => {
    expect((await rawRequest({ port, path: '/_interceptor/health', headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
  });

  it('refuses absolute-form targets: it is not a forward proxy', async () => {
    const response = await rawRequest({ port, path: `http://127.0.0.1:${port}/echo`, headers: { host: `127.0.0.1:${port}` } });
    expect(response.status).toBe(400);
    expect(jsonOf<ErrorBody>(response).error.code).toBe('invalid_request_target');
  });

  it('answers 413 up front for a declared length over the limit, without reading or forwarding it', async () => {
    const before = forwardedCount();
    const response = await new Promise<RawResponse>((resolve, reject) => {
      // Announce 10 MiB but send nothing: the answer must come from the header alone.
      const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', agent: false, headers: { 'content-length': String(10 * 1024 * 1024) } });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: '', headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(response.status).toBe(413);
    expect(jsonOf<ErrorBody>(response).error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
    expect(response.headers.connection).toBe('close');
    expect(forwardedCount()).toBe(before);
  });

  it('answers 413 for a chunked body that grows over the limit, and aborts the upstream request', async () => {
    const abortsBefore = upstream.aborts();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', agent: false });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      void writePattern(req, 1024 * 1024); // 1 MiB, chunked, against a 64 KiB limit
    });
    expect(status).toBe(413);
    await upstream.waitForAborts(abortsBefore + 1);
    expect(proxy.recent().at(-1)).toMatchObject({ status: 413, error: 'request_too_large' });
  });
});

describe('own endpoints', async () => {
  const { proxy, upstream, projectPath } = await startRig({}, {}, 'Projekt Ä');
  const port = proxy.port;

  it('GET /_interceptor/health describes the proxy and sees the upstream', async () => {
    const response = await rawRequest({ port, path: '/_interceptor/health' });
    expect(response.status).toBe(200);
    const body = jsonOf(response);
    expect(Object.keys(body).sort()).toEqual(['port', 'project', 'service', 'target', 'upstream', 'uptimeSeconds', 'version']);
    expect(body).toEqual({
      service: 'litellm-interceptor',
      version: INTERCEPTOR_VERSION,
      project: { path: projectPath, name: 'Projekt Ä', slug: expect.stringMatching(/^projekt-a-[0-9a-f]{6}$/) },
      port,
      target: upstream.url,
      upstream: { reachable: true },
      uptimeSeconds: expect.any(Number),
    });
    expect(upstream.requests.some((r) => r.url.includes('_interceptor'))).toBe(false);
  });

  it('reports an unreachable upstream', async () => {
    const { proxy: lonely } = await startRig({ target: 'http://127.0.0.1:9' });
    const body = jsonOf<{ upstream: { reachable: boolean } }>(await rawRequest({ port: lonely.port, path: '/_interceptor/health' }));
    expect(body.upstream.reachable).toBe(false);
  });

  it('GET /_interceptor/stats counts requests and lists recent ones without bodies or queries', async () => {
    await rawRequest({
      port,
      path: '/v1/chat/completions?api_key=secret',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [], model: 'gpt-x' }),
    });
    await rawRequest({ port, path: '/status/500' });
    const stats = jsonOf<{
      requests: number;
      errors: number;
      bytesIn: number;
      bytesOut: number;
      lastRequestAt: number;
      latencyMs: { p50: number; p95: number };
      inFlight: number;
      recent: { path: string; model?: string; status: number }[];
    }>(await rawRequest({ port, path: '/_interceptor/stats' }));
    expect(stats.requests).toBe(2);
    expect(stats.errors).toBe(1);
    expect(stats.bytesIn).toBeGreaterThan(0);
    expect(stats.bytesOut).toBeGreaterThan(0);
    expect(stats.lastRequestAt).toBeGreaterThan(Date.now() - 60_000);
    expect(stats.latencyMs.p50).toBeGreaterThan(0);
    expect(stats.latencyMs.p95).toBeGreaterThanOrEqual(stats.latencyMs.p50);
    expect(stats.inFlight).toBe(0);
    expect(stats.recent.map((r) => [r.path, r.status, r.model])).toEqual([
      ['/v1/chat/completions', 200, 'gpt-x'],
      ['/status/500', 500, undefined],
    ]);
    expect(JSON.stringify(stats)).not.toContain('secret');
  });

  it('GET /health answers like the seed did', async () => {
    const body = jsonOf(await rawRequest({ port, path: '/health' }));
    expect(body).toMatchObject({ status: 'healthy', service: 'litellm-interceptor', port, project: 'Projekt Ä' });
  });

  it('guards its own endpoints too', async () => {
    const response = await rawRequest({ port, path: '/_interceptor/stats', headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
    expect(jsonOf<ErrorBody>(response).error.code).toBe('origin_not_allowed');
    expect((await rawRequest({ port, path: '/health', headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('forwards what only looks like its own endpoints', async () => {
    for (const [method, path] of [
      ['POST', '/health'],
      ['GET', '/health/liveliness'],
      ['GET', '/_interceptorx'],
    ] as const) {
      const before = upstream.requests.length;
      const response = await rawRequest({ port, method, path, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404); // the fake upstream's own 404
      expect(upstream.requests.length).toBe(before + 1);
      expect(upstream.lastRequest().url).toBe(path);
    }
  });

  it('answers unknown /_interceptor/ paths itself with 404', async () => {
    const before = upstream.requests.length;
    const response = await rawRequest({ port, path: '/_interceptor/nope' });
    expect(response.status).toBe(404);
    expect(jsonOf<ErrorBody>(response).error.code).toBe('not_found');
    expect(upstream.requests.length).toBe(before);
  });
});
