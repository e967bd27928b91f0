// The usage database of one process: inserts batches of rows (each batch one transaction, its daily
// totals updated in the same one), applies retention and the size cap, and answers queries. Other
// processes write the same file at the same time; WAL and the busy timeout make them take turns.
// A file found damaged, or replaced by another process that found it damaged, is reopened.
import type { UsageTotals } from '../../../shared/usage';
import type Database from 'better-sqlite3';
import { isCorruption, openLedgerFile, replacedSinceOpen, setAside, type OpenedLedger } from './ledger-file';
import { isErrorRow, summaryModel, type LedgerRow } from './ledger-row';
import { daysBefore, startOfDayBefore } from './local-day';

export const DEFAULT_RETENTION_DAYS = 180;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface LedgerStoreOptions {
  file: string;
  retentionDays?: number;
  maxBytes?: number;
  /** A damaged file was moved aside: say so once, with where it went. */
  onSetAside?: (file: string, aside: string) => void;
  now?: () => number;
}

// Positional parameters: binding 24 named ones per row cost a third more (the writer runs in the
// proxy's process, so its cost is the proxy's).
const INSERT_ROW = `INSERT INTO requests (at, day, project, project_slug, attribution, client, method, endpoint,
  model_requested, model_answered, model_id, status, error, streamed, duration_ms, ttfb_ms, prompt_tokens,
  completion_tokens, cached_tokens, cache_write_tokens, cost, cost_source, call_id, litellm_version)
  VALUES (${new Array(24).fill('?').join(', ')})`;

function insertValues(row: LedgerRow): unknown[] {
  return [
    row.at,
    row.day,
    row.project,
    row.projectSlug,
    row.attribution,
    row.client,
    row.method,
    row.endpoint,
    row.modelRequested,
    row.modelAnswered,
    row.modelId,
    row.status,
    row.error,
    row.streamed ? 1 : 0,
    row.durationMs,
    row.ttfbMs,
    row.promptTokens,
    row.completionTokens,
    row.cachedTokens,
    row.cacheWriteTokens,
    row.cost,
    row.costSource,
    row.callId,
    row.litellmVersion,
  ];
}

const UPSERT_DAILY = `INSERT INTO daily (day, project, model, client, project_slug, requests, errors, prompt_tokens,
  completion_tokens, cached_tokens, cost, estimated_cost, unpriced)
  VALUES (@day, @project, @model, @client, @projectSlug, @requests, @errors, @promptTokens, @completionTokens, @cachedTokens,
  @cost, @estimatedCost, @unpriced)
  ON CONFLICT (day, project, model, client) DO UPDATE SET
    requests = requests + excluded.requests, errors = errors + excluded.errors, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
    completion_tokens = completion_tokens + excluded.completion_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
    cost = cost + excluded.cost, estimated_cost = estimated_cost + excluded.estimated_cost, unpriced = unpriced + excluded.unpriced`;

export class LedgerStore {
  private opened: OpenedLedger;
  private insert!: Database.Statement;
  private upsert!: Database.Statement;
  private readonly retentionDays: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: LedgerStoreOptions) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
    this.opened = this.open();
  }

  get file(): string {
    return this.options.file;
  }

  /** For queries: the open database (reopened first if another process replaced the file). */
  get db(): Database.Database {
    this.checkReplaced();
    return this.opened.db;
  }

  private open(): OpenedLedger {
    const opened = openLedgerFile(this.options.file);
    if (opened.setAsideTo !== undefined) this.options.onSetAside?.(this.options.file, opened.setAsideTo);
    this.insert = opened.db.prepare(INSERT_ROW);
    this.upsert = opened.db.prepare(UPSERT_DAILY);
    return opened;
  }

  private reopen(): void {
    try {
      this.opened.db.close();
    } catch {
      // Closing a damaged handle may fail too; the new one is what matters.
    }
    this.opened = this.open();
  }

  private checkReplaced(): void {
    if (replacedSinceOpen(this.options.file, this.opened.ino)) this.reopen();
  }

  /** Writes rows in one transaction. Throws SQLITE_BUSY (the caller keeps the rows and retries). */
  write(rows: readonly LedgerRow[]): void {
    if (rows.length === 0 || this.closed) return;
    this.checkReplaced();
    try {
      this.writeOnce(rows);
    } catch (error) {
      if (!isCorruption(error)) throw error;
      // Damaged under us: set it aside and write into a fresh file (openLedgerFile does both).
      this.opened.db.close();
      this.opened = this.openAfterCorruption();
      this.writeOnce(rows);
    }
  }

  private openAfterCorruption(): OpenedLedger {
    // A file that opens but fails on write is damaged inside: force the set-aside.
    const aside = setAside(this.options.file);
    this.options.onSetAside?.(this.options.file, aside);
    return this.open();
  }

  private writeOnce(rows: readonly LedgerRow[]): void {
    const { db } = this.opened;
    const insert = this.insert;
    const upsert = this.upsert;
    const daily = dailyDeltas(rows);
    db.transaction(() => {
      for (const row of rows) insert.run(insertValues(row));
      for (const delta of daily) upsert.run(delta);
    }).immediate();
  }

  /** Drops rows past the retention period, then the oldest requests while the file is over its cap. */
  maintain(): void {
    if (this.closed) return;
    const { db } = this;
    const now = this.now();
    db.transaction(() => {
      db.prepare('DELETE FROM requests WHERE at < ?').run(startOfDayBefore(now, this.retentionDays - 1));
      db.prepare('DELETE FROM daily WHERE day < ?').run(daysBefore(now, this.retentionDays - 1));
    }).immediate();
    // Daily totals stay (they are small): summaries keep counting what the cap removed.
    for (let round = 0; round < 20 && this.usedBytes() > this.maxBytes; round += 1) {
      const count = db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number };
      if (count.n === 0) break;
      db.prepare('DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY id LIMIT ?)').run(Math.max(1000, Math.ceil(count.n / 10)));
    }
    db.pragma('incremental_vacuum');
  }

  /** Pages in use (free pages excluded), in bytes. */
  usedBytes(): number {
    const { db } = this.opened;
    const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    return pages * (db.pragma('page_size', { simple: true }) as number);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.opened.db.close();
    } catch {
      // Nothing left to lose: every batch was committed or is reported by write().
    }
  }
}

/** One daily-totals key and what a batch adds to it. */
interface DailyDelta extends UsageTotals {
  day: string;
  project: string;
  model: string;
  client: string;
  projectSlug: string;
}

/** A batch's rows added up per daily-totals key: one upsert per key, not one per row. */
export function dailyDeltas(rows: readonly LedgerRow[]): DailyDelta[] {
  const byKey = new Map<string, DailyDelta>();
  for (const row of rows) {
    const model = summaryModel(row);
    const key = `${row.day}\u0000${row.project}\u0000${model}\u0000${row.client}`;
    let delta = byKey.get(key);
    if (delta === undefined) {
      delta = { day: row.day, project: row.project, model, client: row.client, projectSlug: row.projectSlug, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, cost: 0, estimatedCost: 0, unpriced: 0 };
      byKey.set(key, delta);
    }
    delta.requests += 1;
    if (isErrorRow(row)) delta.errors += 1;
    delta.promptTokens += row.promptTokens ?? 0;
    delta.completionTokens += row.completionTokens ?? 0;
    delta.cachedTokens += row.cachedTokens ?? 0;
    delta.cost += row.cost ?? 0;
    if (row.costSource === 'estimated') delta.estimatedCost += row.cost ?? 0;
    // Tokens were spent (or a call succeeded) but no price is known: the total is low by this one.
    if (row.cost === null && (row.promptTokens !== null || (row.status < 400 && row.error === null && row.method === 'POST'))) delta.unpriced += 1;
  }
  return [...byKey.values()];
}
