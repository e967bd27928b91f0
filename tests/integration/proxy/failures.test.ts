// Upstream down, slow, or breaking off; clients going away. The client always gets a clear answer
// or a clearly broken stream, the upstream sees aborts at once, and the proxy keeps serving.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { startProxy } from '../../../electron/core/proxy';
import { freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { jsonOf, rawRequest, startRig } from './proxy-fixture';

const chatBody = (stream: boolean) => JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content: 'x' }] });

/** Opens a request, waits for the response headers (and first chunk if asked), then drops the connection. */
function openThenAbort(port: number, path: string, waitFor: 'nothing' | 'headers' | 'chunk'): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json' } });
    req.on('error', () => resolve()); // our own destroy
    req.on('response', (res) => {
      if (waitFor === 'headers') {
        req.destroy();
        resolve();
      } else {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      }
    });
    req.end(chatBody(true));
    if (waitFor === 'nothing') setTimeout(() => req.destroy(), 20);
    setTimeout(() => reject(new Error(`no response from ${path}`)), 10_000).unref();
  });
}

describe('upstream failures', async () => {
  const { proxy, upstream } = await startRig({ upstreamTimeoutMs: 300 });
  const port = proxy.port;
  const client = new OpenAI({ baseURL: proxy.url, apiKey: 'sk-x', maxRetries: 0 });

  async function stillServes(): Promise<void> {
    const response = await rawRequest({ port, path: '/v1/models' });
    expect(response.status).toBe(200);
  }

  it('answers 502 upstream_unreachable naming the target when nothing listens there', async () => {
    const deadTarget = `http://127.0.0.1:${await freePort()}`;
    proxy.update({ target: deadTarget });
    try {
      const response = await rawRequest({ port, path: '/v1/chat/completions', method: 'POST', body: chatBody(false) });
      expect(response.status).toBe(502);
      const { error } = jsonOf<{ error: { code: string; type: string; message: string } }>(response);
      expect(error.code).toBe('upstream_unreachable');
      expect(error.message).toContain(deadTarget);
      expect(error.message).toContain('ECONNREFUSED');
      expect(proxy.recent().at(-1)).toMatchObject({ status: 502, error: 'upstream_unreachable' });
    } finally {
      proxy.update({ target: upstream.url });
    }
    await stillServes();
  });

  it('answers 504 upstream_timeout when the upstream is too slow, and aborts the upstream request', async () => {
    const abortsBefore = upstream.aborts();
    const response = await rawRequest({ port, path: '/slow?ms=3000' });
    expect(response.status).toBe(504);
    expect(jsonOf<{ error: { code: string } }>(response).error.code).toBe('upstream_timeout');
    await upstream.waitForAborts(abortsBefore + 1);
    await stillServes();
  });

  it('ends a stream the upstream resets with an error event, and the openai client raises it', async () => {
    const stream = await client.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true },
      { headers: { 'x-fake-reset-after': '3', 'x-fake-chunks': '10' } },
    );
    const parts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    })().then(() => undefined, (e: unknown) => e);
    expect(parts).toEqual(['chunk0 ', 'chunk1 ', 'chunk2 ']);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('closed the stream before it ended');
    expect(proxy.recent().at(-1)).toMatchObject({ streamed: true, error: 'upstream_reset' });
    await stillServes();
  });

  it('writes the final error event on the wire and closes the connection', async () => {
    const response = await rawRequest({ port, path: '/reset-sse?after=2', method: 'POST', body: chatBody(true) });
    const text = response.body.toString();
    expect(text.match(/^data: /gm)).toHaveLength(3);
    expect(text).toMatch(/event: error\ndata: \{"error":\{"message":"[^"]+","type":"upstream_error","code":"upstream_reset"\}\}\n\n$/);
  });

  it('cuts a non-streaming body the upstream resets, so it never looks complete', async () => {
    const error = await rawRequest({ port, path: '/reset-body' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await stillServes();
  });

  it('aborts the upstream request at once when the client goes away mid-stream', async () => {
    const before = upstream.aborts();
    await openThenAbort(port, '/hang-sse', 'chunk');
    await upstream.waitForAborts(before + 1);
    expect(proxy.recent().at(-1)).toMatchObject({ status: 200, error: 'client_aborted' });
  });

  it('aborts the upstream request when the client goes away before the answer started', async () => {
    const before = upstream.aborts();
    const received = upstream.requests.length;
    const req = http.get({ host: '127.0.0.1', port, path: '/slow?ms=5000', agent: false });
    const closed = new Promise<void>((resolve) => req.on('error', () => resolve()));
    // Leave once the upstream is working on it (its body is read, the answer not yet started).
    await waitFor('the upstream to receive the request', () => upstream.requests.length > received);
    req.destroy();
    await closed;
    await upstream.waitForAborts(before + 1);
    expect(proxy.recent().at(-1)).toMatchObject({ status: 499, error: 'client_aborted' });
  });

  it('leaks no sockets after 2,000 aborts', async () => {
    const before = upstream.aborts();
    const total = 2000;
    const concurrency = 8;
    const kinds = ['nothing', 'headers', 'chunk'] as const;
    let next = 0;
    const deadline = Date.now() + 40_000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total && Date.now() < deadline) {
          const i = next++;
          await openThenAbort(port, '/hang-sse', kinds[i % 3] ?? 'chunk');
        }
      }),
    );
    expect(next).toBe(total);
    await upstream.waitForOpenConnections(0, 10_000);
    // Aborts before the upstream answered may not reach the upstream's handler; every one that
    // did was seen as an abort.
    expect(upstream.aborts() - before).toBeGreaterThanOrEqual(Math.floor((total * 2) / 3));
    await expect.poll(() => proxy.stats().inFlight).toBe(0);
    await stillServes();
  }, 60_000);
});

describe('binding', () => {
  it('reports a taken port as PORT_IN_USE', async () => {
    const projectPath = await tempDir();
    const first = await startProxy({ identity: { projectPath, port: 0 } });
    try {
      await expect(startProxy({ identity: { projectPath, port: first.port } })).rejects.toMatchObject({
        name: 'InterceptorError',
        code: 'PORT_IN_USE',
        message: expect.stringContaining(String(first.port)),
      });
    } finally {
      await first.close();
    }
  });
});

describe('https targets', () => {
  it('speaks TLS to an https target and explains an untrusted certificate', async () => {
    const dir = await tempDir();
    const generated = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
      { encoding: 'utf8' },
    );
    expect(generated.status, `openssl is needed for this test: ${generated.stderr}`).toBe(0);
    const server = https.createServer({ key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) }, (_req, res) => res.end('tls ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: tlsPort } = server.address() as AddressInfo;
    const proxy = await startProxy({ identity: { projectPath: dir, port: 0 }, target: `https://localhost:${tlsPort}` });
    try {
      const response = await rawRequest({ port: proxy.port, path: '/v1/models' });
      expect(response.status).toBe(502);
      const { error } = jsonOf<{ error: { code: string; message: string } }>(response);
      expect(error.code).toBe('upstream_failed');
      expect(error.message).toMatch(/TLS connection to LiteLLM at https:\/\/localhost:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
    } finally {
      await proxy.close();
      server.close();
    }
  });
});
