import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { isProcessAlive } from '../../electron/core/process-alive';

/** A port the OS says is free right now on 127.0.0.1 (bind to 0, read it back, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Holds a port like "another program" would; close() releases it. */
export function occupyPort(port: number, host = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

const BLOCK_SIZE = 100;
const FIRST_PORT = 10_000;
const BLOCKS = 220; // 10000–31999: below Linux's ephemeral ports, so no outgoing connection or listen(0) takes one
const CLAIMS = path.join(tmpdir(), 'interceptor-test-port-blocks');

/**
 * A block of 100 ports that no other test file running now (in this run or another) uses, released
 * when the test file ends. Tests that listen on fixed ports or give an engine a port range take one,
 * so two of them never hand out or bind the same port. A claim is a folder (mkdir is atomic) holding
 * the owner's PID; a claim whose owner died is taken over.
 */
export async function claimPortRange(): Promise<{ start: number; end: number }> {
  await mkdir(CLAIMS, { recursive: true });
  const first = Math.floor(Math.random() * BLOCKS);
  for (let i = 0; i < BLOCKS; i += 1) {
    const block = (first + i) % BLOCKS;
    const claim = path.join(CLAIMS, String(block));
    try {
      await mkdir(claim);
    } catch {
      const owner = Number(await readFile(path.join(claim, 'pid'), 'utf8').catch(() => 'NaN'));
      if (!Number.isInteger(owner) || isProcessAlive(owner)) continue;
      await rm(claim, { recursive: true, force: true });
      try {
        await mkdir(claim);
      } catch {
        continue;
      }
    }
    await writeFile(path.join(claim, 'pid'), String(process.pid));
    afterAll(() => rm(claim, { recursive: true, force: true }));
    const start = FIRST_PORT + block * BLOCK_SIZE;
    return { start, end: start + BLOCK_SIZE - 1 };
  }
  throw new Error(`no free block of ${BLOCK_SIZE} test ports left in ${CLAIMS}`);
}
