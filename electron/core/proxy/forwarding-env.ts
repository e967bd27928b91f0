// INTERCEPTOR_FORWARDING: which forwarding path the proxies use. `fast` (the default) takes plain
// requests on raw sockets and hands the rest to Node's HTTP stack; `node-http` sends every request
// through Node's HTTP stack (llhttp and node:http) — slower, kept for comparison and as a fallback
// should the fast path ever misbehave.
import { InterceptorError } from '../errors';

export const FORWARDING_ENV = 'INTERCEPTOR_FORWARDING';

/** Whether the raw path is on, from the environment; a value we cannot use is an INVALID_ENV error. */
export function rawPathFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[FORWARDING_ENV]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'fast') return true;
  if (value === 'node-http') return false;
  throw new InterceptorError('INVALID_ENV', `${FORWARDING_ENV}=${JSON.stringify(env[FORWARDING_ENV])} is not a forwarding path: expected fast or node-http`);
}
