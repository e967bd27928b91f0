// The hono app of one proxy: the guard in front of everything, our own endpoints, and a catch-all
// route that hands the raw Node request and response to the node:http forwarder. It serves only
// connections handed over by the raw path (client-connection.ts), and of those only requests that
// may be our own endpoints (isOwnEndpoint): the rest skip hono's per-request cost (proxy-server.ts).
import { INTERCEPTOR_SERVICE, type InterceptorHealth } from '../net/interceptor-probe';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INTERCEPTOR_VERSION } from '../version';
import { describeIdentity } from './identity-headers';
import { openAiError } from './openai-error';
import type { ProxyConfig } from './proxy-options';
import type { ProxyStats, ProxyStatsSnapshot, RequestEntry } from './proxy-stats';
import { checkRequest, guardedRequest, type GuardPolicy } from './request-guard';

/** Paths hono must see: our own endpoints. Everything else may go straight to the forwarder. */
export function isOwnEndpoint(requestTarget: string): boolean {
  return (
    requestTarget.startsWith('/_interceptor') ||
    requestTarget === '/health' ||
    requestTarget.startsWith('/health?') ||
    requestTarget.startsWith('/health#')
  );
}

export interface InterceptorStatsBody extends ProxyStatsSnapshot {
  recent: RequestEntry[];
}

export interface ProxyAppDeps {
  config(): ProxyConfig;
  guard(): GuardPolicy;
  stats: ProxyStats;
  /** Epoch ms the proxy started listening. */
  startedAt: number;
  upstreamReachable(config: ProxyConfig): Promise<boolean | null>;
  forward(req: IncomingMessage, res: ServerResponse, config: ProxyConfig): void;
}

export function createProxyApp(deps: ProxyAppDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.use('*', async (c, next) => {
    const refusal = checkRequest(guardedRequest(c.env.incoming), deps.guard());
    if (refusal) {
      deps.stats.refuse();
      // The refused request's body is never read: close rather than parse it as the next request.
      return c.json(openAiError(refusal.code, refusal.message), refusal.status, { connection: 'close' });
    }
    await next();
  });

  app.get('/_interceptor/health', async (c) => {
    const config = deps.config();
    const { slug, folder } = describeIdentity(config.identity);
    const body: InterceptorHealth = {
      service: INTERCEPTOR_SERVICE,
      version: INTERCEPTOR_VERSION,
      project: { path: config.identity.projectPath, name: folder, slug },
      port: config.identity.port,
      target: config.target.url,
      upstream: { reachable: await deps.upstreamReachable(config) },
      uptimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000),
    };
    return c.json(body);
  });

  app.get('/_interceptor/stats', (c) => {
    const body: InterceptorStatsBody = { ...deps.stats.snapshot(), recent: deps.stats.recent() };
    return c.json(body);
  });

  app.all('/_interceptor/*', (c) =>
    c.json(openAiError('not_found', `no Interceptor endpoint ${c.req.method} ${c.req.path}; there are GET /_interceptor/health and /_interceptor/stats`), 404),
  );

  // The seed's health answer, kept for scripts written against it.
  app.get('/health', (c) => {
    const config = deps.config();
    return c.json({
      status: 'healthy',
      service: INTERCEPTOR_SERVICE,
      version: INTERCEPTOR_VERSION,
      project: describeIdentity(config.identity).folder,
      port: config.identity.port,
      target: config.target.url,
    });
  });

  app.all('*', (c) => {
    deps.forward(c.env.incoming, c.env.outgoing, deps.config());
    return RESPONSE_ALREADY_SENT;
  });

  return app;
}
