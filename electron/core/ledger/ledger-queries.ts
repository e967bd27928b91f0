// What the tray, the window and `interceptor usage` read: summaries from the daily totals (a few
// hundred rows for a month, however many requests), and the latest requests from their index.
import type { UsageRecentRequest, UsageTotals } from '../../../shared/usage';
import type Database from 'better-sqlite3';
import { daysBefore } from './local-day';

export type SummaryKey = 'project' | 'model' | 'client' | 'day';

/** The same totals the window and `usage --json` show. */
export type Totals = UsageTotals;

export interface SummaryRow extends Totals {
  key: string;
  /** For project rows: the slug (folder name + hash) the project has in LiteLLM's tags. */
  slug?: string;
}

export interface SummaryQuery {
  /** First local day included, 'YYYY-MM-DD'. */
  sinceDay: string;
  by: SummaryKey;
  /** Only this project (its path). */
  project?: string;
}

const TOTALS = `COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(errors), 0) AS errors,
  COALESCE(SUM(prompt_tokens), 0) AS promptTokens, COALESCE(SUM(completion_tokens), 0) AS completionTokens,
  COALESCE(SUM(cached_tokens), 0) AS cachedTokens, COALESCE(SUM(cost), 0) AS cost,
  COALESCE(SUM(estimated_cost), 0) AS estimatedCost, COALESCE(SUM(unpriced), 0) AS unpriced`;

const KEY_COLUMN: Record<SummaryKey, string> = { project: 'project', model: 'model', client: 'client', day: 'day' };

export function summarize(db: Database.Database, query: SummaryQuery): SummaryRow[] {
  const column = KEY_COLUMN[query.by];
  const where = query.project === undefined ? 'day >= @since' : 'day >= @since AND project = @project';
  const slug = query.by === 'project' ? ', MIN(project_slug) AS slug' : '';
  const order = query.by === 'day' ? 'key' : 'cost DESC, requests DESC, key';
  const sql = `SELECT ${column} AS key${slug}, ${TOTALS} FROM daily WHERE ${where} GROUP BY ${column} ORDER BY ${order}`;
  return db.prepare(sql).all({ since: query.sinceDay, ...(query.project === undefined ? {} : { project: query.project }) }) as SummaryRow[];
}

export function totals(db: Database.Database, sinceDay: string, project?: string): Totals {
  const where = project === undefined ? 'day >= @since' : 'day >= @since AND project = @project';
  return db.prepare(`SELECT ${TOTALS} FROM daily WHERE ${where}`).get({ since: sinceDay, ...(project === undefined ? {} : { project }) }) as Totals;
}

export interface ProjectWindows {
  project: string;
  slug: string;
  today: Totals;
  week: Totals;
  month: Totals;
}

/** Each project's totals for today, the last 7 days and the last 30 (today included). */
export function projectWindows(db: Database.Database, now: number): ProjectWindows[] {
  const today = daysBefore(now, 0);
  const week = daysBefore(now, 6);
  const month = daysBefore(now, 29);
  const sum = (column: string, since: string) => `COALESCE(SUM(CASE WHEN day >= '${since}' THEN ${column} END), 0)`;
  const windowColumns = (name: string, since: string) =>
    [
      `${sum('requests', since)} AS ${name}_requests`,
      `${sum('errors', since)} AS ${name}_errors`,
      `${sum('prompt_tokens', since)} AS ${name}_promptTokens`,
      `${sum('completion_tokens', since)} AS ${name}_completionTokens`,
      `${sum('cached_tokens', since)} AS ${name}_cachedTokens`,
      `${sum('cost', since)} AS ${name}_cost`,
      `${sum('estimated_cost', since)} AS ${name}_estimatedCost`,
      `${sum('unpriced', since)} AS ${name}_unpriced`,
    ].join(', ');
  const sql = `SELECT project, MIN(project_slug) AS slug, ${windowColumns('today', today)}, ${windowColumns('week', week)}, ${windowColumns('month', month)}
    FROM daily WHERE day >= @month GROUP BY project ORDER BY month_cost DESC, project`;
  const rows = db.prepare(sql).all({ month }) as Array<Record<string, number | string>>;
  const pick = (row: Record<string, number | string>, name: string): Totals => ({
    requests: row[`${name}_requests`] as number,
    errors: row[`${name}_errors`] as number,
    promptTokens: row[`${name}_promptTokens`] as number,
    completionTokens: row[`${name}_completionTokens`] as number,
    cachedTokens: row[`${name}_cachedTokens`] as number,
    cost: row[`${name}_cost`] as number,
    estimatedCost: row[`${name}_estimatedCost`] as number,
    unpriced: row[`${name}_unpriced`] as number,
  });
  return rows.map((row) => ({ project: row.project as string, slug: row.slug as string, today: pick(row, 'today'), week: pick(row, 'week'), month: pick(row, 'month') }));
}

export interface DayCost {
  day: string;
  project: string;
  cost: number;
}

/** Cost per local day and project since `sinceDay`, for the stacked chart. */
export function costPerDay(db: Database.Database, sinceDay: string): DayCost[] {
  return db.prepare('SELECT day, project, SUM(cost) AS cost FROM daily WHERE day >= ? GROUP BY day, project ORDER BY day, project').all(sinceDay) as DayCost[];
}

/** A recent request as the window lists it, plus LiteLLM's call id. */
export type RecentRow = UsageRecentRequest & { callId: string | null };

export function recentRequests(db: Database.Database, limit: number, project?: string): RecentRow[] {
  const where = project === undefined ? '' : 'WHERE project = @project';
  const rows = db
    .prepare(
      `SELECT at, project, client, method, endpoint, COALESCE(model_requested, model_answered) AS model, status, error, streamed,
        duration_ms AS durationMs, prompt_tokens AS promptTokens, completion_tokens AS completionTokens,
        cached_tokens AS cachedTokens, cost, cost_source AS costSource, call_id AS callId
       FROM requests ${where} ORDER BY at DESC, id DESC LIMIT @limit`,
    )
    .all({ limit, ...(project === undefined ? {} : { project }) }) as Array<Omit<RecentRow, 'streamed'> & { streamed: number }>;
  return rows.map((row) => ({ ...row, streamed: row.streamed === 1 }));
}
