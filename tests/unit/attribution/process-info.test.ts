// Process facts from real files laid out like /proc, and the listings macOS and Windows print.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListingTable, parentChain, parsePsListing, parseProcStat, parseWindowsListing, ProcFsTable } from '../../../electron/core/attribution/process-info';
import { tempDir } from '../../helpers/temp';

const stat = (pid: number, name: string, ppid: number, ticks: number, sid = pid): string =>
  `${pid} (${name}) S ${ppid} ${pid} ${sid} 0 -1 4194560 100 0 0 0 10 5 0 0 20 0 30 0 ${ticks} 123456 789 18446744073709551615 1 1 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;

describe('/proc/<pid>/stat', () => {
  it('reads the parent, the session and the start time; a name with spaces and parentheses does not shift the fields', () => {
    expect(parseProcStat(stat(42, 'java', 7, 250, 5), 1_700_000_000_000)).toEqual({ pid: 42, ppid: 7, name: 'java', startedAt: 1_700_000_002_500, sid: 5 });
    expect(parseProcStat(stat(43, 'my (odd) name', 9, 100), 0)).toMatchObject({ pid: 43, ppid: 9, name: 'my (odd) name', startedAt: 1000 });
    expect(parseProcStat('garbage', 0)).toBeUndefined();
  });

  it('walks the chain up to a PID that cannot be read: a parent that exited mid-walk ends it', async () => {
    const root = await tempDir('interceptor-proc-');
    await writeFile(path.join(root, 'stat'), 'cpu 1 2 3\nbtime 1700000000\n');
    for (const [pid, ppid] of [
      [30, 20],
      [20, 10],
    ]) {
      await mkdir(path.join(root, String(pid)));
      await writeFile(path.join(root, String(pid), 'stat'), stat(pid as number, 'p', ppid as number, 100));
    }
    // 10 is gone: no /proc/10.
    const chain = await parentChain(30, new ProcFsTable(root), Date.now() + 1000);
    expect(chain.map((p) => p.pid)).toEqual([30, 20]);
    expect(chain[0]?.startedAt).toBe(1_700_000_001_000);
  });

  it('a cycle in a broken table cannot loop', async () => {
    const table = { info: async (pid: number) => ({ pid, ppid: pid === 1 ? 2 : 1 }) };
    expect((await parentChain(1, table, Date.now() + 1000)).map((p) => p.pid)).toEqual([1, 2]);
  });
});

describe('process listings', () => {
  it('ps -A -o pid=,ppid=,lstart=,comm= (macOS)', () => {
    const table = parsePsListing('  501     1 Mon Jan  6 09:14:03 2025 /Applications/IntelliJ IDEA.app/Contents/MacOS/idea\n  900   501 Tue Jan  7 10:00:00 2025 node\n');
    expect(table.get(501)).toMatchObject({ pid: 501, ppid: 1, name: 'idea' });
    expect(table.get(501)?.startedAt).toBe(new Date('Mon Jan 6 09:14:03 2025').getTime());
    expect(table.get(900)?.ppid).toBe(501);
  });

  it('the PowerShell listing (Windows): FILETIME start times', () => {
    const table = parseWindowsListing('1200\t4\t133800000000000000\tidea64.exe\r\nbad line\r\n1300\t1200\t0\tnode.exe\r\n');
    expect(table.get(1200)).toMatchObject({ ppid: 4, name: 'idea64.exe', startedAt: 133800000000000000 / 10_000 - 11_644_473_600_000 });
    expect(table.get(1300)).toEqual({ pid: 1300, ppid: 1200, name: 'node.exe' });
  });

  it('one listing serves a whole chain', async () => {
    let listings = 0;
    const table = new ListingTable(async () => {
      listings += 1;
      return parsePsListing('  3  2 Mon Jan  6 09:14:03 2025 c\n  2  1 Mon Jan  6 09:14:03 2025 b\n  1  0 Mon Jan  6 09:14:03 2025 a\n');
    });
    expect((await parentChain(3, table, Date.now() + 1000)).map((p) => p.pid)).toEqual([3, 2, 1]);
    expect(listings).toBe(1);
  });
});
