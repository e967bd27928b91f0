// conf writes through `atomically`, whose `when-exit` dependency hooks SIGINT and SIGTERM when it is
// imported and re-sends the signal to the process after its own cleanup, killing it on the spot —
// before our graceful shutdown lets streams in flight finish. Long-running front ends (`run`,
// `serve`, the app) install one shutdown handler here, and whoever loads modules later (the CLI
// loads each verb on demand) reclaims the signals afterwards. when-exit also runs its cleanup on the
// process 'exit' event, which a graceful shutdown still reaches, so nothing is lost.
export const GRACEFUL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

type ShutdownHandler = (signal: NodeJS.Signals) => void;

let owner: ShutdownHandler | undefined;

/** Makes `handler` the only listener for SIGINT and SIGTERM. */
export function installShutdownHandler(handler: ShutdownHandler): void {
  owner = handler;
  reclaimShutdownSignals();
}

/** Removes listeners that modules loaded since added; a no-op until a handler is installed. */
export function reclaimShutdownSignals(): void {
  if (!owner) return;
  for (const signal of GRACEFUL_SIGNALS) {
    for (const listener of process.listeners(signal)) if (listener !== owner) process.removeListener(signal, listener);
    if (!process.listeners(signal).includes(owner)) process.on(signal, owner);
  }
}
