// Is LiteLLM reachable? Checked while any proxy runs (a TCP connect, cheap), so the UI can show it
// and the user hears once when it has been down for a minute rather than on every failed request.
import { probeTcp } from '../proxy/upstream-reachability';
import { parseTargetUrl, type UpstreamTarget } from '../proxy';
import type { InternalErrorSink } from '../internal-errors';

export interface UpstreamMonitorOptions {
  target: () => string;
  /** Only probe while this says so (no proxies: nobody cares). */
  active: () => boolean;
  onChange: (reachable: boolean | null) => void;
  /** Called once per outage, when it has lasted `outageMs`. */
  onOutage: (target: string, downForMs: number) => void;
  /** A failure of the check itself (a bug), for the log. */
  onInternalError: InternalErrorSink;
  intervalMs?: number;
  outageMs?: number;
}

export class UpstreamMonitor {
  private timer: NodeJS.Timeout | undefined;
  private downSince: number | null = null;
  private reported = false;
  private last: boolean | null = null;
  private checking = false;

  constructor(private readonly options: UpstreamMonitorOptions) {}

  start(): void {
    const interval = this.options.intervalMs ?? 10_000;
    this.timer = setInterval(() => void this.check(), interval);
    this.timer.unref();
    void this.check();
  }

  /** Never rejects: a failure is reported to onInternalError. */
  async check(): Promise<void> {
    if (this.checking || !this.options.active()) return;
    let target: UpstreamTarget;
    try {
      target = parseTargetUrl(this.options.target());
    } catch {
      return; // an invalid target is reported by settings validation; nothing to probe
    }
    this.checking = true;
    try {
      const reachable = await probeTcp(target.hostname, target.port);
      const up = reachable === true;
      if (up) {
        this.downSince = null;
        this.reported = false;
      } else {
        this.downSince ??= Date.now();
        const downFor = Date.now() - this.downSince;
        if (!this.reported && downFor >= (this.options.outageMs ?? 60_000)) {
          this.reported = true;
          this.options.onOutage(target.url, downFor);
        }
      }
      if (reachable !== this.last) {
        this.last = reachable;
        this.options.onChange(reachable);
      }
    } catch (error) {
      this.options.onInternalError(error, 'upstream monitor');
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
