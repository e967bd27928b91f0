// Connection pools to the upstream: keep-alive reuse is most of a proxy's speed on small requests.
import http from 'node:http';
import https from 'node:https';

/**
 * Idle pooled sockets are closed after this long: below the 5 s keep-alive of uvicorn (which
 * LiteLLM runs on), so we drop an idle socket before the server does and rarely reuse a dead one.
 */
const IDLE_SOCKET_MS = 4000;

export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
}

export function createUpstreamAgents(): UpstreamAgents {
  const options = {
    keepAlive: true,
    // Applies to idle pooled sockets only; a socket serving a slow LLM call is never cut by it.
    timeout: IDLE_SOCKET_MS,
    maxFreeSockets: 64,
    scheduling: 'lifo' as const,
    // "localhost" may resolve to ::1 first while LiteLLM listens on 0.0.0.0: try both families.
    autoSelectFamily: true,
    // SSE chunks are small: never hold one back waiting for an ACK.
    noDelay: true,
  };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export function destroyUpstreamAgents(agents: UpstreamAgents): void {
  agents.http.destroy();
  agents.https.destroy();
}
