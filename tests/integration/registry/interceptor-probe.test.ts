// probeInterceptor against real HTTP servers: ours, someone else's, a silent one, nobody.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeInterceptor } from '../../../electron/core/net/interceptor-probe';
import type { InterceptorHealth } from '../../../electron/core/net/interceptor-probe';
import { freePort } from '../../helpers/ports';

async function serve(handler: http.RequestListener, host = '127.0.0.1'): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const health = (port: number): InterceptorHealth => ({
  service: 'litellm-interceptor',
  version: '9.9.9',
  project: { path: '/p/demo', name: 'demo', slug: 'demo' },
  port,
  target: 'http://127.0.0.1:4000',
  upstream: { reachable: null },
  uptimeSeconds: 3,
});

describe('probeInterceptor', () => {
  it('returns the health of an Interceptor', async () => {
    let requestedPath = '';
    const server = await serve((req, res) => {
      requestedPath = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(health((req.socket.localPort as number) ?? 0)));
    });
    try {
      expect(await probeInterceptor(server.port)).toEqual(health(server.port));
      expect(requestedPath).toBe('/_interceptor/health');
    } finally {
      await server.close();
    }
  });

  it('answers on IPv6 loopback too', async () => {
    const server = await serve((_req, res) => res.end(JSON.stringify(health(1))), '::1').catch(() => undefined);
    if (!server) return expect(await probeInterceptor(await freePort(), '::1')).toBeNull();
    try {
      expect((await probeInterceptor(server.port, '::1'))?.service).toBe('litellm-interceptor');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['another JSON service', (_req: http.IncomingMessage, res: http.ServerResponse) => res.end(JSON.stringify({ service: 'other', version: '1' }))],
    ['a web page', (_req: http.IncomingMessage, res: http.ServerResponse) => res.end('<html>hello</html>')],
    ['a 404', (_req: http.IncomingMessage, res: http.ServerResponse) => { res.statusCode = 404; res.end(JSON.stringify(health(1))); }],
    ['a huge answer', (_req: http.IncomingMessage, res: http.ServerResponse) => res.end(JSON.stringify({ ...health(1), pad: 'x'.repeat(200_000) }))],
    ['a malformed health', (_req: http.IncomingMessage, res: http.ServerResponse) => res.end(JSON.stringify({ service: 'litellm-interceptor', project: 'nope' }))],
  ])('returns null for %s', async (_name, handler) => {
    const server = await serve(handler);
    try {
      expect(await probeInterceptor(server.port)).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('returns null when nothing listens', async () => {
    expect(await probeInterceptor(await freePort())).toBeNull();
  });

  it('returns null within the timeout when the program never answers', async () => {
    const silent = net.createServer(() => undefined); // accepts, never speaks HTTP
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = Date.now();
      expect(await probeInterceptor(port, '127.0.0.1', 200)).toBeNull();
      expect(Date.now() - started).toBeLessThan(5_000); // bounded, not hanging
    } finally {
      silent.close();
    }
  });
});
