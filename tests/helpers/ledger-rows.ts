// Reads a usage ledger (interceptor-usage.sqlite) the way a test checks what a running `interceptor
// run` or `serve` wrote: its request rows, as stored, waited for until the writer's batch landed.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { waitFor } from './wait';

/** One row of the ledger's `requests` table, with its column names. */
export interface StoredRequest {
  id: number;
  project: string;
  project_slug: string;
  client: string;
  endpoint: string;
  model_requested: string | null;
  model_answered: string | null;
  model_id: string | null;
  status: number;
  streamed: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  cache_write_tokens: number | null;
  cost: number | null;
  cost_source: 'header' | 'stream' | 'estimated' | null;
  call_id: string | null;
  litellm_version: string | null;
}

/** Every request row, oldest first (none while the file or its table does not exist yet). */
export function storedRequests(file: string): StoredRequest[] {
  if (!existsSync(file)) return [];
  // Read-only beside the writer (WAL): what it committed, never a lock it has to wait for.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    // A writer that has just created the file may not have committed its schema yet.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests'").get() === undefined) return [];
    return db.prepare('SELECT * FROM requests ORDER BY id').all() as StoredRequest[];
  } finally {
    db.close();
  }
}

/** Waits until the ledger holds more than `after` rows and returns the ones past it. */
export function waitForStoredRequests(file: string, after: number, timeoutMs = 10_000): Promise<StoredRequest[]> {
  return waitFor(`a ledger row after the first ${after} in ${file}`, () => {
    const rows = storedRequests(file);
    return rows.length > after ? rows.slice(after) : undefined;
  }, timeoutMs, 50);
}

/** Waits for the row of the request LiteLLM gave `callId`. */
export function waitForStoredCall(file: string, callId: string, timeoutMs = 10_000): Promise<StoredRequest> {
  return waitFor(`the ledger row of call ${callId} in ${file}`, () => storedRequests(file).find((row) => row.call_id === callId), timeoutMs, 50);
}
