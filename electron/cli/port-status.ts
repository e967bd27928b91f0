// What is on a port right now, as `list`, `show` and `check` report it.
import { probeInterceptor } from '../core/net/interceptor-probe';
import type { InterceptorHealth } from '../core/net/interceptor-probe';
import { probePort } from '../core/net/port-probe';

export type ListenerState = 'free' | 'busy' | 'served';

export interface PortStatus {
  state: ListenerState;
  /** The Interceptor answering on the port, when `state` is 'served'. */
  health: InterceptorHealth | null;
}

export async function portStatus(port: number): Promise<PortStatus> {
  const probe = await probePort(port);
  if (probe.free) return { state: 'free', health: null };
  const ipv6Only = probe.busyOn.every((host) => host.includes(':'));
  const health = await probeInterceptor(port, ipv6Only ? '::1' : '127.0.0.1');
  return health ? { state: 'served', health } : { state: 'busy', health: null };
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
