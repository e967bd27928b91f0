// Where the window's page lives and what it may do. The page is served from the app's own files on a
// private `app://interceptor/` scheme rather than file://: a file:// page's 'self' covers every local
// file, while this origin covers only dist/renderer (Electron security checklist, "custom protocols").
export const APP_SCHEME = 'app';
export const APP_HOST = 'interceptor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const PAGE_PATH = '/index.html';
export const PAGE_URL = `${APP_ORIGIN}${PAGE_PATH}`;

/**
 * Sent as a header with every file of the page; renderer/index.html carries its own meta policy too
 * (the browser enforces both). Nothing remote, no inline or eval'd script, no plugins, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for our own origin given as an origin or as any URL on it. */
export function isOwnOrigin(urlOrOrigin: string): boolean {
  const parsed = parse(urlOrOrigin);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** True when `url` is the window's page itself (any query or fragment), not just any file of ours. */
export function isOwnPageUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && isOwnOrigin(url) && (parsed.pathname === PAGE_PATH || parsed.pathname === '/');
}

/**
 * The still-encoded path an `app://` request asks for, or null when the request is not for our
 * host. The file behind it is resolved (and contained in the renderer folder) by core's static-files.
 */
export function requestedPath(url: string): string | null {
  if (!isOwnOrigin(url)) return null;
  const parsed = parse(url);
  return parsed === null ? null : parsed.pathname;
}

/** Headers for every file served on the scheme. */
export function pageResponseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
