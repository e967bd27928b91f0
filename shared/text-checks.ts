// Syntax checks for the kinds of text settings and API arguments hold. Pure string work (no URL
// global here: shared/ runs anywhere), deliberately strict so what passes is safe to use as is.

/** Longest path accepted anywhere (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
export const MAX_URL_LENGTH = 2048;
export const MAX_HOSTNAME_LENGTH = 253;

/** True when the text holds a C0 control character or DEL (never wanted in a path, URL or header). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// Labels allow "_" because container service names (docker compose) use it for upstream hosts.
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOSTNAME = `${LABEL}(?:\\.${LABEL})*`;
const IPV6_BRACKETED = '\\[[0-9A-Fa-f:.]+\\]';
const HOSTNAME_RE = new RegExp(`^${HOSTNAME}$`);
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_RE = /^[0-9A-Fa-f:.]+$/;
const HTTP_URL_RE = new RegExp(`^https?://(${HOSTNAME}|${IPV6_BRACKETED})(?::(\\d{1,5}))?(/[^\\s?#]*)?$`, 'i');
const ORIGIN_RE = new RegExp(`^https?://(${HOSTNAME}|${IPV6_BRACKETED})(?::(\\d{1,5}))?$`, 'i');

function portSuffixOk(port: string | undefined): boolean {
  if (port === undefined) return true;
  const value = Number(port);
  return value >= 1 && value <= 65535;
}

/** An absolute http(s) URL without credentials, query or fragment, e.g. "http://localhost:4000/v1". */
export function isHttpUrl(text: string): boolean {
  if (text.length > MAX_URL_LENGTH || hasControlCharacters(text)) return false;
  const match = HTTP_URL_RE.exec(text);
  return match !== null && portSuffixOk(match[2]);
}

/** A web origin: scheme, host and optional port, nothing after it ("http://localhost:5173"). */
export function isHttpOrigin(text: string): boolean {
  if (text.length > MAX_URL_LENGTH) return false;
  const match = ORIGIN_RE.exec(text);
  return match !== null && portSuffixOk(match[2]);
}

/** An IPv4 or IPv6 literal (no brackets) or a host name a server can bind to. */
export function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > MAX_HOSTNAME_LENGTH) return false;
  const v4 = IPV4_RE.exec(text);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  if (text.includes(':')) return IPV6_RE.test(text) && text.split(':').length <= 9;
  return HOSTNAME_RE.test(text);
}

/** An absolute path in POSIX ("/home/a") or Windows ("C:\\a", "\\\\server\\share") form. */
export function isAbsolutePath(text: string): boolean {
  if (text.length === 0 || text.length > MAX_PATH_LENGTH || hasControlCharacters(text)) return false;
  return text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');
}
