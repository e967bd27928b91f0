// The LiteLLM address we forward to, and how a request path joins its base path.
import { InterceptorError } from '../errors';

/** LiteLLM's own default, and the seed's `TARGET_LLM_URL` default. */
export const DEFAULT_TARGET_URL = 'http://localhost:4000';

export interface UpstreamTarget {
  /** Normalised for display and health answers: no trailing slash. */
  url: string;
  protocol: 'http:' | 'https:';
  /** For connecting: IPv6 literals without brackets. */
  hostname: string;
  port: number;
  /** The Host header the upstream expects (port omitted when it is the scheme's default). */
  hostHeader: string;
  /** '' or a path without a trailing slash, e.g. '/v1'. */
  basePath: string;
  /** Which pooled connections can serve this target (scheme, host, port): built once, not per request. */
  poolKey: string;
}

export function parseTargetUrl(text: string): UpstreamTarget {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InterceptorError('INVALID_ARGUMENT', `target URL "${text}" is not a URL (expected e.g. ${DEFAULT_TARGET_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InterceptorError('INVALID_ARGUMENT', `target URL "${text}" must start with http:// or https://`);
  }
  if (url.username || url.password) {
    throw new InterceptorError('INVALID_ARGUMENT', `target URL must not contain credentials; set LITELLM_API_KEY instead`);
  }
  if (url.search || url.hash) {
    throw new InterceptorError('INVALID_ARGUMENT', `target URL "${text}" must not have a query or fragment`);
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    url: `${url.protocol}//${url.host}${basePath}`,
    protocol: url.protocol,
    hostname,
    port,
    hostHeader: url.host,
    basePath,
    poolKey: `${url.protocol}//${hostname}:${port}`,
  };
}

/**
 * The upstream request target for a client's request target (path and query, as received).
 * The base path is prefixed unless the path already starts with it, so with a target of
 * `http://h:4000/v1` both `/v1/chat/completions` and `/chat/completions` reach
 * `/v1/chat/completions` — never `/v1/v1/...`.
 */
export function joinUpstreamPath(basePath: string, requestTarget: string): string {
  if (!basePath) return requestTarget;
  const path = requestTarget.slice(0, pathEnd(requestTarget));
  if (path === basePath || path.startsWith(`${basePath}/`)) return requestTarget;
  return `${basePath}${requestTarget}`;
}

/**
 * Where a request target's path ends: at its query or fragment, else at its end. A loop rather
 * than a regular expression: it runs on every request.
 */
export function pathEnd(requestTarget: string): number {
  for (let i = 0; i < requestTarget.length; i += 1) {
    const code = requestTarget.charCodeAt(i);
    if (code === 0x3f /* ? */ || code === 0x23 /* # */) return i;
  }
  return requestTarget.length;
}
