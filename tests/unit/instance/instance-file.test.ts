import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireInstance,
  INSTANCE_FILE_NAME,
  readInstance,
  type AcquireResult,
  type InstanceHandle,
  type InstanceInfo,
} from '../../../electron/core/instance/instance-file';
import { isProcessAlive, processStartedAt } from '../../../electron/core/process-alive';
import { tempDir } from '../../helpers/temp';

function me(extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return { pid: process.pid, startedAt: Date.now(), dashboardUrl: 'http://127.0.0.1:5000/?token=abc', ...extra };
}

function handleOf(result: AcquireResult): InstanceHandle {
  if (!result.acquired) throw new Error(`expected to acquire, found pid ${result.existing.pid}`);
  return result.instance;
}

/** The PID of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  expect(isProcessAlive(child.pid!)).toBe(false);
  return child.pid!;
}

function recordFile(dir: string): string {
  return path.join(dir, INSTANCE_FILE_NAME);
}

function writeRecord(dir: string, content: unknown): void {
  fs.writeFileSync(recordFile(dir), typeof content === 'string' ? content : JSON.stringify(content));
}

describe('acquireInstance', () => {
  it('records this process in a private file, creating the folder', async () => {
    const dir = path.join(await tempDir(), 'litellm');
    const info = me({ version: '0.1.0' });
    const handle = handleOf(await acquireInstance({ dir, info }));
    expect(handle.file).toBe(recordFile(dir));
    expect(JSON.parse(fs.readFileSync(handle.file, 'utf8'))).toEqual(info);
    expect(fs.statSync(handle.file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${handle.file}.lock`)).toBe(false);
    await handle.release();
  });

  it('tells a second caller who is running', async () => {
    const dir = await tempDir();
    const first = me();
    const handle = handleOf(await acquireInstance({ dir, info: first }));
    const second = await acquireInstance({ dir, info: me({ startedAt: first.startedAt + 1 }) });
    expect(second).toEqual({ acquired: false, existing: first, file: recordFile(dir) });
    await handle.release();
  });

  it('replaces the record of a process that is gone', async () => {
    const dir = await tempDir();
    writeRecord(dir, { pid: await deadPid(), startedAt: 1, dashboardUrl: 'http://127.0.0.1:1/?token=old' });
    const info = me();
    const handle = handleOf(await acquireInstance({ dir, info }));
    expect(JSON.parse(fs.readFileSync(handle.file, 'utf8'))).toEqual(info);
    await handle.release();
  });

  it('replaces a record with our own PID from before this process started (container restarts)', async () => {
    const dir = await tempDir();
    writeRecord(dir, { pid: process.pid, startedAt: processStartedAt() - 60_000 });
    handleOf(await acquireInstance({ dir, info: me() }));
  });

  it.each(['{not json', '[]', '{"pid":"12","startedAt":1}', '{"pid":-4,"startedAt":1}', '{"pid":1.5,"startedAt":1}', ''])(
    'replaces an unreadable record %j',
    async (content) => {
      const dir = await tempDir();
      writeRecord(dir, content);
      const handle = handleOf(await acquireInstance({ dir, info: me() }));
      await handle.release();
    },
  );

  it('asks isAlive when given one (a live PID that is not an Interceptor)', async () => {
    const dir = await tempDir();
    writeRecord(dir, { pid: process.ppid, startedAt: 1 });
    const seen: InstanceInfo[] = [];
    const handle = handleOf(
      await acquireInstance({
        dir,
        info: me(),
        isAlive: (info) => {
          seen.push(info);
          return false;
        },
      }),
    );
    expect(seen).toEqual([{ pid: process.ppid, startedAt: 1 }]);
    await handle.release();
  });

  it('takes over a lock left behind by a dead process', async () => {
    const dir = await tempDir();
    const lock = `${recordFile(dir)}.lock`;
    fs.mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    handleOf(await acquireInstance({ dir, info: me() }));
  });

  it('reports a folder that cannot hold the record as INSTANCE_IO', async () => {
    const parent = await tempDir();
    fs.mkdirSync(path.join(parent, INSTANCE_FILE_NAME));
    await expect(acquireInstance({ dir: parent, info: me() })).rejects.toMatchObject({ code: 'INSTANCE_IO' });
  });
});

describe('the handle', () => {
  it('updates the record (dashboard URL once listening)', async () => {
    const dir = await tempDir();
    const handle = handleOf(await acquireInstance({ dir, info: me({ dashboardUrl: undefined }) }));
    await handle.update({ dashboardUrl: 'http://127.0.0.1:6000/?token=new', controlPort: 6001 });
    expect(handle.info()).toMatchObject({ dashboardUrl: 'http://127.0.0.1:6000/?token=new', controlPort: 6001 });
    expect(await readInstance({ dir })).toEqual(handle.info());
    await handle.release();
  });

  it('releases once and leaves a successor’s record alone', async () => {
    const dir = await tempDir();
    const handle = handleOf(await acquireInstance({ dir, info: me() }));
    // Someone else took over (for example after this process was thought dead).
    const successor = { pid: process.ppid, startedAt: 42 };
    writeRecord(dir, successor);
    await expect(handle.update({ controlPort: 1 })).rejects.toMatchObject({ code: 'INSTANCE_IO' });
    await handle.release();
    await handle.release();
    expect(JSON.parse(fs.readFileSync(recordFile(dir), 'utf8'))).toEqual(successor);
  });

  it('lets the next instance in after release', async () => {
    const dir = await tempDir();
    const first = handleOf(await acquireInstance({ dir, info: me() }));
    await first.release();
    expect(fs.existsSync(recordFile(dir))).toBe(false);
    const next = handleOf(await acquireInstance({ dir, info: me({ startedAt: Date.now() + 5 }) }));
    await next.release();
    await expect(first.update({ controlPort: 1 })).rejects.toMatchObject({ code: 'INSTANCE_IO' });
  });
});

describe('readInstance', () => {
  it('finds nothing in an empty folder or behind a dead PID', async () => {
    const dir = await tempDir();
    expect(await readInstance({ dir })).toBeNull();
    writeRecord(dir, { pid: await deadPid(), startedAt: 1 });
    expect(await readInstance({ dir })).toBeNull();
    writeRecord(dir, 'garbage');
    expect(await readInstance({ dir })).toBeNull();
  });
});
