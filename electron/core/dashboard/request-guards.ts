// Which requests may reach the dashboard at all. Host: only loopback names for our own port, so a
// web page that rebinds its DNS name to 127.0.0.1 cannot talk to us. Origin: when a browser says
// where a request comes from, it must be our own page (or an origin the user allowed).
import { clientHost } from '../../../shared/format';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface RequestGuards {
  /** The origin the dashboard page is served from (matches its URL). */
  readonly origin: string;
  hostAllowed(host: string | undefined): boolean;
  /** Our own page's origins (any loopback spelling of our address). */
  isOwnOrigin(origin: string): boolean;
  /** Origins the user allowed in settings (a renderer dev server): they get CORS answers. */
  isExtraOrigin(origin: string): boolean;
}

export function requestGuards(bindHost: string, port: number, allowedOrigins: readonly string[] = []): RequestGuards {
  const ownHost = clientHost(bindHost).toLowerCase();
  const names = new Set([...LOOPBACK_NAMES, ownHost]);
  const hosts = new Set([...names].map((name) => `${name}:${port}`));
  const ownOrigins = new Set([...hosts].map((host) => `http://${host}`));
  const extra = new Set(allowedOrigins.map((origin) => origin.toLowerCase().replace(/\/+$/, '')));
  return {
    origin: `http://${ownHost}:${port}`,
    hostAllowed: (host) => host !== undefined && hosts.has(host.toLowerCase()),
    isOwnOrigin: (origin) => ownOrigins.has(origin.toLowerCase()),
    isExtraOrigin: (origin) => extra.has(origin.toLowerCase()),
  };
}
