// Quitting stops every proxy gracefully before the process ends: the first quit request is held
// back while the engine closes (in-flight requests finish, ports are released), then the quit goes
// through. A close that hangs cannot keep the app alive: after a deadline the process exits anyway.
interface PreventableEvent {
  preventDefault(): void;
}

export interface QuitGuardOptions {
  /** Stops the engine (service.close). */
  close: () => Promise<void>;
  /** Quits for real once closed (app.quit(); the guard lets the second request through). */
  quit: () => void;
  /** Ends the process when closing took too long (app.exit). */
  forceExit: (code: number) => void;
  deadlineMs: number;
  log: (line: string) => void;
  /** Injectable for tests; default setTimeout/clearTimeout. */
  timers?: { set: (callback: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

export interface QuitGuard {
  /** The 'before-quit' listener. */
  beforeQuit(event: PreventableEvent): void;
  /** True from the first quit request on: windows close for real instead of hiding. */
  readonly quitting: boolean;
}

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  let state: 'running' | 'closing' | 'closed' = 'running';
  const timers = options.timers ?? {
    set: (callback: () => void, ms: number) => setTimeout(callback, ms).unref(),
    clear: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  };
  return {
    get quitting() {
      return state !== 'running';
    },
    beforeQuit(event) {
      if (state === 'closed') return;
      event.preventDefault();
      if (state === 'closing') return;
      state = 'closing';
      const timer = timers.set(() => {
        options.log(`stopping the proxies took longer than ${options.deadlineMs} ms; exiting anyway`);
        options.forceExit(1);
      }, options.deadlineMs);
      options
        .close()
        .catch((error: unknown) => options.log(`stopping the proxies failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          timers.clear(timer);
          state = 'closed';
          options.quit();
        });
    },
  };
}
