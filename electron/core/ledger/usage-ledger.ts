// The usage ledger of one process: finished requests are queued in memory and written in batches on
// a short timer (and at shutdown), never on the request path. Prices for answers without a cost come
// from the price book. A busy database (another process writing) keeps the batch for the next try;
// nothing a user sees ever says "database is locked".
import type { RequestEntry } from '../proxy/proxy-stats';
import { isCorruption } from './ledger-file';
import { ledgerRow, type LedgerRow } from './ledger-row';
import { LedgerStore, type LedgerStoreOptions } from './ledger-store';
import type { PriceBook } from './price-book';

export const DEFAULT_FLUSH_MS = 250;
const RETRY_MS = 1000;
const MAINTAIN_EVERY_MS = 6 * 60 * 60_000;
/** Requests held while the database cannot be written; beyond this the oldest are dropped (and said so). */
const MAX_QUEUE = 100_000;
/** How long a flush waits for the price table before writing rows without an estimate. */
const PRICE_WAIT_MS = 3000;

export interface UsageLedgerOptions extends LedgerStoreOptions {
  prices?: PriceBook;
  /** Something the user should know (damaged file set aside, writes failing); each kind once. */
  onNotice?: (message: string) => void;
  /** After each committed batch: summaries may have changed. */
  onWritten?: (rows: readonly LedgerRow[]) => void;
  flushMs?: number;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}

export class UsageLedger {
  readonly store: LedgerStore;
  private queue: RequestEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maintainTimer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly told = new Set<string>();
  private readonly flushMs: number;

  constructor(private readonly options: UsageLedgerOptions) {
    this.flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.store = new LedgerStore({
      ...options,
      onSetAside: (file, aside) =>
        this.tell(
          `set-aside:${aside}`,
          `The usage database ${file} was damaged: it was kept as ${aside} and a new one was started (usage recorded before is in the kept file).`,
        ),
    });
    this.maintain();
    this.maintainTimer = setInterval(() => this.maintain(), MAINTAIN_EVERY_MS);
    this.maintainTimer.unref();
  }

  private tell(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.options.onNotice?.(message);
  }

  private maintain(): void {
    try {
      this.store.maintain();
    } catch (error) {
      if (!isBusy(error)) this.tell('maintain', `The usage database could not be trimmed: ${(error as Error).message}`);
    }
  }

  /** Queues a finished request; written within flushMs. */
  record(entry: RequestEntry): void {
    if (this.closed) return;
    this.queue.push(entry);
    if (this.queue.length > MAX_QUEUE) {
      this.queue.splice(0, this.queue.length - MAX_QUEUE);
      this.tell('overflow', `Usage could not be written for a while; only the latest ${MAX_QUEUE} requests are kept for it`);
    }
    this.schedule(this.flushMs);
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
  }

  /** Writes what is queued (waiting briefly for prices when some answer carried no cost). */
  flush(): Promise<void> {
    this.flushing ??= this.flushQueued().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const prices = this.options.prices;
      if (prices !== undefined && !this.closed && prices.wantsRefresh() && this.queue.some(needsPrice)) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([prices.refresh(), new Promise<void>((resolve) => (timer = setTimeout(resolve, PRICE_WAIT_MS)))]);
        clearTimeout(timer);
      }
      if (!this.writeQueued()) return;
    }
  }

  /** One batch; false when it must wait (busy database, failure): the rows stay queued. */
  private writeQueued(): boolean {
    const entries = this.queue;
    this.queue = [];
    const prices = this.options.prices;
    let rows: LedgerRow[];
    try {
      rows = entries.map((entry) => ledgerRow(entry, prices === undefined ? undefined : (facts, model) => prices.estimate(facts, model)));
      this.store.write(rows);
    } catch (error) {
      this.queue = entries.concat(this.queue);
      if (!isBusy(error) && !isCorruption(error)) this.tell('write', `Usage could not be recorded: ${(error as Error).message}; retrying`);
      this.schedule(RETRY_MS);
      return false;
    }
    this.options.onWritten?.(rows);
    return true;
  }

  /** Writes everything still queued, without waiting for prices (shutdown); then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    this.closed = true;
    clearInterval(this.maintainTimer);
    for (let attempt = 0; attempt < 5 && this.queue.length > 0; attempt += 1) {
      if (!this.writeQueued()) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    clearTimeout(this.timer);
    this.store.close();
  }
}

/** An answer with tokens and no cost: its row wants an estimate. */
function needsPrice(entry: RequestEntry): boolean {
  const facts = entry.usage?.facts();
  return facts !== undefined && facts.cost === null && facts.promptTokens !== null;
}
