// Connection reuse, live reconfiguration, graceful close, address families and events.
import http from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startProxy, type RequestEntry } from '../../../electron/core/proxy';
import { startFakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/temp';
import { rawRequest, startRig } from './proxy-fixture';

interface StreamRead {
  /** Resolves when the first chunk arrived: the request is in flight through the proxy. */
  started: Promise<void>;
  /** The whole body, or a rejection if the connection broke. */
  text: Promise<string>;
}

function readStream(port: number, chunks: number, intervalMs: number, host = '127.0.0.1'): StreamRead {
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const text = new Promise<string>((resolve, reject) => {
    const req = http.request(
      {
        host,
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-fake-chunks': String(chunks), 'x-fake-interval-ms': String(intervalMs) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          markStarted();
        });
        res.on('end', () => resolve(body));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('aborted')));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'm', stream: true, messages: [] }));
  });
  text.catch(() => markStarted());
  return { started, text };
}

describe('keep-alive to the upstream', async () => {
  const { proxy, upstream } = await startRig();

  it('reuses one upstream connection for sequential requests', async () => {
    const before = upstream.connectionsAccepted();
    for (let i = 0; i < 50; i += 1) expect((await rawRequest({ port: proxy.port, path: '/v1/models' })).status).toBe(200);
    expect(upstream.connectionsAccepted() - before).toBe(1);
    expect(upstream.lastRequest().headers.connection).toBe('keep-alive');
  });

  it('opens at most one connection per concurrent request and reuses them afterwards', async () => {
    const before = upstream.connectionsAccepted();
    await Promise.all(Array.from({ length: 8 }, () => rawRequest({ port: proxy.port, path: '/slow?ms=50' })));
    const afterBurst = upstream.connectionsAccepted();
    expect(afterBurst - before).toBeLessThanOrEqual(8);
    for (let i = 0; i < 20; i += 1) await rawRequest({ port: proxy.port, path: '/v1/models' });
    expect(upstream.connectionsAccepted()).toBe(afterBurst);
  });
});

describe('streaming headers', () => {
  it('passes the status on before the first chunk when the model takes its time', async () => {
    const { proxy } = await startRig();
    const body = JSON.stringify({ model: 'm', stream: true, messages: [] });
    const req = http.request({
      host: '127.0.0.1',
      port: proxy.port,
      path: '/v1/chat/completions',
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'x-fake-first-delay-ms': '10000' },
    });
    req.end(body);
    try {
      // Headers held back until the first chunk would only come after 10 s.
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
        setTimeout(() => reject(new Error('no response headers before the first chunk')), 5000).unref();
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream');
    } finally {
      req.destroy();
    }
  });
});

describe('live updates and closing', () => {
  it('switches target for new requests without dropping a stream in flight', async () => {
    const { proxy, upstream } = await startRig();
    const other = await startFakeUpstream();
    try {
      const inFlight = readStream(proxy.port, 20, 10);
      await inFlight.started;
      proxy.update({ target: other.url, upstreamTimeoutMs: 5000 });
      await rawRequest({ port: proxy.port, path: '/v1/models' });
      expect(other.lastRequest().url).toBe('/v1/models');
      const text = await inFlight.text;
      expect(text.match(/^data: \{/gm)).toHaveLength(20);
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(upstream.requests.filter((r) => r.url === '/v1/chat/completions')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('rejects an update that would change the project or port', async () => {
    const { proxy } = await startRig();
    expect(() => proxy.update({ identity: { projectPath: '/elsewhere', port: proxy.port } })).toThrow(/cannot change its project or port/);
    expect(() => proxy.update({ target: 'ftp://x' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => proxy.update({ allowedOrigins: ['*'] })).toThrow(/wildcards are not accepted/);
    expect(proxy.config().target.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets a stream finish within the grace period, then stops', async () => {
    const upstream = await startFakeUpstream();
    const proxy = await startProxy({ identity: { projectPath: await tempDir(), port: 0 }, target: upstream.url });
    try {
      const stream = readStream(proxy.port, 20, 10);
      await stream.started;
      const closed = proxy.close({ graceMs: 5000 });
      const text = await stream.text;
      expect(text.match(/^data: \{/gm)).toHaveLength(20);
      await closed;
      await expect(rawRequest({ port: proxy.port, path: '/v1/models' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await upstream.close();
    }
  });

  it('cuts what still runs after the grace period and aborts it upstream', async () => {
    const upstream = await startFakeUpstream();
    const proxy = await startProxy({ identity: { projectPath: await tempDir(), port: 0 }, target: upstream.url });
    try {
      const stream = readStream(proxy.port, 1000, 10);
      await stream.started;
      await proxy.close({ graceMs: 100 });
      await expect(stream.text).rejects.toThrow();
      await upstream.waitForAborts(1);
      await upstream.waitForOpenConnections(0);
    } finally {
      await upstream.close();
    }
  });
});

describe('address families', () => {
  it('reaches an IPv4-only upstream through "localhost"', async () => {
    const upstream = await startFakeUpstream({ host: '127.0.0.1' });
    const { proxy } = await startRig({ target: `http://localhost:${upstream.port}` });
    try {
      const response = await rawRequest({ port: proxy.port, path: '/echo' });
      expect(response.status).toBe(200);
      expect(upstream.lastRequest().headers.host).toBe(`localhost:${upstream.port}`);
    } finally {
      await upstream.close();
    }
  });

  it('reaches an IPv6 upstream and serves on ::1', async () => {
    const upstream = await startFakeUpstream({ host: '::1' });
    const proxy = await startProxy({ identity: { projectPath: await tempDir(), port: 0 }, host: '::1', target: upstream.url });
    try {
      expect(proxy.url).toBe(`http://[::1]:${proxy.port}/v1`);
      const client = new OpenAI({ baseURL: proxy.url, apiKey: 'k', maxRetries: 0 });
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain('fake-model');
      expect(upstream.lastRequest().headers.host).toBe(`[::1]:${upstream.port}`);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('events', () => {
  it('emits one request entry per forwarded request, none for its own endpoints', async () => {
    const { proxy } = await startRig();
    const entries: RequestEntry[] = [];
    const listener = (entry: RequestEntry): void => {
      entries.push(entry);
    };
    proxy.on('request', listener);
    await rawRequest({ port: proxy.port, path: '/v1/models?key=1' });
    await rawRequest({ port: proxy.port, path: '/_interceptor/stats' });
    proxy.off('request', listener);
    await rawRequest({ port: proxy.port, path: '/v1/models' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', path: '/v1/models', status: 200, streamed: false });
    expect(entries[0]?.durationMs).toBeGreaterThan(0);
  });
});
