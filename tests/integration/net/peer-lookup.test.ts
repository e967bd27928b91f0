// Who is on the other end of a real loopback connection: this process, a child process, another
// OS account (as root, through setpriv), and a client that is already gone.
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionEnds, lookupPeer } from '../../../electron/core/net/peer';
import { waitFor } from '../../helpers/wait';

const linux = process.platform === 'linux';
const root = process.getuid?.() === 0;

interface Listening {
  server: net.Server;
  port: number;
  /** The server side of each accepted connection, in order. */
  accepted: net.Socket[];
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function listen(host: string): Promise<Listening> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    accepted.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  cleanups.push(() => {
    for (const socket of accepted) socket.destroy();
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

/** A child node process that connects and holds the connection open until killed. */
function childClient(port: number, host: string, wrap: string[] = []): ChildProcess {
  const script = `const s=require('net').connect(${port},'${host}');s.on('connect',()=>process.stdout.write('connected\\n'));setInterval(()=>{},1e6)`;
  const [command, ...args] = [...wrap, process.execPath, '-e', script];
  const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

async function acceptedSocket(listening: Listening, index = 0): Promise<net.Socket> {
  return waitFor('the connection to be accepted', () => listening.accepted[index]);
}

describe.runIf(linux)('peer lookup on Linux', () => {
  it('finds this process and its account for a connection it made itself', async () => {
    const listening = await listen('127.0.0.1');
    const client = net.connect(listening.port, '127.0.0.1');
    cleanups.push(() => client.destroy());
    const socket = await acceptedSocket(listening);
    const ends = connectionEnds(socket);
    expect(ends).toBeDefined();
    const facts = await lookupPeer(ends!, { pid: true, timeoutMs: 2000, candidates: [process.pid] });
    expect(facts).toEqual({ uid: process.getuid!(), pid: process.pid });
  });

  it('finds a child process as the client, without being told where to look', async () => {
    const listening = await listen('127.0.0.1');
    const child = childClient(listening.port, '127.0.0.1');
    const socket = await acceptedSocket(listening);
    const facts = await lookupPeer(connectionEnds(socket)!, { pid: true, timeoutMs: 5000 });
    expect(facts.pid).toBe(child.pid);
    expect(facts.uid).toBe(process.getuid!());
  });

  it('reads IPv6 loopback connections and IPv4 ones to a dual-stack listener', async () => {
    for (const [listenOn, connectTo] of [
      ['::1', '::1'],
      ['::', '127.0.0.1'],
    ] as const) {
      let listening: Listening;
      try {
        listening = await listen(listenOn);
      } catch {
        continue; // no IPv6 on this machine
      }
      const client = net.connect(listening.port, connectTo);
      cleanups.push(() => client.destroy());
      const socket = await acceptedSocket(listening);
      const facts = await lookupPeer(connectionEnds(socket)!, { pid: true, timeoutMs: 2000, candidates: [process.pid] });
      expect(facts, `${listenOn} <- ${connectTo}`).toEqual({ uid: process.getuid!(), pid: process.pid });
    }
  });

  it.runIf(root)("tells another account's connection by its uid", async () => {
    const listening = await listen('127.0.0.1');
    const child = childClient(listening.port, '127.0.0.1', ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    const socket = await acceptedSocket(listening);
    const facts = await lookupPeer(connectionEnds(socket)!, { pid: true, timeoutMs: 5000 });
    expect(facts.uid).toBe(65534);
    expect(facts.pid).toBe(child.pid);
  });

  it('answers "unknown" for a client that already went away, and within its time bound', async () => {
    const listening = await listen('127.0.0.1');
    const client = net.connect(listening.port, '127.0.0.1');
    const socket = await acceptedSocket(listening);
    const ends = connectionEnds(socket)!;
    client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const facts = await lookupPeer(ends, { pid: true, timeoutMs: 300 });
    expect(facts).toEqual({});
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at its deadline and still answers what it found', async () => {
    const listening = await listen('127.0.0.1');
    const client = net.connect(listening.port, '127.0.0.1');
    cleanups.push(() => client.destroy());
    const socket = await acceptedSocket(listening);
    const facts = await lookupPeer(connectionEnds(socket)!, { pid: true, timeoutMs: 0 });
    // With no time at all nothing may be found, but nothing may throw either.
    expect(facts.pid === undefined || facts.pid === process.pid).toBe(true);
  });
});
