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

/**
 * More field lines than any real client sends (browsers send about 20, IDE clients fewer): a head
 * with thousands of them would reach an upstream that keeps only its first ones (Node keeps 1,000
 * fields), and ours would not be among those kept if they came last. Refused with 431.
 */
export const MAX_REQUEST_FIELDS = 256;

export interface GuardRefusal {
  status: 400 | 403 | 431;
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
  /** How many Host field lines the head had (RFC 9112 §3.2: more than one is a 400). */
  hostFields: number;
  /** How many field lines the head had. */
  fields: number;
}

/** The guard's view of a request Node's http.Server parsed. */
export function guardedRequest(req: { url?: string | undefined; headers: Readonly<Record<string, string | string[] | undefined>>; rawHeaders: readonly string[] }): GuardedRequest {
  const { headers, rawHeaders } = req;
  let hostFields = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).toLowerCase() === 'host') hostFields += 1;
  return {
    url: req.url ?? '/',
    host: single(headers.host),
    origin: single(headers.origin),
    secFetchSite: single(headers['sec-fetch-site']),
    hostFields,
    fields: rawHeaders.length / 2,
  };
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
  if (request.fields > MAX_REQUEST_FIELDS) {
    return { status: 431, code: 'too_many_header_fields', message: `refused: the request has ${request.fields} header fields; at most ${MAX_REQUEST_FIELDS} are accepted` };
  }
  if (request.hostFields > 1) {
    return { status: 400, code: 'duplicate_host', message: 'refused: the request has more than one Host header field (RFC 9112 §3.2)' };
  }
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
