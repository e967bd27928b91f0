import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acceptsConnections,
  checkIdeLiveness,
  parseLockPid,
  parsePortFile,
} from '../../../electron/core/discovery/jetbrains/ide-liveness';
import { isProcessAlive } from '../../../electron/core/process-alive';
import { freePort, occupyPort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { mkdirp, put } from '../../fixtures/jetbrains/fixtures';

/** The PID of a process that has exited (and been reaped): a stale .lock left by a crash. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

const servers: net.Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function ideFolders(): Promise<{ configDir: string; systemDir: string }> {
  const base = await tempDir('liveness-');
  return { configDir: mkdirp(path.join(base, 'config')), systemDir: mkdirp(path.join(base, 'system')) };
}

describe('parseLockPid', () => {
  it.each([
    ['12345', 12345],
    ['12345\n', 12345],
    ['  4242  \r\n', 4242],
    ['pid=777', 777],
    ['PID: 778\nhost=box', 778],
    ['host=box\n9001\n', 9001],
  ])('%j → %d', (text, pid) => {
    expect(parseLockPid(text)).toBe(pid);
  });

  it.each(['', 'garbage', '0', '-5', 'v2024.3', '99999999999999999999'])('%j → no PID', (text) => {
    expect(parseLockPid(text)).toBeUndefined();
  });
});

describe('isProcessAlive', () => {
  it('is true for this process and false for one that exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(await deadPid())).toBe(false);
  });

  it('never signals a process group', () => {
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});

describe('parsePortFile', () => {
  it('reads a port number and rejects anything else', () => {
    expect(parsePortFile('6942')).toBe(6942);
    expect(parsePortFile('6942\n')).toBe(6942);
    expect(parsePortFile('0')).toBeUndefined();
    expect(parsePortFile('70000')).toBeUndefined();
    expect(parsePortFile('port')).toBeUndefined();
  });
});

describe('checkIdeLiveness', () => {
  it('running when the .lock PID is alive', async () => {
    const dirs = await ideFolders();
    put(path.join(dirs.configDir, '.lock'), String(process.pid));
    expect(await checkIdeLiveness(dirs, { platform: 'linux' })).toEqual({
      running: true,
      via: 'lock',
      pid: process.pid,
      reason: `process ${process.pid} named in .lock is running`,
    });
  });

  it('not running when the .lock PID is gone (crash), even if a stale port file exists', async () => {
    const dirs = await ideFolders();
    const pid = await deadPid();
    put(path.join(dirs.configDir, '.lock'), `${pid}\n`);
    const result = await checkIdeLiveness(dirs, { platform: 'linux' });
    expect(result).toMatchObject({ running: false, via: 'lock', pid });
    expect(result.reason).toMatch(/gone/);
  });

  it('old IDEs: running when the port in the system folder accepts connections', async () => {
    const dirs = await ideFolders();
    const port = await freePort();
    servers.push(await occupyPort(port));
    put(path.join(dirs.systemDir, 'port'), String(port));
    expect(await checkIdeLiveness(dirs, { platform: 'linux' })).toMatchObject({ running: true, via: 'port', port });
  });

  it('old IDEs: not running when nothing listens on the port from the port file', async () => {
    const dirs = await ideFolders();
    const port = await freePort();
    put(path.join(dirs.systemDir, 'port'), String(port));
    const result = await checkIdeLiveness(dirs, { platform: 'linux' });
    expect(result).toMatchObject({ running: false, via: 'port', port });
    expect(result.reason).toMatch(/nothing listens/);
  });

  it('a .lock without a PID counts only if the IDE instance socket answers', async () => {
    const dirs = await ideFolders();
    put(path.join(dirs.configDir, '.lock'), '');
    const first = await checkIdeLiveness(dirs, { platform: 'linux' });
    expect(first).toMatchObject({ running: false, via: 'none' });
    expect(first.reason).toMatch(/no process id/);

    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(path.join(dirs.systemDir, '.port'), resolve));
    servers.push(server);
    expect(await checkIdeLiveness(dirs, { platform: 'linux' })).toMatchObject({ running: true, via: 'socket' });
  });

  it('not running when there is neither a .lock nor a port file', async () => {
    const dirs = await ideFolders();
    expect(await checkIdeLiveness(dirs, { platform: 'linux' })).toEqual({
      running: false,
      via: 'none',
      reason: 'no .lock or port file: the IDE is not running',
    });
  });

  it('acceptsConnections answers false quickly for a closed port', async () => {
    expect(await acceptsConnections(await freePort(), 300)).toBe(false);
  });
});
