// The window's usage page in one answer: per project today / 7 / 30 days, cost per day and project,
// the breakdowns by model and client, and the latest requests. All from the daily totals and the
// requests index, so it stays fast however many requests were recorded.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { UsageOverview } from '../../../shared/usage';
import { costPerDay, projectWindows, recentRequests, summarize } from './ledger-queries';
import { daysBefore } from './local-day';
import { UNATTRIBUTED_PROJECT } from './ledger-row';

export const OVERVIEW_DAYS = 30;
export const OVERVIEW_RECENT = 30;

export function usageOverview(db: Database, now: number, file: string, notices: readonly string[]): UsageOverview {
  const since = daysBefore(now, OVERVIEW_DAYS - 1);
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => daysBefore(now, OVERVIEW_DAYS - 1 - i));
  return {
    enabled: true,
    file,
    notices: [...notices],
    days,
    projects: projectWindows(db, now).map((w) => ({ ...w, name: w.project === UNATTRIBUTED_PROJECT ? '(unattributed)' : path.basename(w.project) || w.project })),
    perDay: costPerDay(db, since),
    byModel: summarize(db, { sinceDay: since, by: 'model' }),
    byClient: summarize(db, { sinceDay: since, by: 'client' }),
    recent: recentRequests(db, OVERVIEW_RECENT).map(({ callId: _callId, ...row }) => row),
  };
}

export function disabledOverview(file: string, notices: readonly string[], now: number): UsageOverview {
  return {
    enabled: false,
    file,
    notices: [...notices],
    days: Array.from({ length: OVERVIEW_DAYS }, (_, i) => daysBefore(now, OVERVIEW_DAYS - 1 - i)),
    projects: [],
    perDay: [],
    byModel: [],
    byClient: [],
    recent: [],
  };
}
