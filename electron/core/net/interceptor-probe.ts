// Is the program listening on a port another LiteLLM Interceptor? It answers GET /_interceptor/health
// with `service: "litellm-interceptor"`; anything else (nothing listening, another program, a slow
// or oversized answer) is "no".
import http from 'node:http';

export interface InterceptorHealth {
  service: 'litellm-interceptor';
  version: string;
  project: { path: string; name: string; slug: string };
  port: number;
  target: string;
  upstream: { reachable: boolean | null };
  uptimeSeconds: number;
}

export const HEALTH_PATH = '/_interceptor/health';
export const INTERCEPTOR_SERVICE = 'litellm-interceptor';

/** A health answer is tiny; anything bigger is not ours. */
const MAX_BODY_BYTES = 64 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields consumers rely on; the rest is passed through as served. */
export function isInterceptorHealth(value: unknown): value is InterceptorHealth {
  if (!isObject(value) || value.service !== INTERCEPTOR_SERVICE) return false;
  const project = value.project;
  return (
    typeof value.version === 'string' &&
    typeof value.port === 'number' &&
    isObject(project) &&
    typeof project.path === 'string'
  );
}

/** The health of the Interceptor on host:port, or null when none answers within `timeoutMs`. */
export function probeInterceptor(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<InterceptorHealth | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: InterceptorHealth | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(value);
    };
    const request = http.get(
      {
        host,
        port,
        path: HEALTH_PATH,
        agent: false, // no keep-alive socket left behind to hold the process open
        headers: { accept: 'application/json' },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          finish(null);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) finish(null);
          else chunks.push(chunk);
        });
        response.on('end', () => {
          try {
            const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            finish(isInterceptorHealth(body) ? body : null);
          } catch {
            finish(null);
          }
        });
        response.on('error', () => finish(null));
      },
    );
    request.on('error', () => finish(null));
    const timer = setTimeout(() => finish(null), timeoutMs);
    timer.unref();
  });
}
