// `reset` on a terminal asks first. Run in-process through runCli with real streams standing in for
// the terminal (a pty is not available everywhere the suite runs).
import { PassThrough } from 'node:stream';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run-cli';
import { tempDir } from '../../helpers/temp';

async function session() {
  const dir = await tempDir('interceptor-reset-');
  const registry = path.join(dir, 'port_registry.json');
  const env = { INTERCEPTOR_REGISTRY: registry, INTERCEPTOR_PORT_MIN: '38000', INTERCEPTOR_PORT_MAX: '38999' };
  const io = () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk) => (out += chunk));
    stderr.on('data', (chunk) => (err += chunk));
    return { stdin, stdout, stderr, interactive: true, out: () => out, err: () => err };
  };
  const run = async (args: string[], answer: (stdin: PassThrough, stderr: () => string) => void, signal = new AbortController().signal) => {
    const streams = io();
    const pending = runCli(args, streams, { env, cwd: dir, stopSignal: signal });
    answer(streams.stdin, streams.err);
    const code = await pending;
    return { code, stdout: streams.out(), stderr: streams.err() };
  };
  await run(['allocate', dir], () => undefined);
  return { dir, registry, run };
}

const whenAsked = (stdin: PassThrough, stderr: () => string, reply: string | null) => {
  const timer = setInterval(() => {
    if (!stderr().includes('[y/N]')) return;
    clearInterval(timer);
    if (reply === null) stdin.end();
    else stdin.write(reply);
  }, 5);
};

describe('interceptor reset on a terminal', () => {
  it('asks, and resets on "y" with a backup', async () => {
    const s = await session();
    const before = await readFile(s.registry, 'utf8');
    const result = await s.run(['reset'], (stdin, stderr) => whenAsked(stdin, stderr, 'y\n'));
    expect(result.stderr).toBe(`Remove all 1 mapping(s) from ${s.registry}? A backup is written first. [y/N] `);
    expect(result.code).toBe(0);
    const backup = /^backup: (.+)$/m.exec(result.stdout)?.[1] as string;
    expect(await readFile(backup, 'utf8')).toBe(before);
    expect(JSON.parse(await readFile(s.registry, 'utf8')).mappings).toEqual({});
  });

  it.each([
    ['"n"', 'n\n'],
    ['an empty answer', '\n'],
    ['"yess"', 'yess\n'],
    ['end of input', null],
  ])('cancels on %s (exit 1, nothing changed)', async (_name, reply) => {
    const s = await session();
    const before = await readFile(s.registry, 'utf8');
    const result = await s.run(['reset'], (stdin, stderr) => whenAsked(stdin, stderr, reply));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[y\/N\] interceptor: reset cancelled; nothing changed\n$/);
    expect(await readFile(s.registry, 'utf8')).toBe(before);
  });

  it('cancels on Ctrl-C while asking', async () => {
    const s = await session();
    const before = await readFile(s.registry, 'utf8');
    const stop = new AbortController();
    const result = await s.run(
      ['reset'],
      (_stdin, stderr) => {
        const timer = setInterval(() => {
          if (!stderr().includes('[y/N]')) return;
          clearInterval(timer);
          stop.abort();
        }, 5);
      },
      stop.signal,
    );
    expect(result.code).toBe(1);
    expect(await readFile(s.registry, 'utf8')).toBe(before);
  });

  it('does not ask with --yes', async () => {
    const s = await session();
    const result = await s.run(['reset', '--yes'], () => undefined);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
