// Opening the usage database: beside the registry, WAL (readers never wait for the writer, several
// processes write safely), a busy timeout, the schema migrated. A file SQLite cannot read is moved
// aside (with its -wal and -shm) and a new one started, and the caller gets one notice saying where
// the old one went.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './ledger-schema';

export { LEDGER_FILE_NAME, ledgerPathFor } from './ledger-paths';
/** How long a statement waits for another process's write transaction (ours last milliseconds). */
export const BUSY_TIMEOUT_MS = 5000;

/** SQLite's answer for a damaged file or one that is not a database at all. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

/** Moves a damaged database (and its journal files) aside; returns where the main file went. */
export function setAside(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(`${file}${suffix}`, `${aside}${suffix}`);
    } catch {
      // Gone already (another process set it aside first), or never there.
    }
  }
  return aside;
}

export interface OpenedLedger {
  db: Database.Database;
  /** The file's inode when opened: another process that set it aside leaves us a different one. */
  ino: number;
  /** Set when a damaged file was moved aside to open this one. */
  setAsideTo?: string;
}

function openOnce(file: string): Database.Database {
  // Created private (0600), like the settings file: it names the user's projects and what they cost.
  // An empty file is an empty database to SQLite, and its -wal and -shm files take the same mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: a crash loses no committed transaction, only a power cut may
    migrate(db);
    // Reading the schema reads the first pages: a file that is not a database fails here, not later.
    db.prepare('SELECT count(*) FROM requests WHERE id = -1').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens (creating if needed) the database; a damaged file is set aside and replaced. */
export function openLedgerFile(file: string): OpenedLedger {
  mkdirSync(path.dirname(file), { recursive: true });
  let setAsideTo: string | undefined;
  let db: Database.Database;
  try {
    db = openOnce(file);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    setAsideTo = setAside(file);
    db = openOnce(file);
  }
  const ino = existsSync(file) ? statSync(file).ino : 0;
  return setAsideTo === undefined ? { db, ino } : { db, ino, setAsideTo };
}

/** The file at `file` is no longer the one opened (moved aside or deleted by another process). */
export function replacedSinceOpen(file: string, ino: number): boolean {
  try {
    return statSync(file).ino !== ino;
  } catch {
    return true;
  }
}
