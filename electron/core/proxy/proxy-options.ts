// What a proxy is told, and the validated, immutable form each request reads. `update()` swaps in a
// new resolved config: requests already running keep the one they started with.
import { InterceptorError } from '../errors';
import { DEFAULT_HEADER_PROFILE, type HeaderProfile, type ProxyIdentity } from './identity-headers';
import type { RequestAttribution } from './request-attribution';
import { normalizeOrigin } from './request-guard';
import { DEFAULT_TARGET_URL, parseTargetUrl, type UpstreamTarget } from './target-url';

export const DEFAULT_PROXY_HOST = '127.0.0.1';
/** Above any real chat request (images included); bodies stream, so this bounds LiteLLM, not us. */
export const DEFAULT_BODY_LIMIT_BYTES = 128 * 1024 * 1024;
/** Time to the upstream's response headers. LLM calls are slow: generous by default. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10 * 60 * 1000;
/** Longer than the client keep-alive (65 s), as Node's own headersTimeout is. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 66 * 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ProxyOptions {
  /** The project served; `identity.port` is the port to listen on (0: any free port, for tests). */
  identity: ProxyIdentity;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** LiteLLM's URL, base path included; default http://localhost:4000. */
  target?: string;
  /**
   * The user's LiteLLM key: swapped in for the local client token, or added to a request with no
   * credentials from this OS account (see core/access/credentials.ts).
   */
  apiKey?: string;
  /** The local client token in force (read per request: another process may rotate it). */
  clientToken?: () => string | undefined;
  headerProfile?: Partial<HeaderProfile>;
  /** Web origins allowed to call the proxy (e.g. "http://localhost:3000"); none by default. */
  allowedOrigins?: readonly string[];
  bodyLimitBytes?: number;
  upstreamTimeoutMs?: number;
  /** How long a request head may take to arrive, from its first byte (default 66 s): no slowloris. */
  headersTimeoutMs?: number;
  /**
   * false: every request goes through Node's own HTTP stack (llhttp and the node:http forwarder)
   * instead of the raw path; slower, for comparison (tests, the benchmark) and as a fallback.
   */
  rawPath?: boolean;
  /** Keep what the usage ledger reads from each answer (tokens, cost headers) on the request entries. */
  captureUsage?: boolean;
  /**
   * Decides each request's project (the shared IDE port); `identity` is then the port's own, used
   * when nothing better is known. Absent for a project's port, whose identity is fixed.
   */
  attribution?: RequestAttribution;
}

/** Everything but the listen address may change while running; the project and port may not. */
export type ProxyUpdate = Partial<Omit<ProxyOptions, 'host'>>;

export interface ProxyConfig {
  readonly identity: ProxyIdentity;
  readonly target: UpstreamTarget;
  readonly apiKey: string | undefined;
  readonly clientToken: () => string | undefined;
  readonly headerProfile: Readonly<HeaderProfile>;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly bodyLimitBytes: number;
  readonly upstreamTimeoutMs: number;
  readonly rawPath: boolean;
  readonly headersTimeoutMs: number;
  readonly captureUsage: boolean;
  readonly attribution: RequestAttribution | undefined;
}

function positiveInteger(value: number | undefined, fallback: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InterceptorError('INVALID_ARGUMENT', `${what} must be a whole number between 1 and ${max}, got ${String(value)}`);
  }
  return value;
}

function validIdentity(identity: ProxyIdentity): ProxyIdentity {
  if (typeof identity?.projectPath !== 'string' || identity.projectPath.length === 0) {
    throw new InterceptorError('INVALID_ARGUMENT', 'the proxy needs the project path it serves');
  }
  if (!Number.isInteger(identity.port) || identity.port < 0 || identity.port > 65535) {
    throw new InterceptorError('INVALID_ARGUMENT', `port must be between 0 and 65535, got ${String(identity.port)}`);
  }
  if (identity.ide !== undefined && (typeof identity.ide.product !== 'string' || identity.ide.product.trim() === '')) {
    throw new InterceptorError('INVALID_ARGUMENT', 'an IDE needs a product name');
  }
  return identity;
}

function validApiKey(key: string | undefined): string | undefined {
  if (key === undefined || key.trim() === '') return undefined;
  // Never echo the key itself.
  if (!/^[\x21-\x7e]+$/.test(key.trim())) {
    throw new InterceptorError('INVALID_ARGUMENT', 'the API key contains spaces, control or non-ASCII characters; it cannot be sent in a header');
  }
  return key.trim();
}

function validOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  for (const origin of origins ?? []) {
    const normalized = origin.trim() === '*' ? undefined : normalizeOrigin(origin);
    if (normalized === undefined) {
      throw new InterceptorError('INVALID_ARGUMENT', `allowed origin "${origin}" is not an origin like http://localhost:3000 (wildcards are not accepted)`);
    }
    set.add(normalized);
  }
  return set;
}

const NO_TOKEN = (): undefined => undefined;

export function resolveProxyConfig(options: ProxyOptions): ProxyConfig {
  return Object.freeze({
    identity: validIdentity(options.identity),
    target: parseTargetUrl(options.target ?? DEFAULT_TARGET_URL),
    apiKey: validApiKey(options.apiKey),
    clientToken: options.clientToken ?? NO_TOKEN,
    headerProfile: Object.freeze({ ...DEFAULT_HEADER_PROFILE, ...options.headerProfile }),
    allowedOrigins: validOrigins(options.allowedOrigins),
    bodyLimitBytes: positiveInteger(options.bodyLimitBytes, DEFAULT_BODY_LIMIT_BYTES, 'body limit (bytes)'),
    upstreamTimeoutMs: positiveInteger(options.upstreamTimeoutMs, DEFAULT_UPSTREAM_TIMEOUT_MS, 'upstream timeout (ms)', MAX_TIMER_MS),
    rawPath: options.rawPath ?? true,
    headersTimeoutMs: positiveInteger(options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS, 'head timeout (ms)', MAX_TIMER_MS),
    captureUsage: options.captureUsage === true,
    attribution: options.attribution,
  });
}
