// Per-proxy counters and the recent-requests log the UI shows. Only metadata: never a body, a
// query string or a header value.
import type { ProxyErrorCode } from './openai-error';
import { performance } from 'node:perf_hooks';
import { clientFamily } from '../ledger/client-family';
import type { UsageCapture } from '../ledger/usage-capture';
import type { ClientFamily } from '../ledger/usage-facts';
import { classifyUpstreamError, type UpstreamProblem } from '../litellm/upstream-problem';
import type { ErrorBodyCapture } from './error-body-capture';
import type { AttributionEvidence } from './identity-headers';
import { pathOnly } from './message-traits';
import { RingBuffer } from './ring-buffer';

export const RECENT_REQUESTS_CAPACITY = 200;
/** Latency percentiles are over this many latest requests. */
const LATENCY_WINDOW = 1024;

export interface RequestEntry {
  /** Increases by one per request, from 1; lets a UI tell new entries from ones it has seen. */
  seq: number;
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  /** Path only: query strings can carry keys. */
  path: string;
  /** The status the client received; 499 when the client went away before the response started. */
  status: number;
  durationMs: number;
  /** Time until the response headers were sent. */
  ttfbMs: number | null;
  /** The response was a server-sent-events stream. */
  streamed: boolean;
  model?: string;
  bytesIn: number;
  bytesOut: number;
  /** What went wrong, when the proxy could not complete the exchange. */
  error?: ProxyErrorCode | 'client_aborted';
  /** Something the run log should tell about this request (at most once per connection). */
  warning?: string;
  /**
   * The project the request was made for (absolute path): the proxy's own on a project port; on a
   * port that decides it per request (the IDE port), the attributed one, absent when unattributed.
   */
  project?: string;
  /** How the project was decided: `port` on a project's own port; else cwd, git-root, single, focus, last-focused, unattributed. */
  attribution: string;
  /** On a port that decides per request: the process and working folder that decided, when known. */
  decidedBy?: AttributionEvidence;
  /** The client family, from the request's User-Agent. */
  client: ClientFamily;
  /** What the answer says it cost (tokens, cost, LiteLLM's ids); only when the usage ledger is on. */
  usage?: UsageCapture;
  /** The LiteLLM version that answered (its x-litellm-version header), when it named one. */
  litellmVersion?: string;
  /** LiteLLM refused the request for a reason our headers or key can cause (core/litellm/upstream-problem.ts). */
  problem?: UpstreamProblem;
}

export interface ProxyStatsSnapshot {
  startedAt: number;
  requests: number;
  /** Requests that ended with a status >= 400 or broke off (client aborts not included). */
  errors: number;
  /** Requests the client abandoned before the response ended. */
  aborted: number;
  /** Requests refused by the Origin/Host guard (not forwarded, not in `requests`). */
  refused: number;
  bytesIn: number;
  bytesOut: number;
  lastRequestAt: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  inFlight: number;
}

/** What an exchange knows when it ends; both forwarding paths turn it into an entry the same way. */
export interface ExchangeOutcome {
  seq: number;
  at: number;
  method: string;
  /** The request target as received: only its path is kept. */
  target: string;
  /** The status the client received; undefined when it received none. */
  status: number | undefined;
  /** performance.now() when the request arrived. */
  startedAt: number;
  ttfbMs: number | null;
  streamed: boolean;
  bytesIn: number;
  bytesOut: number;
  model: string | undefined;
  error: RequestEntry['error'];
  warning?: string | undefined;
  project: string;
  userAgent: string | undefined;
  usage: UsageCapture | undefined;
  /** The answer's x-litellm-version. */
  litellmVersion?: string | undefined;
  /** The start of an error answer's JSON body, when one came (see error-body-capture.ts). */
  errorBody?: ErrorBodyCapture | undefined;
  /** Who the request was attributed to, when decided per request (see RequestEntry). */
  attributed?: { project: string | undefined; rule: string; decidedBy?: AttributionEvidence } | undefined;
}

const toMicros = (ms: number): number => Math.round(ms * 1000) / 1000;

function requestEntry(outcome: ExchangeOutcome): RequestEntry {
  const entry: RequestEntry = {
    seq: outcome.seq,
    at: outcome.at,
    method: outcome.method,
    path: pathOnly(outcome.target),
    status: outcome.status ?? 499,
    durationMs: toMicros(performance.now() - outcome.startedAt),
    ttfbMs: outcome.ttfbMs === null ? null : toMicros(outcome.ttfbMs),
    streamed: outcome.streamed,
    bytesIn: outcome.bytesIn,
    bytesOut: outcome.bytesOut,
    project: outcome.project,
    attribution: 'port',
    client: clientFamily(outcome.userAgent),
  };
  if (outcome.usage !== undefined) entry.usage = outcome.usage;
  if (outcome.model !== undefined) entry.model = outcome.model;
  if (outcome.error !== undefined) entry.error = outcome.error;
  if (outcome.warning !== undefined) entry.warning = outcome.warning;
  if (outcome.litellmVersion !== undefined) entry.litellmVersion = outcome.litellmVersion;
  // Only the answer's status counts: a body the client received with another status (ours) is not LiteLLM's.
  if (outcome.errorBody !== undefined && outcome.errorBody.status === outcome.status) {
    const problem = classifyUpstreamError(outcome.errorBody.status, outcome.errorBody.text());
    if (problem !== undefined) entry.problem = problem;
  }
  const { attributed } = outcome;
  if (attributed !== undefined) {
    if (attributed.project === undefined) delete entry.project;
    else entry.project = attributed.project;
    entry.attribution = attributed.rule;
    if (attributed.decidedBy !== undefined) entry.decidedBy = attributed.decidedBy;
  }
  return entry;
}

/** Where an ended exchange is recorded: the stats, then whoever follows the requests. */
export interface ExchangeRecorder {
  stats: ProxyStats;
  /** Called once per request, after the client's response ended. */
  onEntry(entry: RequestEntry): void;
}

/** Records an ended exchange, the same way for both forwarding paths. */
export function recordExchange(recorder: ExchangeRecorder, outcome: ExchangeOutcome): void {
  const entry = requestEntry(outcome);
  recorder.stats.end(entry);
  recorder.onEntry(entry);
}

export class ProxyStats {
  private readonly startedAt = Date.now();
  private requests = 0;
  private errors = 0;
  private aborted = 0;
  private refused = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private lastRequestAt: number | null = null;
  private inFlight = 0;
  private seq = 0;
  private readonly latencies = new RingBuffer<number>(LATENCY_WINDOW);
  private readonly recentEntries = new RingBuffer<RequestEntry>(RECENT_REQUESTS_CAPACITY);

  begin(): { seq: number; at: number } {
    this.inFlight += 1;
    this.seq += 1;
    const at = Date.now();
    this.lastRequestAt = at;
    return { seq: this.seq, at };
  }

  end(entry: RequestEntry): void {
    this.inFlight -= 1;
    this.requests += 1;
    if (entry.error === 'client_aborted') this.aborted += 1;
    else if (entry.status >= 400 || entry.error) this.errors += 1;
    this.bytesIn += entry.bytesIn;
    this.bytesOut += entry.bytesOut;
    this.latencies.push(entry.durationMs);
    this.recentEntries.push(entry);
  }

  refuse(): void {
    this.refused += 1;
  }

  snapshot(): ProxyStatsSnapshot {
    const sorted = this.latencies.toArray().sort((a, b) => a - b);
    return {
      startedAt: this.startedAt,
      requests: this.requests,
      errors: this.errors,
      aborted: this.aborted,
      refused: this.refused,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      lastRequestAt: this.lastRequestAt,
      latencyMs: { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) },
      inFlight: this.inFlight,
    };
  }

  /** Oldest first, at most RECENT_REQUESTS_CAPACITY. */
  recent(): RequestEntry[] {
    return this.recentEntries.toArray();
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? null;
}
