// The usage database's schema, versioned with SQLite's user_version: each migration runs once, in a
// write transaction, so processes opening the file at the same moment apply it once between them.
import type Database from 'better-sqlite3';

/** Migration N (1-based) takes a database at version N-1 to version N. Append only; never edit one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    project TEXT NOT NULL,
    project_slug TEXT NOT NULL,
    attribution TEXT,
    client TEXT NOT NULL,
    method TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    model_requested TEXT,
    model_answered TEXT,
    model_id TEXT,
    status INTEGER NOT NULL,
    error TEXT,
    streamed INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    ttfb_ms REAL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cached_tokens INTEGER,
    cache_write_tokens INTEGER,
    cost REAL,
    cost_source TEXT,
    call_id TEXT,
    litellm_version TEXT
  );
  -- The only index on requests: each one costs every insert (on the proxy's process), and every
  -- summary reads the daily table instead. Latest requests and retention go by time.
  CREATE INDEX requests_at ON requests (at);
  -- One row per local day, project, model and client: what summaries read, so a month of a busy
  -- machine is a few hundred rows however many requests it made.
  CREATE TABLE daily (
    day TEXT NOT NULL,
    project TEXT NOT NULL,
    model TEXT NOT NULL,
    client TEXT NOT NULL,
    project_slug TEXT NOT NULL,
    requests INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens INTEGER NOT NULL,
    cost REAL NOT NULL,
    estimated_cost REAL NOT NULL,
    unpriced INTEGER NOT NULL,
    PRIMARY KEY (day, project, model, client)
  ) WITHOUT ROWID;
  `,
];

export const LEDGER_SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer Interceptor: it is read as far as it can be, never written. */
export class NewerLedgerError extends Error {}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database to the current version; throws NewerLedgerError for a newer one. */
export function migrate(db: Database.Database): void {
  if (schemaVersion(db) === LEDGER_SCHEMA_VERSION) return;
  if (schemaVersion(db) > LEDGER_SCHEMA_VERSION) {
    throw new NewerLedgerError(`the usage database was written by a newer Interceptor (schema ${schemaVersion(db)}, this one knows ${LEDGER_SCHEMA_VERSION})`);
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    // Another process may have migrated while this one waited for the write lock.
    const from = schemaVersion(db);
    if (from === 0) db.pragma('auto_vacuum = INCREMENTAL'); // lets the size cap give space back
    for (let version = from; version < LEDGER_SCHEMA_VERSION; version += 1) db.exec(MIGRATIONS[version] as string);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
