// The usage database under several writers and faults, with real processes and real files: four
// processes writing 10,000 rows together lose none; a writer killed mid-batch leaves a database that
// opens and holds every committed row; a damaged file is set aside, a new one started, one notice.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerFile } from '../../../electron/core/ledger/ledger-file';
import { LedgerStore } from '../../../electron/core/ledger/ledger-store';
import { ledgerRow } from '../../../electron/core/ledger/ledger-row';
import { UsageLedger } from '../../../electron/core/ledger/usage-ledger';
import { projectWindows, summarize } from '../../../electron/core/ledger/ledger-queries';
import { localDay } from '../../../electron/core/ledger/local-day';
import type { RequestEntry } from '../../../electron/core/proxy/proxy-stats';
import { LEDGER_WORKER_PATH } from '../../helpers/paths';
import { spawnWorker } from '../../helpers/registry-workers';
import { tempDir } from '../../helpers/temp';

function count(file: string, where = '1 = 1'): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM requests WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function entry(overrides: Partial<RequestEntry> = {}): RequestEntry {
  return {
    seq: 1,
    at: Date.now(),
    method: 'POST',
    path: '/v1/chat/completions',
    status: 200,
    durationMs: 10,
    ttfbMs: 2,
    streamed: false,
    bytesIn: 1,
    bytesOut: 1,
    model: 'gpt-test',
    project: '/work/alpha',
    attribution: 'port',
    client: 'openai-node',
    ...overrides,
  };
}

describe('usage database with several processes and faults', () => {
  it('4 processes writing 10,000 rows together: every row is there, and the daily totals agree', async () => {
    const file = path.join(await tempDir(), 'interceptor-usage.sqlite');
    const workers = [1, 2, 3, 4].map((id) => spawnWorker([file, String(id), '2500', '1'], {}, LEDGER_WORKER_PATH));
    const results = await Promise.all(workers.map((worker) => worker.waitFor((record) => record.done === true, 60_000)));
    for (const worker of workers) expect(worker.stderr()).toBe('');
    expect(results.map((result) => result.committed)).toEqual([2500, 2500, 2500, 2500]);
    expect(count(file)).toBe(10_000);
    for (const id of [1, 2, 3, 4]) expect(count(file, `project = '/work/worker-${id}'`)).toBe(2500);
    const db = new Database(file, { readonly: true });
    const daily = db.prepare('SELECT SUM(requests) AS n FROM daily').get() as { n: number };
    db.close();
    expect(daily.n).toBe(10_000);
  }, 90_000);

  it('a writer killed with SIGKILL mid-batch: the database opens and holds every committed row', async () => {
    const file = path.join(await tempDir(), 'interceptor-usage.sqlite');
    const worker = spawnWorker([file, '9', '1000000', '2'], {}, LEDGER_WORKER_PATH);
    await worker.waitFor((record) => Number(record.committed) >= 2000, 30_000);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const committed = Math.max(...worker.records.map((record) => Number(record.committed ?? 0)));
    // What it reported committed is there; a batch it had not reported may be too, never half of one.
    const opened = openLedgerFile(file);
    const rows = (opened.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    const integrity = opened.db.pragma('integrity_check', { simple: true });
    const daily = (opened.db.prepare('SELECT SUM(requests) AS n FROM daily').get() as { n: number }).n;
    opened.db.close();
    expect(opened.setAsideTo).toBeUndefined();
    expect(integrity).toBe('ok');
    expect(rows).toBeGreaterThanOrEqual(committed);
    expect(daily).toBe(rows);
  }, 60_000);

  it('a damaged file is set aside, a new one started, and the notice says where the old one went', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'interceptor-usage.sqlite');
    writeFileSync(file, Buffer.from('this is not a database, it is garbage '.repeat(200)));
    const notices: string[] = [];
    const ledger = new UsageLedger({ file, flushMs: 5, onNotice: (message) => notices.push(message) });
    ledger.record(entry());
    await ledger.flush();
    await ledger.close();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/was damaged: it was kept as .*interceptor-usage\.sqlite\.corrupt-.* and a new one was started/);
    const kept = readdirSync(dir).filter((name) => name.includes('.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(count(file)).toBe(1);
    // The new file is private to the user, like the settings file.
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a database damaged inside (pages overwritten) is set aside when a write fails on it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'interceptor-usage.sqlite');
    const store = new LedgerStore({ file });
    store.write(Array.from({ length: 2000 }, (_, i) => ledgerRow(entry({ seq: i, model: `m-${i % 7}` }))));
    store.close();
    // Overwrite everything past the first page: the header still reads, the tables do not.
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096, 0x5a), 0, size - 4096, 4096);
    closeSync(fd);
    const notices: string[] = [];
    const ledger = new UsageLedger({ file, flushMs: 5, onNotice: (message) => notices.push(message) });
    ledger.record(entry());
    await ledger.flush();
    await ledger.close();
    expect(notices.filter((notice) => notice.includes('was damaged'))).toHaveLength(1);
    expect(count(file)).toBe(1);
    expect(existsSync(file)).toBe(true);
  });

  it('retention drops rows and daily totals older than the kept days; summaries read the rest', async () => {
    const file = path.join(await tempDir(), 'interceptor-usage.sqlite');
    const now = Date.now();
    const day = 24 * 60 * 60 * 1000;
    const store = new LedgerStore({ file, retentionDays: 30, now: () => now });
    store.write([
      ledgerRow(entry({ at: now - 40 * day, project: '/work/old' })),
      ledgerRow(entry({ at: now - 3 * day, project: '/work/alpha', model: 'a' })),
      ledgerRow(entry({ at: now, project: '/work/alpha', model: 'b', status: 500 })),
      ledgerRow(entry({ at: now, project: '/work/beta', model: 'a', client: 'claude-code' })),
    ]);
    store.maintain();
    expect(count(file)).toBe(3);
    const byProject = summarize(store.db, { sinceDay: localDay(now - 29 * day), by: 'project' });
    expect(byProject.map((row) => [row.key, row.requests, row.errors])).toEqual([
      ['/work/alpha', 2, 1],
      ['/work/beta', 1, 0],
    ]);
    const windows = projectWindows(store.db, now);
    expect(windows.find((w) => w.project === '/work/alpha')).toMatchObject({ today: { requests: 1 }, week: { requests: 2 }, month: { requests: 2 } });
    store.close();
  });
});
