// Browsers on this machine can reach localhost ports: a web page could spend the user's LiteLLM
// budget through the proxy (cross-origin requests), or reach it under its own domain name after
// pointing that name at 127.0.0.1 (DNS rebinding). IDE clients send no Origin and a loopback Host,
// so refusing anything else costs them nothing.
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { ProxyErrorCode } from './openai-error';

export interface GuardPolicy {
  /** Lower-case `host:port` values a request's Host header may have. */
  allowedHosts: ReadonlySet<string>;
  /** Normalised origins (see normalizeOrigin) that may call the proxy. */
  allowedOrigins: ReadonlySet<string>;
}

export interface GuardRefusal {
  status: 400 | 403;
  code: ProxyErrorCode;
  message: string;
}

/** What the guard reads of a request: its target and three of its header fields. */
export interface GuardedRequest {
  url: string;
  host: string | undefined;
  origin: string | undefined;
  /** Sec-Fetch-Site */
  secFetchSite: string | undefined;
}

/** The guard's view of a request Node's http.Server parsed. */
export function guardedRequest(req: { url?: string | undefined; headers: Readonly<Record<string, string | string[] | undefined>> }): GuardedRequest {
  const { headers } = req;
  return { url: req.url ?? '/', host: single(headers.host), origin: single(headers.origin), secFetchSite: single(headers['sec-fetch-site']) };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

function hostForHeader(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? `[${bare}]` : bare;
}

/**
 * Host header values that name this proxy: the loopback names, the bound address when it is not
 * loopback, and — when bound to every interface — each interface address and the machine name.
 */
export function allowedHostHeaders(boundHost: string, port: number): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (isWildcardHost(boundHost)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) {
        if (!address.scopeid) names.add(hostForHeader(address.address));
      }
    }
    const machine = osHostname().toLowerCase();
    if (machine) names.add(machine).add(`${machine}.local`);
  } else {
    names.add(hostForHeader(boundHost));
  }
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${name.toLowerCase()}:${port}`);
    if (port === 80) allowed.add(name.toLowerCase());
  }
  return allowed;
}

/** `scheme://host[:port]` in lower case, or 'null' for an opaque origin; undefined when unparsable. */
export function normalizeOrigin(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'null') return 'null';
  try {
    const origin = new URL(trimmed).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export function checkRequest(request: GuardedRequest, policy: GuardPolicy): GuardRefusal | undefined {
  const host = request.host?.toLowerCase();
  if (!host || !policy.allowedHosts.has(host)) {
    return {
      status: 403,
      code: 'host_not_allowed',
      message: `refused: Host "${host ?? ''}" does not name this Interceptor proxy; use http://127.0.0.1 or http://localhost with its port`,
    };
  }
  const { origin } = request;
  if (origin !== undefined) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined || !policy.allowedOrigins.has(normalized)) {
      return {
        status: 403,
        code: 'origin_not_allowed',
        message: `refused: requests from web pages (Origin ${JSON.stringify(origin)}) are not allowed; add the origin to the allowed origins to permit it`,
      };
    }
  } else {
    // Browsers omit Origin on some cross-site GETs but always label them with Sec-Fetch-Site.
    const site = request.secFetchSite?.toLowerCase();
    if (site === 'cross-site' || site === 'same-site') {
      return {
        status: 403,
        code: 'origin_not_allowed',
        message: 'refused: requests from web pages are not allowed',
      };
    }
  }
  if (!request.url.startsWith('/')) {
    return {
      status: 400,
      code: 'invalid_request_target',
      message: 'this is not a forward proxy: send requests to a path, e.g. /v1/chat/completions',
    };
  }
  return undefined;
}
