import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { describeHolder, findPortHolder } from '../../../electron/core/net/port-holder';
import { freePort, occupyPort } from '../../helpers/ports';

describe('findPortHolder', () => {
  it('names this process when it listens on the port', async () => {
    const port = await freePort();
    const server = await occupyPort(port);
    try {
      const holder = await findPortHolder(port);
      expect(holder?.pid).toBe(process.pid);
      expect(describeHolder(holder)).toContain(`pid ${process.pid}`);
    } finally {
      server.close();
    }
  });

  it('names another process listening on IPv6', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${port}, '::', () => console.log('ready'))`,
    ]);
    try {
      await once(child.stdout, 'data');
      const holder = await findPortHolder(port);
      expect(holder?.pid).toBe(child.pid);
      expect(holder?.command).toBe('node');
    } finally {
      child.kill();
    }
  });

  it('answers null when nothing listens', async () => {
    expect(await findPortHolder(await freePort())).toBeNull();
  });
});
