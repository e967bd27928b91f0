// The web dashboard transport: the window's page and the API contract over HTTP, state over SSE,
// on loopback, behind a random per-run token (see DASHBOARD in shared/api.ts for the protocol).
//
// Who may do what:
// - every request: the Host header must name our loopback address and port (DNS rebinding), and an
//   Origin header, when sent, must be our own page's origin (or one the user allowed);
// - the page: opened once with ?token=…, which is swapped for an HttpOnly SameSite=Strict cookie;
// - assets and the SSE stream: the cookie (or the token header);
// - API calls: only the x-interceptor-token header. A cookie is sent by the browser on its own, a
//   header only by our page, so a forged cross-site request can never make a call.
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_ERROR, DASHBOARD, type ApiFailure, type AppSnapshot } from '../../../shared/api';
import { dispatch } from '../api/dispatch';
import type { ApiHandlers } from '../api/api-handlers';
import { bindError } from '../errors';
import type { InternalErrorSink } from '../internal-errors';
import { readBoundedBody } from './request-body';
import { requestGuards, type RequestGuards } from './request-guards';
import { createStateStream, type StateStream } from './state-stream';
import { readStaticFile, resolveStaticFile } from './static-files';
import { createToken, tokensEqual } from './token';

export interface DashboardOptions {
  handlers: ApiHandlers;
  /** Registers a state listener; returns its unsubscribe function. */
  subscribe: (listener: (snapshot: AppSnapshot) => void) => () => void;
  getSnapshot: () => AppSnapshot | Promise<AppSnapshot>;
  /** The renderer's built files (index.html and assets). */
  staticDir: string;
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Extra origins allowed to call the API (settings.allowedOrigins). */
  allowedOrigins?: readonly string[];
  /** SSE pacing; the defaults suit browsers, tests shorten the keep-alive. */
  stream?: { minIntervalMs?: number; keepAliveMs?: number };
  /**
   * Unexpected errors, for the log (with their stacks): each is reported here once; the page only
   * ever sees a generic message. Required, so no front end can start a dashboard that drops them.
   */
  onInternalError: InternalErrorSink;
}

export interface Dashboard {
  /** Open this in a browser: the dashboard address with its token (print it once, log it nowhere else). */
  url: string;
  /** The address without the token, for the snapshot and messages. */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CLOSE_GRACE_MS = 2000;

function failure(code: string, message: string): ApiFailure {
  return { ok: false, code, message };
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith(DASHBOARD.apiPrefix);
}

/** A refusal in the form the caller understands: an ApiResult for API paths, one line of text for pages. */
function refuse(c: Context, status: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 500, code: string, message: string): Response {
  c.header('cache-control', 'no-store');
  if (isApiPath(c.req.path)) return c.json(failure(code, message), status);
  return c.text(`${message}\n`, status);
}

function cookieName(port: number): string {
  // Cookies ignore ports: the port in the name keeps two dashboards on one machine apart.
  return `interceptor_dashboard_${port}`;
}

interface Session {
  token: string;
  guards: RequestGuards;
  port: number;
}

function buildApp(options: DashboardOptions, session: () => Session, streams: Set<StateStream>): Hono {
  const app = new Hono();
  const onError = options.onInternalError;

  const headers: MiddlewareHandler = async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };

  const hostAndOrigin: MiddlewareHandler = async (c, next) => {
    const { guards } = session();
    if (!guards.hostAllowed(c.req.header('host'))) {
      return refuse(c, 403, API_ERROR.forbidden, 'this address is not allowed: open the dashboard at the URL Interceptor printed');
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !guards.isOwnOrigin(origin)) {
      if (!guards.isExtraOrigin(origin)) return refuse(c, 403, API_ERROR.forbidden, 'requests from other web pages are not allowed');
      c.header('access-control-allow-origin', origin);
      c.header('vary', 'Origin');
      if (c.req.method === 'OPTIONS') {
        c.header('access-control-allow-methods', 'GET, POST');
        c.header('access-control-allow-headers', `content-type, ${DASHBOARD.tokenHeader}`);
        c.header('access-control-max-age', '600');
        return c.body(null, 204);
      }
    }
    return next();
  };

  /** Checks a credential; undefined when it is good, else the refusal. */
  const checkToken = (c: Context, candidate: string | undefined, how: string): Response | undefined => {
    if (candidate === undefined || candidate === '') {
      return refuse(c, 401, API_ERROR.unauthorized, `missing token: ${how}`);
    }
    if (!tokensEqual(session().token, candidate)) {
      return refuse(c, 403, API_ERROR.forbidden, 'wrong token: open the dashboard with the URL Interceptor printed for this run');
    }
    return undefined;
  };

  const headerOrCookieToken = (c: Context) => c.req.header(DASHBOARD.tokenHeader) ?? getCookie(c, cookieName(session().port));

  app.use('*', headers, hostAndOrigin);
  app.onError((error, c) => {
    onError(error, `dashboard ${c.req.method} ${c.req.path}`);
    return refuse(c, 500, API_ERROR.internal, 'internal error; see the Interceptor log');
  });

  app.post(
    `${DASHBOARD.apiPrefix}:method`,
    async (c, next) => {
      c.header('cache-control', 'no-store');
      return checkToken(c, c.req.header(DASHBOARD.tokenHeader), `send it in the ${DASHBOARD.tokenHeader} header`) ?? next();
    },
    async (c) => {
      // No body, an empty one (with or without Content-Length, chunked or not): no argument.
      const body = await readBoundedBody(c.req.raw, DASHBOARD.maxBodyBytes);
      if (!body.ok && body.reason === 'too-large') {
        return refuse(c, 413, API_ERROR.payloadTooLarge, `request body is larger than ${DASHBOARD.maxBodyBytes / 1024} KiB`);
      }
      if (!body.ok) return refuse(c, 400, API_ERROR.invalidArgument, 'the request body is not valid UTF-8 text');
      const text = body.text;
      let arg: unknown;
      if (text.trim() !== '') {
        const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') {
          return refuse(c, 415, API_ERROR.unsupportedMediaType, 'the request body must be JSON (content-type: application/json)');
        }
        try {
          arg = JSON.parse(text) as unknown;
        } catch {
          return refuse(c, 400, API_ERROR.invalidArgument, 'the request body is not valid JSON');
        }
      }
      const method = c.req.param('method');
      const result = await dispatch(options.handlers, method, arg, { onInternalError: (error) => onError(error, `dashboard API ${method}`) });
      return c.json(result, !result.ok && result.code === API_ERROR.unknownMethod ? 404 : 200);
    },
  );

  app.get(DASHBOARD.eventsPath, (c) => {
    const refused = checkToken(c, headerOrCookieToken(c), 'open the dashboard page first');
    if (refused) return refused;
    const state = createStateStream({
      getSnapshot: options.getSnapshot,
      subscribe: options.subscribe,
      ...options.stream,
      onError: (error) => onError(error, `dashboard ${DASHBOARD.eventsPath}`),
      onEnd: () => streams.delete(state),
    });
    streams.add(state);
    return new Response(state.stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  });

  app.on(['GET', 'HEAD'], '*', async (c) => {
    if (isApiPath(c.req.path)) return refuse(c, 404, API_ERROR.unknownMethod, 'API calls use POST /api/<method>');
    const { token, port } = session();
    const fromQuery = c.req.query(DASHBOARD.tokenQuery);
    if (fromQuery !== undefined) {
      const refused = checkToken(c, fromQuery, 'open the URL Interceptor printed');
      if (refused) return refused;
      // Swap the token in the address bar for a cookie: it then stays out of history and bookmarks.
      setCookie(c, cookieName(port), token, { path: '/', httpOnly: true, sameSite: 'Strict' });
      c.header('cache-control', 'no-store');
      // Always to the page itself, a fixed local path: a Location built from the request's path
      // would send `//other.host/?token=…` to another site (an open redirect).
      return c.redirect('/', 303);
    }
    const refused = checkToken(c, headerOrCookieToken(c), 'open the dashboard with the URL Interceptor printed (it holds the token)');
    if (refused) return refused;
    const file = await resolveStaticFile(options.staticDir, c.req.path);
    if (file === null) return refuse(c, 404, 'NOT_FOUND', 'not found');
    const { body, contentType } = await readStaticFile(file, token);
    // The page carries the token: never stored. Assets: always revalidated (they change with the app).
    c.header('cache-control', contentType.startsWith('text/html') ? 'no-store' : 'no-cache');
    c.header('content-type', contentType);
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(body, 200);
  });

  app.all('*', (c) => refuse(c, 405, 'METHOD_NOT_ALLOWED', `${c.req.method} is not supported here`));
  return app;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => reject(bindError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const token = createToken();
  const streams = new Set<StateStream>();
  // Filled in once the port is known; requests cannot arrive before listen() has returned.
  const live: { session?: Session } = {};
  const session = (): Session => {
    if (!live.session) throw new Error('dashboard request before listening');
    return live.session;
  };
  const app = buildApp(options, session, streams);
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  const port = await listen(server, host, options.port ?? 0);
  live.session = { token, port, guards: requestGuards(host, port, options.allowedOrigins) };
  const origin = live.session.guards.origin;
  let closing: Promise<void> | undefined;

  return {
    url: `${origin}/?${DASHBOARD.tokenQuery}=${token}`,
    origin,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stream of streams) stream.close();
        streams.clear();
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

