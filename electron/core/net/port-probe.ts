// Is a port free to listen on? Answered the only reliable way: try to bind it on every address a
// server could be listening on — loopback and wildcard, IPv4 and IPv6 — one after another (our own
// probes would otherwise collide). Platforms differ in which overlapping binds they refuse (macOS lets
// 0.0.0.0 and 127.0.0.1 coexist), so each address is tried, not just one.
import net from 'node:net';
import os from 'node:os';

export interface PortProbe {
  port: number;
  free: boolean;
  /** The addresses where binding failed because the port is taken (or not ours to take). */
  busyOn: string[];
}

const IPV4_HOSTS = ['127.0.0.1', '0.0.0.0'];
const IPV6_HOSTS = ['::1', '::'];

/** Bind refusals that mean "someone else has it" (or the OS will not let us have it). */
const BUSY_CODES = new Set(['EADDRINUSE', 'EACCES', 'EPERM']);

/** Whether this machine has IPv6 at all (a container may not, and then ::1 cannot be bound). */
export function hasIpv6(): boolean {
  const interfaces = os.networkInterfaces();
  return Object.values(interfaces).some((list) => list?.some((info) => info.family === 'IPv6') ?? false);
}

/** 'free', 'busy', or 'n/a' when the address does not exist here (no IPv6 on this loopback, ...). */
function tryBind(port: number, host: string): Promise<'free' | 'busy' | 'n/a'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(BUSY_CODES.has(error.code ?? '') ? 'busy' : 'n/a');
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve('free'));
    });
  });
}

/** Probes `port` on every listening address that exists here. */
export async function probePort(port: number): Promise<PortProbe> {
  const hosts = hasIpv6() ? [...IPV4_HOSTS, ...IPV6_HOSTS] : IPV4_HOSTS;
  const busyOn: string[] = [];
  for (const host of hosts) {
    if ((await tryBind(port, host)) === 'busy') busyOn.push(host);
  }
  return { port, free: busyOn.length === 0, busyOn };
}

/** True when no program listens on `port` on any local address (IPv4 or IPv6, loopback or wildcard). */
export async function isPortFree(port: number): Promise<boolean> {
  const hosts = hasIpv6() ? [...IPV4_HOSTS, ...IPV6_HOSTS] : IPV4_HOSTS;
  for (const host of hosts) {
    if ((await tryBind(port, host)) === 'busy') return false;
  }
  return true;
}
