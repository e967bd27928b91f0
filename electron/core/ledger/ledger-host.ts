// The ledger as a long-running front end (app, `serve`) holds it: opened or closed as the setting
// says, fed the supervisor's finished requests, keeping today's totals per project in memory for
// snapshots (the tray reads them on every state push) and the notices it raised for the window.
import type { RequestEntry } from '../proxy/proxy-stats';
import { ledgerPathFor } from './ledger-paths';
import { describeOpenFailure } from './open-failure';
import { projectWindows, type Totals } from './ledger-queries';
import { PriceBook } from './price-book';
import type { UsageLedger, UsageLedgerOptions } from './usage-ledger';

/** Other processes (`interceptor run`) write too, and days roll over: totals are re-read this often. */
const REFRESH_MS = 60_000;
/** At most one re-read of today's totals per this interval after writes. */
const AFTER_WRITE_MS = 1000;

export interface LedgerHostOptions {
  registryFile: string;
  target: () => string;
  apiKey: () => string | undefined;
  /** A notice for the user (the service turns it into an OS notification / a stderr line). */
  onNotice: (message: string) => void;
  /** Today's totals changed. */
  onTotals: () => void;
}

export class LedgerHost {
  private ledger: UsageLedger | undefined;
  private prices: PriceBook;
  private today = new Map<string, Totals>();
  private readonly notices: string[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private afterWrite: NodeJS.Timeout | undefined;
  private retentionDays = 180;
  private configuring: Promise<void> = Promise.resolve();

  constructor(private readonly options: LedgerHostOptions) {
    this.prices = new PriceBook({ target: options.target, apiKey: options.apiKey });
  }

  get file(): string {
    return ledgerPathFor(this.options.registryFile);
  }

  get enabled(): boolean {
    return this.ledger !== undefined;
  }

  /** The open ledger, for queries; undefined when recording is off. */
  current(): UsageLedger | undefined {
    return this.ledger;
  }

  /** Notices raised so far (a damaged file set aside, writes failing), oldest first. */
  raised(): readonly string[] {
    return this.notices;
  }

  /** Opens or closes the ledger to match the settings, one change at a time. Never throws: a failure is a notice. */
  configure(enabled: boolean, retentionDays: number): Promise<void> {
    this.configuring = this.configuring.then(() => this.apply(enabled, retentionDays));
    return this.configuring;
  }

  private async apply(enabled: boolean, retentionDays: number): Promise<void> {
    if (enabled && this.ledger !== undefined && retentionDays === this.retentionDays) return;
    this.retentionDays = retentionDays;
    if (this.ledger !== undefined) await this.closeNow();
    if (!enabled) return;
    // Loaded on first use: the SQLite driver is a native module, and a build for another runtime
    // (a checkout's Node build under Electron) must cost the ledger, never the app's start.
    let ledgerModule: { UsageLedger: new (options: UsageLedgerOptions) => UsageLedger };
    try {
      ledgerModule = await import('./usage-ledger');
    } catch (error) {
      this.notice(describeOpenFailure(this.file, error));
      return;
    }
    try {
      this.ledger = new ledgerModule.UsageLedger({
        file: this.file,
        retentionDays,
        prices: this.prices,
        onNotice: (message) => this.notice(message),
        onWritten: () => this.scheduleRefresh(),
      });
    } catch (error) {
      this.notice(describeOpenFailure(this.file, error));
      return;
    }
    this.refresh();
    this.refreshTimer = setInterval(() => this.refresh(), REFRESH_MS);
    this.refreshTimer.unref();
  }

  private notice(message: string): void {
    this.notices.push(message);
    if (this.notices.length > 20) this.notices.shift();
    this.options.onNotice(message);
  }

  record(entry: RequestEntry): void {
    this.ledger?.record(entry);
  }

  /** Today's totals of a project (from memory). */
  todayOf(project: string): Totals | undefined {
    return this.today.get(project);
  }

  private scheduleRefresh(): void {
    if (this.afterWrite !== undefined) return;
    this.afterWrite = setTimeout(() => {
      this.afterWrite = undefined;
      this.refresh();
    }, AFTER_WRITE_MS);
    this.afterWrite.unref();
  }

  private refresh(): void {
    const ledger = this.ledger;
    if (ledger === undefined) return;
    try {
      const windows = projectWindows(ledger.store.db, Date.now());
      this.today = new Map(windows.filter((w) => w.today.requests > 0).map((w) => [w.project, w.today]));
      this.options.onTotals();
    } catch {
      // Busy or momentarily unreadable: the next refresh will do.
    }
  }

  /** Writes what is queued and closes the database (after any settings change under way). */
  close(): Promise<void> {
    this.configuring = this.configuring.then(() => this.closeNow());
    return this.configuring;
  }

  private async closeNow(): Promise<void> {
    clearInterval(this.refreshTimer);
    clearTimeout(this.afterWrite);
    this.refreshTimer = undefined;
    this.afterWrite = undefined;
    const ledger = this.ledger;
    this.ledger = undefined;
    this.today = new Map();
    await ledger?.close();
  }
}
