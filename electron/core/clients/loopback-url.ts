// Which Interceptor port a client file points at: only loopback URLs count (a file pointing at a
// remote LiteLLM, or anything else, is the user's and never reported as stale).
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function loopbackPort(url: unknown): number | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  const port = Number(parsed.port || '80');
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
