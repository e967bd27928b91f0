// Every API method, called the ways scripts and curl call it: no body at all (no Content-Length, no
// chunking), an empty body with Content-Length: 0, an empty chunked body, and junk. An empty body is
// an empty argument list; junk gets a 4xx that says what is wrong; nothing is ever a 500, and no
// internal error is reported. A handler that throws is reported to the sink once, with its stack.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES, API_METHODS, type ApiMethodName } from '../../../shared/api';
import { startDashboard, type Dashboard } from '../../../electron/core/dashboard/dashboard-server';
import { tempDir } from '../../helpers/temp';
import { FakeApp } from './fake-app';
import { rawRequest, type RawResponse } from './http-client';

/** The methods whose argument list is empty: an empty body must run them. */
const NO_ARGUMENT: readonly ApiMethodName[] = API_METHOD_NAMES.filter((method) => !API_METHODS[method].takesArgument);

let app: FakeApp;
let dashboard: Dashboard;
const reported: Array<{ error: unknown; where: string }> = [];

beforeAll(async () => {
  const staticDir = path.join(await tempDir(), 'renderer');
  fs.mkdirSync(staticDir, { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  app = new FakeApp();
  dashboard = await startDashboard({
    handlers: app.handlers,
    subscribe: app.subscribe,
    getSnapshot: app.getSnapshot,
    staticDir,
    onInternalError: (error, where) => reported.push({ error, where }),
  });
});

afterAll(async () => {
  await dashboard.close();
});

beforeEach(() => {
  reported.length = 0;
});

function head(method: string, ...headers: string[]): string {
  return [`POST /api/${method} HTTP/1.1`, `Host: 127.0.0.1:${dashboard.port}`, `x-interceptor-token: ${dashboard.token}`, ...headers].join('\r\n');
}

const EMPTY_BODIES: Array<[string, (method: string) => Promise<RawResponse>]> = [
  ['no body and no Content-Length', (method) => rawRequest(dashboard.port, head(method))],
  ['Content-Length: 0', (method) => rawRequest(dashboard.port, head(method, 'Content-Length: 0'))],
  ['an empty chunked body', (method) => rawRequest(dashboard.port, head(method, 'Transfer-Encoding: chunked'), '0\r\n\r\n')],
  [
    'an empty chunked body declared JSON',
    (method) => rawRequest(dashboard.port, head(method, 'Content-Type: application/json', 'Transfer-Encoding: chunked'), '0\r\n\r\n'),
  ],
  ['only whitespace', (method) => rawRequest(dashboard.port, head(method, 'Content-Length: 3'), ' \r\n')],
];

describe.each(EMPTY_BODIES)('an API call with %s', (_label, send) => {
  it.each(API_METHOD_NAMES.map((method) => [method]))('%s: an empty argument list, never a 500', async (method) => {
    const callsBefore = app.calls.length;
    const response = await send(method);
    const json = JSON.parse(response.body) as { ok: boolean; code?: string; message?: string };
    expect(response.status, response.body).toBe(200);
    if (NO_ARGUMENT.includes(method)) {
      expect(json, response.body).toMatchObject({ ok: true });
      expect(app.calls.slice(callsBefore)).toEqual([{ method, arg: undefined }]);
    } else {
      // Methods that need an argument say which one, and their handler never runs.
      expect(json).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(json.message).toMatch(new RegExp(`^${method}: \\w+ must be an object \\(got nothing\\)`));
      expect(app.calls.length).toBe(callsBefore);
    }
    expect(reported).toEqual([]);
  });
});

describe('an API call with a junk body', () => {
  const JUNK: Array<[string, string[], string | Buffer, number, string]> = [
    ['bytes that are not UTF-8', ['Content-Type: application/json', 'Content-Length: 4'], Buffer.from([0xff, 0xfe, 0x7b, 0x80]), 400, 'the request body is not valid UTF-8 text'],
    ['truncated JSON, chunked', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], '5\r\n{"pro\r\n0\r\n\r\n', 400, 'the request body is not valid JSON'],
    ['text not declared JSON', ['Content-Type: text/plain', 'Content-Length: 5'], 'hello', 415, 'the request body must be JSON (content-type: application/json)'],
    ['JSON with no content type', ['Content-Length: 2'], '{}', 415, 'the request body must be JSON (content-type: application/json)'],
    ['a NUL byte', ['Content-Type: application/json', 'Content-Length: 1'], Buffer.from([0]), 400, 'the request body is not valid JSON'],
  ];

  it.each(API_METHOD_NAMES.map((method) => [method]))('%s: every kind of junk gets its 4xx and the handler never runs', async (method) => {
    for (const [label, headers, body, status, message] of JUNK) {
      const callsBefore = app.calls.length;
      const response = await rawRequest(dashboard.port, head(method, ...headers), body);
      expect(response.status, `${label}: ${response.body}`).toBe(status);
      expect(JSON.parse(response.body), label).toMatchObject({ ok: false, message });
      expect(app.calls.length, label).toBe(callsBefore);
    }
    expect(reported).toEqual([]);
  });

  it('answers a chunked body over the limit with 413 without reading it all', async () => {
    const chunk = `${'x'.repeat(16 * 1024)}`;
    const body = `${Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('')}0\r\n\r\n`;
    const response = await rawRequest(dashboard.port, head('listMappings', 'Content-Type: application/json', 'Transfer-Encoding: chunked'), body);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than 64 KiB' });
    expect(reported).toEqual([]);
  });

  it('runs a call whose argument arrives chunked, in pieces', async () => {
    const json = JSON.stringify({ path: '/home/me/beta' });
    const body = `${(10).toString(16)}\r\n${json.slice(0, 10)}\r\n${(json.length - 10).toString(16)}\r\n${json.slice(10)}\r\n0\r\n\r\n`;
    const response = await rawRequest(dashboard.port, head('openProjectFolder', 'Content-Type: application/json', 'Transfer-Encoding: chunked'), body);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, value: { project: '/home/me/beta' } });
    expect(app.calls.at(-1)).toEqual({ method: 'openProjectFolder', arg: { path: '/home/me/beta' } });
  });
});

describe('an internal error in a handler', () => {
  it('answers a generic INTERNAL and reports the error, with its stack, exactly once', async () => {
    app.explodeNext = true;
    const response = await rawRequest(dashboard.port, head('listMappings'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(response.body).not.toContain('boom');
    expect(reported).toHaveLength(1);
    expect(reported[0]!.where).toBe('dashboard API listMappings');
    expect((reported[0]!.error as Error).message).toBe('boom: internal detail /secret/path');
    expect((reported[0]!.error as Error).stack).toMatch(/\n\s+at /);
  });
});
