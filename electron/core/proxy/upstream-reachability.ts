// "Is LiteLLM up?" for the health endpoint: a plain TCP connect (both address families, like the
// forwarder), answered from a short cache so polling UIs do not hammer the upstream.
import net from 'node:net';

const CACHE_MS = 3000;
const CONNECT_TIMEOUT_MS = 1000;

/** true: accepted a connection; false: refused or failed; null: no answer within the timeout. */
export function probeTcp(hostname: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port, autoSelectFamily: true });
    const finish = (answer: boolean | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export class UpstreamReachability {
  private cached: { key: string; at: number; answer: boolean | null } | undefined;
  private pending: { key: string; promise: Promise<boolean | null> } | undefined;

  check(hostname: string, port: number): Promise<boolean | null> {
    const key = `${hostname}:${port}`;
    const now = Date.now();
    if (this.cached?.key === key && now - this.cached.at < CACHE_MS) return Promise.resolve(this.cached.answer);
    if (this.pending?.key === key) return this.pending.promise;
    const promise = probeTcp(hostname, port).then((answer) => {
      this.cached = { key, at: Date.now(), answer };
      this.pending = undefined;
      return answer;
    });
    this.pending = { key, promise };
    return promise;
  }
}
