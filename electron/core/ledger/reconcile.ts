// Compares what the ledger recorded per project with what LiteLLM's own database says it spent per
// `project:` tag, for one UTC day (LiteLLM's spend logs are grouped by the date of their start time
// in its database, UTC on the usual setup). Read-only: one GET of /global/spend/tags with a key that
// may read spend (an admin key, or one with the get_spend_routes permission). A LiteLLM without a
// database or without that API is reported as such, never as zero spend.
import type { Database } from 'better-sqlite3';
import { joinUpstreamPath, parseTargetUrl } from '../proxy/target-url';
import { isObject, money } from './usage-object';

export interface ReconcileRow {
  /** The LiteLLM tag, `project:<slug>`. */
  tag: string;
  /** The project folder, when the ledger knows the slug. */
  project: string | null;
  ledgerCost: number;
  ledgerRequests: number;
  /** What LiteLLM recorded for the tag; 0 when it lists the tag nowhere (it saw no spend for it). */
  litellmCost: number;
  litellmRequests: number | null;
  /** litellmCost − ledgerCost. */
  difference: number;
}

export type ReconcileResult =
  | { status: 'compared'; day: string; rows: ReconcileRow[] }
  /** LiteLLM answered that it has no database: it keeps no spend to compare with. */
  | { status: 'no-database'; day: string; message: string }
  /** This LiteLLM has no spend-by-tag API (404): too old, or not the proxy. */
  | { status: 'no-api'; day: string; message: string }
  /** The key may not read spend (401/403). */
  | { status: 'not-allowed'; day: string; message: string }
  | { status: 'unreachable'; day: string; message: string }
  | { status: 'failed'; day: string; message: string };

export interface ReconcileOptions {
  target: string;
  key: string | undefined;
  /** The UTC day, 'YYYY-MM-DD'. */
  day: string;
  timeoutMs?: number;
}

export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The ledger's cost and requests per project slug for one UTC day. */
export function ledgerTagTotals(db: Database, day: string): Array<{ slug: string; project: string; cost: number; requests: number }> {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const end = start + 24 * 60 * 60 * 1000;
  return db
    .prepare('SELECT project_slug AS slug, MIN(project) AS project, COALESCE(SUM(cost), 0) AS cost, count(*) AS requests FROM requests WHERE at >= ? AND at < ? GROUP BY project_slug')
    .all(start, end) as Array<{ slug: string; project: string; cost: number; requests: number }>;
}

/** `{spend_per_tag: [{name, spend, log_count}]}`; older builds answered the list itself. */
function spendPerTag(body: unknown): Map<string, { spend: number; count: number | null }> | undefined {
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.spend_per_tag) ? body.spend_per_tag : undefined;
  if (list === undefined) return undefined;
  const out = new Map<string, { spend: number; count: number | null }>();
  for (const item of list) {
    if (!isObject(item)) continue;
    const name = typeof item.name === 'string' ? item.name : typeof item.individual_request_tag === 'string' ? item.individual_request_tag : undefined;
    const spend = money(item.spend ?? item.total_spend);
    if (name === undefined || spend === undefined) continue;
    const count = typeof item.log_count === 'number' ? item.log_count : null;
    out.set(name, { spend, count });
  }
  return out;
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === 'string') return parsed.error.message;
    if (isObject(parsed) && typeof parsed.detail === 'string') return parsed.detail;
  } catch {
    // not JSON
  }
  return body.slice(0, 300);
}

export async function reconcile(db: Database, options: ReconcileOptions): Promise<ReconcileResult> {
  const { day } = options;
  const ours = ledgerTagTotals(db, day);
  const target = parseTargetUrl(options.target);
  const tags = ours.map((row) => `project:${row.slug}`);
  const query = new URLSearchParams({ start_date: day, end_date: day });
  if (tags.length > 0) query.set('tags', tags.join(','));
  // The spend API sits at LiteLLM's root, not under /v1 (a reverse proxy's own prefix is kept).
  const base = target.basePath.replace(/\/v1$/, '');
  const url = `${target.protocol}//${target.hostHeader}${joinUpstreamPath(base, '/global/spend/tags')}?${query.toString()}`;
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }) },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { status: 'unreachable', day, message: `LiteLLM at ${target.url} did not answer (${(error as Error).message})` };
  }
  if (status === 404) return { status: 'no-api', day, message: `LiteLLM at ${target.url} has no /global/spend/tags (an older or a restricted build)` };
  if (status === 401 || status === 403) {
    return { status: 'not-allowed', day, message: `the key may not read spend (${status}: ${errorText(text)}); use an admin key or one with the get_spend_routes permission` };
  }
  const detail = errorText(text);
  if (status >= 400) {
    if (/database not connected|no connected db|prisma|database_url/i.test(detail)) {
      return { status: 'no-database', day, message: `LiteLLM at ${target.url} runs without a database: it keeps no spend per tag to compare with` };
    }
    return { status: 'failed', day, message: `LiteLLM answered ${status}: ${detail}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return { status: 'failed', day, message: 'LiteLLM answered something that is not JSON' };
  }
  const theirs = spendPerTag(parsed);
  if (theirs === undefined) return { status: 'failed', day, message: 'LiteLLM answered something that is not a spend-per-tag list' };
  const bySlug = new Map(ours.map((row) => [`project:${row.slug}`, row]));
  const allTags = new Set([...bySlug.keys(), ...[...theirs.keys()].filter((tag) => tag.startsWith('project:'))]);
  const rows: ReconcileRow[] = [...allTags].sort().map((tag) => {
    const mine = bySlug.get(tag);
    const their = theirs.get(tag);
    const ledgerCost = mine?.cost ?? 0;
    const litellmCost = their?.spend ?? 0;
    return {
      tag,
      project: mine?.project ?? null,
      ledgerCost,
      ledgerRequests: mine?.requests ?? 0,
      litellmCost,
      litellmRequests: their?.count ?? (their === undefined ? 0 : null),
      difference: Math.round((litellmCost - ledgerCost) * 1e10) / 1e10,
    };
  });
  return { status: 'compared', day, rows };
}
