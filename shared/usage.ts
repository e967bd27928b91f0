// What the window, the tray and `interceptor usage --json` show of the local usage ledger. Plain
// data, the same shape everywhere; the ledger itself lives in electron/core/ledger/.

export interface UsageTotals {
  requests: number;
  /** Requests that got no usable answer (status >= 400, or broken off by LiteLLM). */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Dollars: LiteLLM's own figures plus estimates. */
  cost: number;
  /** The part of `cost` estimated here from tokens × LiteLLM's prices (no cost was sent). */
  estimatedCost: number;
  /** Requests whose cost is unknown (no cost sent and no price found): `cost` is low by theirs. */
  unpriced: number;
}

export interface ProjectUsage {
  project: string;
  name: string;
  /** The project's name in LiteLLM's tags (`project:<slug>`). */
  slug: string;
  today: UsageTotals;
  week: UsageTotals;
  month: UsageTotals;
}

export interface UsageBreakdownRow extends UsageTotals {
  key: string;
}

export interface UsageRecentRequest {
  at: number;
  project: string;
  client: string;
  method: string;
  endpoint: string;
  model: string | null;
  status: number;
  error: string | null;
  streamed: boolean;
  durationMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  cost: number | null;
  /** header | stream | estimated | null (unknown). */
  costSource: string | null;
}

export interface UsageOverview {
  /** Recording is on (settings). */
  enabled: boolean;
  /** The database file. */
  file: string;
  /** Things the user should know about the ledger (a damaged file set aside...). */
  notices: string[];
  /** The last 30 local days, oldest first ('YYYY-MM-DD'); the last one is today. */
  days: string[];
  projects: ProjectUsage[];
  /** Cost per day and project over `days`. */
  perDay: Array<{ day: string; project: string; cost: number }>;
  /** Over the last 30 days. */
  byModel: UsageBreakdownRow[];
  byClient: UsageBreakdownRow[];
  recent: UsageRecentRequest[];
}

export const EMPTY_TOTALS: Readonly<UsageTotals> = Object.freeze({
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cost: 0,
  estimatedCost: 0,
  unpriced: 0,
});

/** Dollars for people: cents when that is enough, more digits for the fractions LLM calls cost. */
export function formatCost(dollars: number): string {
  if (dollars === 0) return '$0.00';
  if (dollars >= 0.01) return `$${dollars.toFixed(2)}`;
  if (dollars >= 0.0001) return `$${dollars.toFixed(4)}`;
  return '<$0.0001';
}

/** "1.2k", "3.4M": token counts at a glance. */
export function formatCount(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(count < 10_000_000 ? 1 : 0)}M`;
}

/** A cost with its caveats: "~" when part of it is estimated, "+" when some requests have no price. */
export function costText(totals: Pick<UsageTotals, 'cost' | 'estimatedCost' | 'unpriced'>): string {
  const prefix = totals.estimatedCost > 0 ? '~' : '';
  const suffix = totals.unpriced > 0 ? '+' : '';
  return `${prefix}${formatCost(totals.cost)}${suffix}`;
}
