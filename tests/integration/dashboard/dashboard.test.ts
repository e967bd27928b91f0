import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHOD_NAMES, type ApiMethodName, type AppSnapshot } from '../../../shared/api';
import { startDashboard, type Dashboard } from '../../../electron/core/dashboard/dashboard-server';
import { tempDir } from '../../helpers/temp';
import { occupyPort } from '../../helpers/ports';
import { FakeApp } from './fake-app';
import { callApi, request, SseClient, type RawResponse } from './http-client';

const INDEX_HTML = '<!doctype html><html><head><title>Interceptor</title><link rel="stylesheet" href="styles.css"></head><body><script type="module" src="app.js"></script></body></html>';

let staticDir: string;
let outside: string;
let app: FakeApp;
let dashboard: Dashboard;
let port: number;
let token: string;
const openStreams: SseClient[] = [];
const consoleCalls: unknown[][] = [];
const internalErrors: Array<{ error: unknown; where: string }> = [];
const onInternalError = (error: unknown, where: string) => void internalErrors.push({ error, where });

beforeAll(async () => {
  const root = await tempDir();
  staticDir = path.join(root, 'renderer');
  outside = path.join(root, 'outside-secret.txt');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(staticDir, 'app.js'), 'console.log("app");\n');
  fs.writeFileSync(path.join(staticDir, 'styles.css'), 'body { color: black }\n');
  fs.writeFileSync(path.join(staticDir, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(staticDir, '.env'), 'SECRET=1\n');
  fs.writeFileSync(outside, 'outside\n');
  fs.symlinkSync(outside, path.join(staticDir, 'link-out.txt'));
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args));
  }
  app = new FakeApp();
  dashboard = await startDashboard({
    handlers: app.handlers,
    subscribe: app.subscribe,
    getSnapshot: app.getSnapshot,
    staticDir,
    allowedOrigins: ['http://localhost:5173'],
    stream: { keepAliveMs: 200 },
    onInternalError,
  });
  port = dashboard.port;
  token = dashboard.token;
});

afterEach(() => {
  for (const stream of openStreams.splice(0)) stream.close();
});

afterAll(async () => {
  await dashboard.close();
  vi.restoreAllMocks();
});

function sse(headers: Record<string, string> = { 'x-interceptor-token': token }): SseClient {
  const client = new SseClient(port, headers);
  openStreams.push(client);
  return client;
}

/** Opens the page the way a browser does on first visit; returns the session cookie pair. */
async function login(): Promise<string> {
  const first = await request({ port, path: `/?token=${token}` });
  const setCookie = first.headers['set-cookie']?.[0] ?? '';
  return setCookie.split(';')[0] ?? '';
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function expectSecurityHeaders(response: RawResponse): void {
  expect(response.headers['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-frame-options']).toBe('DENY');
}

describe('startDashboard', () => {
  it('listens on loopback and gives a URL carrying a 256-bit token', () => {
    expect(dashboard.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(dashboard.origin).toBe(`http://127.0.0.1:${port}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('gives every run a new token', async () => {
    const other = await startDashboard({ handlers: app.handlers, subscribe: app.subscribe, getSnapshot: app.getSnapshot, staticDir, onInternalError });
    try {
      expect(other.token).not.toBe(token);
      expect(other.port).not.toBe(port);
    } finally {
      await other.close();
    }
  });

  it('refuses a taken port with PORT_IN_USE', async () => {
    const holder = await occupyPort(0);
    const taken = (holder.address() as { port: number }).port;
    try {
      await expect(startDashboard({ handlers: app.handlers, subscribe: app.subscribe, getSnapshot: app.getSnapshot, staticDir, port: taken, onInternalError })).rejects.toMatchObject({
        code: 'PORT_IN_USE',
      });
    } finally {
      holder.close();
    }
  });
});

describe('the page', () => {
  it('swaps the URL token for an HttpOnly SameSite=Strict cookie and a clean address', async () => {
    const response = await request({ port, path: `/?token=${token}&view=list` });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = response.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^interceptor_dashboard_${port}=${token}; `));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
  });

  it.each(['//other.example/', '//other.example/?x=1', '/\\other.example/', '/%2F%2Fother.example/', '/x/../..//other.example'])(
    'redirects only to its own page, never to the path it was given (%s)',
    async (path) => {
      const separator = path.includes('?') ? '&' : '?';
      const response = await request({ port, path: `${path}${separator}token=${token}` });
      // Refused outright (Node's parser takes no backslash) or sent to the page itself: never elsewhere.
      if (response.status === 303) expect(response.headers.location).toBe('/');
      else expect([response.status, response.headers.location]).toEqual([400, undefined]);
    },
  );

  it('serves index.html with the token in a meta tag, the CSP and no caching', async () => {
    const cookie = await login();
    const response = await request({ port, path: '/', headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain(`<head><meta name="interceptor-token" content="${token}"><title>`);
    expectSecurityHeaders(response);
  });

  it('serves assets with their types to the cookie holder', async () => {
    const cookie = await login();
    const script = await request({ port, path: '/app.js', headers: { cookie } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("app");\n');
    expect(script.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(script);
    expect((await request({ port, path: '/styles.css', headers: { cookie } })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request({ port, path: '/assets/icon.svg', headers: { cookie } })).headers['content-type']).toBe('image/svg+xml');
  });

  it('answers 401 without a token and 403 with a wrong one', async () => {
    const missing = await request({ port, path: '/' });
    expect(missing.status).toBe(401);
    expect(missing.body).toContain('missing token');
    expect(missing.body).not.toContain(token);
    expect((await request({ port, path: '/?token=wrong' })).status).toBe(403);
    expect((await request({ port, path: `/?token=${token.slice(0, -1)}` })).status).toBe(403);
    expect((await request({ port, path: '/', headers: { cookie: `interceptor_dashboard_${port}=stale-from-last-run` } })).status).toBe(403);
    expect((await request({ port, path: '/app.js' })).status).toBe(401);
  });

  it.each(['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/assets/..%2f..%2foutside-secret.txt', '/.env', '/%2eenv', '/link-out.txt', '/assets', '/missing.js', '/a%00b', '/..%5Coutside-secret.txt'])(
    'refuses %s with 404',
    async (urlPath) => {
      const cookie = await login();
      const response = await request({ port, path: urlPath, headers: { cookie } });
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('outside');
      expect(response.body).not.toContain('SECRET');
    },
  );
});

describe('Host and Origin checks', () => {
  // PORT stands for the dashboard's port, known only once it listens.
  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1', '127.0.0.1:1', '127.0.0.2:PORT', 'localhost.evil.example:PORT', '0.0.0.0:PORT'])(
    'refuses Host %s (DNS rebinding)',
    async (pattern) => {
      const host = pattern.replace('PORT', String(port));
      const page = await request({ port, path: `/?token=${token}`, headers: { host } });
      expect(page.status).toBe(403);
      expect(page.headers['set-cookie']).toBeUndefined();
      const api = await callApi({ port, token, headers: { host } }, 'getSnapshot');
      expect(api.status).toBe(403);
      expect(api.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    },
  );

  it('accepts every loopback spelling of its own address', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await callApi({ port, token, headers: { host } }, 'getSnapshot')).status, host).toBe(200);
    }
  });

  it('refuses foreign origins, even with the right token', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`]) {
      const response = await callApi({ port, token, headers: { origin } }, 'resetRegistry');
      expect(response.status, origin).toBe(403);
      expect(response.json).toMatchObject({ ok: false, code: 'FORBIDDEN', message: 'requests from other web pages are not allowed' });
    }
    expect(app.calls.filter((call) => call.method === 'resetRegistry')).toEqual([]);
  });

  it('accepts its own origin', async () => {
    const response = await callApi({ port, token, headers: { origin: `http://127.0.0.1:${port}` } }, 'getSnapshot');
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers CORS for an origin the user allowed, and only that one', async () => {
    const preflight = await request({
      port,
      method: 'OPTIONS',
      path: '/api/getSnapshot',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-interceptor-token' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type, x-interceptor-token');
    const call = await callApi({ port, token, headers: { origin: 'http://localhost:5173' } }, 'getSnapshot');
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const foreign = await request({ port, method: 'OPTIONS', path: '/api/getSnapshot', headers: { origin: 'http://localhost:5174' } });
    expect(foreign.status).toBe(403);
  });
});

describe('API calls', () => {
  const PROJECT = '/home/me/alpha';
  const validArgs: Record<ApiMethodName, unknown> = {
    getSnapshot: undefined,
    listMappings: undefined,
    removeMapping: { port: 8888 },
    resetRegistry: undefined,
    startProject: { project: PROJECT },
    stopProject: { project: PROJECT },
    openProjectFolder: { path: '/home/me/beta' },
    reassignPort: { project: PROJECT },
    revealFolder: { project: PROJECT },
    getSettings: undefined,
    updateSettings: { startAtLogin: true },
    previewHeaders: { project: PROJECT },
    getRecentRequests: { project: PROJECT },
    dismissNotice: { id: 1 },
    getClientToken: undefined,
    rotateClientToken: undefined,
    getUsage: undefined,
    previewClientSetup: { project: PROJECT, clients: ['claude'], model: 'gpt-4o' },
    applyClientSetup: { project: PROJECT },
    undoClientSetup: { project: PROJECT },
    rewriteClientFiles: { project: PROJECT },
    previewIdePortHeaders: undefined,
    getIdePortRequests: undefined,
  };

  it.each(API_METHOD_NAMES.filter((m) => !['removeMapping', 'resetRegistry'].includes(m)))('%s round-trips', async (method) => {
    const response = await callApi({ port, token }, method, validArgs[method]);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json).toMatchObject({ ok: true });
    const last = app.calls.at(-1);
    expect(last?.method).toBe(method);
    expect(last?.arg).toEqual(validArgs[method]);
  });

  it('removeMapping and resetRegistry round-trip and change state', async () => {
    await callApi({ port, token }, 'openProjectFolder', { path: '/home/me/gamma' });
    const removed = await callApi({ port, token }, 'removeMapping', { project: '/home/me/gamma' });
    expect(removed.json).toEqual({ ok: true, value: { project: '/home/me/gamma', port: 8889 } });
    const reset = await callApi({ port, token }, 'resetRegistry');
    expect(reset.json).toMatchObject({ ok: true, value: { backupPath: expect.any(String) } });
    const snapshot = (await callApi({ port, token }, 'getSnapshot')).json as { value: AppSnapshot };
    expect(snapshot.value.projects).toEqual([]);
    app.snapshot.projects = new FakeApp().snapshot.projects;
  });

  it('never lets the API key out through getSettings', async () => {
    const response = await callApi({ port, token }, 'getSettings');
    expect(response.body).not.toContain('0123456789SECRET');
    expect(response.json).toMatchObject({ ok: true, value: { values: { apiKey: { value: 'sk-…CRET', isSet: true } } } });
  });

  it('accepts null for methods without an argument', async () => {
    expect((await callApi({ port, token }, 'listMappings', null)).json).toMatchObject({ ok: true });
  });

  it('needs the token header: none is 401, a wrong one 403, the cookie alone 401', async () => {
    const cookie = await login();
    const before = app.calls.length;
    const none = await callApi({ port }, 'getSnapshot');
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ ok: false, code: 'UNAUTHORIZED', message: 'missing token: send it in the x-interceptor-token header' });
    const wrong = await callApi({ port, token: `${token}x` }, 'getSnapshot');
    expect(wrong.status).toBe(403);
    expect(wrong.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const cookieOnly = await callApi({ port, headers: { cookie } }, 'resetRegistry');
    expect(cookieOnly.status).toBe(401);
    expect(app.calls.length).toBe(before);
  });

  it.each([
    ['a wrong type', 'startProject', { project: 12 }, 'startProject: project must be a path (got a number)'],
    ['a missing field', 'stopProject', {}, 'stopProject: field "project" is required'],
    ['an extra field', 'revealFolder', { project: '/a', shell: 'rm -rf /' }, 'revealFolder: unknown field "shell"'],
    ['a relative path', 'openProjectFolder', { path: '../../etc' }, 'openProjectFolder: path must be an absolute path'],
    ['a huge string', 'previewHeaders', { project: `/${'x'.repeat(20_000)}` }, 'previewHeaders: project is longer than 4096 characters'],
    ['an argument where none is taken', 'getSnapshot', { project: '/a' }, 'getSnapshot: takes no argument'],
    ['an array', 'updateSettings', [1, 2], 'updateSettings: settings must be an object (got an array)'],
    ['a bad setting', 'updateSettings', { targetUrl: 'javascript:alert(1)' }, 'updateSettings: targetUrl: must be an http:// or https:// URL'],
    ['a port out of range', 'removeMapping', { port: 70000 }, 'removeMapping: port must be a whole number 1–65535 (got 70000)'],
  ])('refuses %s with INVALID_ARGUMENT naming the field', async (_label, method, arg, message) => {
    const before = app.calls.length;
    const response = await callApi({ port, token }, method, arg);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect((response.json as { message: string }).message).toContain(message);
    expect((response.json as { message: string }).message.length).toBeLessThan(600);
    expect(app.calls.length).toBe(before);
  });

  it('refuses __proto__ smuggled in the body', async () => {
    const response = await request({
      port,
      method: 'POST',
      path: '/api/startProject',
      headers: { 'content-type': 'application/json', 'x-interceptor-token': token },
      body: '{"project":"/home/me/alpha","__proto__":{"polluted":true}}',
    });
    expect(JSON.parse(response.body)).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: 'startProject: key "__proto__" is not allowed' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['nope', '__proto__', 'constructor', 'toString', 'getSnapshot%00'])('answers 404 UNKNOWN_METHOD for %s', async (method) => {
    const response = await callApi({ port, token }, method);
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ ok: false, code: 'UNKNOWN_METHOD' });
  });

  it('refuses bodies that are not JSON (400) or not declared JSON (415)', async () => {
    const broken = await request({ port, method: 'POST', path: '/api/startProject', headers: { 'content-type': 'application/json', 'x-interceptor-token': token }, body: '{"project": ' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' });
    const plain = await request({ port, method: 'POST', path: '/api/startProject', headers: { 'content-type': 'text/plain', 'x-interceptor-token': token }, body: '{"project":"/a"}' });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body)).toMatchObject({ ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses bodies over 64 KiB with 413, declared or streamed', async () => {
    const big = JSON.stringify({ project: `/${'x'.repeat(70 * 1024)}` });
    const headers = { 'content-type': 'application/json', 'x-interceptor-token': token };
    const declared = await request({ port, method: 'POST', path: '/api/startProject', headers, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than 64 KiB' });
    const streamed = await request({ port, method: 'POST', path: '/api/startProject', headers, body: big, chunked: true });
    expect(streamed.status).toBe(413);
    // A body just under the cap is read and validated normally.
    const under = await callApi({ port, token }, 'startProject', { project: `/${'x'.repeat(60 * 1024)}` });
    expect(under.json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('reports a handler crash as INTERNAL without details, and the crash to the log sink once', async () => {
    internalErrors.length = 0;
    app.explodeNext = true;
    const response = await callApi({ port, token }, 'listMappings');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(response.body).not.toContain('boom');
    expect(response.body).not.toContain('/secret/path');
    expect(internalErrors.map(({ where }) => where)).toEqual(['dashboard API listMappings']);
    expect(String((internalErrors[0]?.error as Error).stack)).toContain('boom: internal detail /secret/path');
  });

  it('reports domain errors with their code', async () => {
    const response = await callApi({ port, token }, 'stopProject', { project: '/home/me/unknown' });
    expect(response.json).toEqual({ ok: false, code: 'NOT_FOUND', message: 'no mapping for /home/me/unknown' });
  });

  it('refuses other HTTP methods', async () => {
    const response = await request({ port, method: 'PUT', path: '/api/getSnapshot', headers: { 'x-interceptor-token': token } });
    expect(response.status).toBe(405);
    const get = await request({ port, path: '/api/getSnapshot', headers: { 'x-interceptor-token': token } });
    expect(get.status).toBe(404);
  });
});

describe('the state stream (SSE)', () => {
  it('sends the current snapshot first, then each update', async () => {
    const client = sse();
    await client.ready;
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.headers['cache-control']).toBe('no-store');
    await client.waitFor((c) => c.states().length >= 1);
    expect(client.frames.find((frame) => frame.retry !== undefined)?.retry).toBe(2000);
    expect(client.states<AppSnapshot>()[0]).toEqual(app.getSnapshot());

    app.publish((s) => (s.detection.enabled = false));
    await client.waitFor((c) => c.states().length >= 2);
    expect(client.states<AppSnapshot>()[1]!.detection.enabled).toBe(false);
    app.publish((s) => (s.detection.enabled = true));
    await client.waitFor((c) => c.states().length >= 3);
  });

  it('coalesces a burst into a few frames ending with the latest state', async () => {
    const client = sse();
    await client.waitFor((c) => c.states().length >= 1);
    for (let i = 1; i <= 50; i++) app.publish((s) => (s.version = `burst-${i}`));
    await client.waitFor((c) => c.states<AppSnapshot>().at(-1)?.version === 'burst-50');
    // 1 initial + at most a handful: a burst within one tick is never sent frame by frame.
    expect(client.states().length).toBeLessThanOrEqual(4);
    app.publish((s) => (s.version = '0.1.0'));
  });

  it('sends at most one state frame per 100 ms while changes keep coming', async () => {
    const client = sse();
    await client.waitFor((c) => c.states().length >= 1);
    const started = Date.now();
    for (let i = 1; i <= 30; i++) {
      app.publish((s) => (s.version = `paced-${i}`));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.waitFor((c) => c.states<AppSnapshot>().at(-1)?.version === 'paced-30');
    const elapsed = Date.now() - started;
    // A bound, not a timing measurement: whatever the machine's speed, the pacing allows no more.
    expect(client.states().length - 1).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    app.publish((s) => (s.version = '0.1.0'));
  });

  it('keeps an idle connection alive with comment lines', async () => {
    const client = sse();
    await client.waitFor((c) => c.frames.some((frame) => frame.comment === 'keep-alive'));
  });

  it('authenticates the page’s EventSource by cookie, and refuses without', async () => {
    const cookie = await login();
    const withCookie = sse({ cookie });
    await withCookie.waitFor((c) => c.states().length >= 1);
    const none = sse({});
    await none.ready;
    expect(none.status).toBe(401);
    const wrong = sse({ 'x-interceptor-token': 'nope' });
    await wrong.ready;
    expect(wrong.status).toBe(403);
    const foreign = sse({ 'x-interceptor-token': token, origin: 'http://evil.example' });
    await foreign.ready;
    expect(foreign.status).toBe(403);
  });

  it('unsubscribes when the client goes away', async () => {
    // Streams of earlier tests were closed by their clients; the server notices asynchronously.
    await until(() => app.listenerCount === 0);
    const client = sse();
    await client.waitFor((c) => c.states().length >= 1);
    expect(app.listenerCount).toBe(1);
    client.close();
    await until(() => app.listenerCount === 0);
  });
});

describe('closing', () => {
  it('ends open streams and stops listening', async () => {
    const own = new FakeApp();
    const board = await startDashboard({ handlers: own.handlers, subscribe: own.subscribe, getSnapshot: own.getSnapshot, staticDir, onInternalError });
    const client = new SseClient(board.port, { 'x-interceptor-token': board.token });
    openStreams.push(client);
    await client.waitFor((c) => c.states().length >= 1);
    await board.close();
    await client.waitFor((c) => c.ended);
    expect(own.listenerCount).toBe(0);
    await expect(request({ port: board.port, path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('secrecy', () => {
  it('logged nothing at all, so never the token', () => {
    expect(consoleCalls).toEqual([]);
  });
});
