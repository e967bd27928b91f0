import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { isProcessAlive } from '../../electron/core/process-alive';

/** Whether nothing listens on `port` on 127.0.0.1 right now (bind it, then release it). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** This test file's block for freePort, claimed on first use and released when the file ends. */
let freePortBlock: Promise<PortBlock> | undefined;
let handedOut = 0;

/**
 * A port free right now on 127.0.0.1 that no other test file can take: it comes from a block this
 * file claimed (see claimPortRange), below the ephemeral ports, so no listen(0) or outgoing
 * connection elsewhere lands on it after it was released here. Ports are handed out in turn, each
 * checked by binding it.
 */
export async function freePort(): Promise<number> {
  const { start, end } = await (freePortBlock ??= claimBlock());
  const size = end - start + 1;
  for (let tried = 0; tried < size; tried += 1) {
    const port = start + (handedOut % size);
    handedOut += 1;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port left in this test file's block ${start}-${end}`);
}

/** Blocks claimed by claimPortRange in this test file, released when it ends. */
const rangeBlocks: PortBlock[] = [];

// Registered when a test file loads this module, so a block claimed inside a test is released too
// (an afterAll registered from inside a running test is never called: such claims used to be left).
afterAll(async () => {
  const blocks = rangeBlocks.splice(0);
  const freeBlock = freePortBlock;
  freePortBlock = undefined;
  if (freeBlock !== undefined) blocks.push(await freeBlock);
  await Promise.all(blocks.map((block) => block.release()));
});

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

interface PortBlock {
  start: number;
  end: number;
  release(): Promise<void>;
}

/**
 * A block of 100 ports that no other test file running now (in this run or another) uses, released
 * when the test file ends. Tests that listen on fixed ports or give an engine a port range take one,
 * so two of them never hand out or bind the same port. A claim is a folder (mkdir is atomic) holding
 * the owner's PID; a claim whose owner died is taken over.
 */
export async function claimPortRange(): Promise<{ start: number; end: number }> {
  const block = await claimBlock();
  rangeBlocks.push(block);
  return { start: block.start, end: block.end };
}

async function claimBlock(): Promise<PortBlock> {
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
    const start = FIRST_PORT + block * BLOCK_SIZE;
    return { start, end: start + BLOCK_SIZE - 1, release: () => rm(claim, { recursive: true, force: true }) };
  }
  throw new Error(`no free block of ${BLOCK_SIZE} test ports left in ${CLAIMS}`);
}
