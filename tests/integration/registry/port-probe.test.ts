// The bind probe against real listeners on every address family it checks.
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { hasIpv6, isPortFree, probePort } from '../../../electron/core/net/port-probe';
import { freePort, occupyPort } from '../../helpers/ports';

async function occupy(port: number, host: string): Promise<net.Server | undefined> {
  try {
    return await occupyPort(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (error as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') return undefined;
    throw error;
  }
}

describe('probePort', () => {
  it('calls a port nobody listens on free, and leaves it free', async () => {
    const port = await freePort();
    expect(await probePort(port)).toEqual({ port, free: true, busyOn: [] });
    expect(await isPortFree(port)).toBe(true);
    const again = await occupyPort(port); // the probe released every bind it made
    again.close();
  });

  it.each(['127.0.0.1', '0.0.0.0'])('finds a listener on %s', async (host) => {
    const port = await freePort();
    const server = await occupyPort(port, host);
    try {
      const probe = await probePort(port);
      expect(probe.free).toBe(false);
      expect(probe.busyOn).toContain(host);
      expect(await isPortFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });

  it.each(['::1', '::'])('finds a listener on %s where IPv6 exists', async (host) => {
    const port = await freePort();
    const server = await occupy(port, host);
    if (!server) {
      // No IPv6 on this machine: the probe must not trip over the missing addresses either.
      expect(hasIpv6()).toBe(false);
      expect(await isPortFree(port)).toBe(true);
      return;
    }
    try {
      expect(hasIpv6()).toBe(true);
      const probe = await probePort(port);
      expect(probe.free).toBe(false);
      expect(probe.busyOn).toContain(host);
      expect(await isPortFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('calls a privileged port unusable when we may not bind it', async () => {
    if (process.getuid?.() === 0) {
      // root may bind port 1; nothing listens there in a test machine, so it is free.
      expect(await isPortFree(1)).toBe(true);
    } else {
      expect(await isPortFree(1)).toBe(false);
    }
  });
});
