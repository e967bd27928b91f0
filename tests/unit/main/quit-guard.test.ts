import { describe, expect, it } from 'vitest';
import { createQuitGuard } from '../../../electron/main/quit-guard';

function quitEvent() {
  let prevented = false;
  return {
    preventDefault: () => {
      prevented = true;
    },
    get prevented() {
      return prevented;
    },
  };
}

function harness(close: () => Promise<void>) {
  const calls: string[] = [];
  const timers: Array<{ callback: () => void; cleared: boolean }> = [];
  const guard = createQuitGuard({
    close: () => {
      calls.push('close');
      return close();
    },
    quit: () => calls.push('quit'),
    forceExit: (code) => calls.push(`exit ${code}`),
    deadlineMs: 1000,
    log: (line) => calls.push(`log ${line}`),
    timers: {
      set: (callback) => {
        const timer = { callback, cleared: false };
        timers.push(timer);
        return timer;
      },
      clear: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
    },
  });
  return { guard, calls, timers };
}

describe('createQuitGuard', () => {
  it('holds the first quit until the engine closed, then quits for real', async () => {
    let finish!: () => void;
    const { guard, calls, timers } = harness(() => new Promise<void>((resolve) => (finish = resolve)));
    const first = quitEvent();
    guard.beforeQuit(first);
    expect(first.prevented).toBe(true);
    expect(guard.quitting).toBe(true);
    const again = quitEvent();
    guard.beforeQuit(again);
    expect(again.prevented).toBe(true);
    expect(calls).toEqual(['close']);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['close', 'quit']);
    expect(timers[0]?.cleared).toBe(true);
    const final = quitEvent();
    guard.beforeQuit(final);
    expect(final.prevented).toBe(false);
  });

  it('still quits when closing fails, and says why', async () => {
    const { guard, calls } = harness(() => Promise.reject(new Error('registry lock lost')));
    guard.beforeQuit(quitEvent());
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['close', 'log stopping the proxies failed: registry lock lost', 'quit']);
  });

  it('exits after the deadline when closing hangs', () => {
    const { guard, calls, timers } = harness(() => new Promise<void>(() => undefined));
    guard.beforeQuit(quitEvent());
    timers[0]?.callback();
    expect(calls).toEqual(['close', 'log stopping the proxies took longer than 1000 ms; exiting anyway', 'exit 1']);
  });
});
