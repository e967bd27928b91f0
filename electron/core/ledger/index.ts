// The local usage ledger: capture on the proxy's path, the SQLite store, queries, prices, reconcile.
export { clientFamily } from './client-family';
export { ledgerPathFor, LEDGER_FILE_NAME, openLedgerFile } from './ledger-file';
export { LedgerHost } from './ledger-host';
export { costPerDay, projectWindows, recentRequests, summarize, totals, type SummaryKey, type SummaryRow, type Totals } from './ledger-queries';
export { ledgerRow, type LedgerRow } from './ledger-row';
export { DEFAULT_MAX_BYTES, DEFAULT_RETENTION_DAYS, LedgerStore } from './ledger-store';
export { daysBefore, localDay } from './local-day';
export { PriceBook } from './price-book';
export { reconcile, utcDay, type ReconcileResult } from './reconcile';
export { UsageCapture } from './usage-capture';
export type { ClientFamily, UsageFacts } from './usage-facts';
export { UsageLedger } from './usage-ledger';
export { usageOverview } from './usage-overview';
